// Shapes of the live2 API v1 (shared/spec/API.md) as the dashboard reads them. Fields the dashboard does not show
// are left out; executor fields differ by kind (aws_batch: batch_job_id/batch_status, local: process_id/state).

export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";
export const JOB_STATUSES: JobStatus[] = ["queued", "running", "completed", "failed", "cancelled"];
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(["completed", "failed", "cancelled"]);

export interface ExecutorInfo {
  kind: string | null;
  batch_job_id?: string | null;
  batch_status?: string | null;
  process_id?: string | null;
  state?: string | null;
  status_reason: string | null;
  attempts: number;
  exit_code?: number | null;
  log_stream?: string | null;
}

export interface Job {
  job_id: string;
  job_type: string;
  status: JobStatus;
  progress: number;
  params: { simulation_config?: { mode?: string; config?: Record<string, unknown> } };
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  error: string | null;
  estimated_time: number | null;
  eta_seconds: number | null;
  cancel_requested?: boolean;
  executor: ExecutorInfo | null;
  webhook_url: string | null;
  links?: Record<string, string>;
}

export interface JobPage {
  jobs: Job[];
  next_cursor: string | null;
}

export interface Artifact {
  key: string;
  name: string;
  size: number;
  last_modified: string;
  content_type: string;
  url: string;
}

export interface ArtifactList {
  job_id: string;
  expires_in: number;
  artifacts: Artifact[];
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
