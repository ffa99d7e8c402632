// The dashboard's names for the shapes of the live2 API. The shapes themselves are generated from the contract,
// docs/openapi.yaml, into schema.ts (`npm run api-types`; CTest's web_api_types checks that it is current).
import { components, jobStatusValues } from "./schema";

type Schemas = components["schemas"];

export type JobStatus = Schemas["JobStatus"];
export type ExecutorInfo = Schemas["ExecutorInfo"];
export type Job = Schemas["Job"];
export type JobPage = Schemas["JobList"];
export type Artifact = Schemas["Artifact"];
export type ArtifactList = Schemas["ArtifactList"];
export type Run = Schemas["Run"];
export type RunPage = Schemas["RunList"];
export type RunCounts = Schemas["RunCounts"];
export type DatasetEstimate = Schemas["DatasetEstimate"];

export const JOB_STATUSES: JobStatus[] = [...jobStatusValues];
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(["completed", "failed", "cancelled"]);

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
