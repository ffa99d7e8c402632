// The dashboard's only door to the live2 API: every call sends the signed-in key as a Bearer token and turns a
// non-2xx answer into an ApiError carrying the API's error code, message and field details. A 401 also fires
// onUnauthorized so the app can return to the sign-in screen. Same origin as the page (live2 serves both).

import { FieldDetail } from "../lib/fieldErrors";
import { SseEvent, readEventStream } from "../lib/sse";
import { ArtifactList, Job, JobPage, JobStatus, Run, RunPage } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldDetail[] = [],
  ) {
    super(message);
  }
}

const API = "/api/v1";

// What the run has written, as the job's event stream reports it (docs/api.md, "Events").
export interface MetricsEvent {
  columns: string[];
  first_row: number;
  rows: unknown[][];
}
export type JobOutputEvent = { kind: "metrics"; metrics: MetricsEvent } | { kind: "artifacts"; list: ArtifactList };

export class ApiClient {
  constructor(
    private readonly apiKey: string,
    private readonly onUnauthorized: () => void,
  ) {}

  listJobs(query: { status: JobStatus[]; cursor: string | null; limit: number }): Promise<JobPage> {
    const search = new URLSearchParams({ limit: String(query.limit) });
    if (query.status.length > 0) search.set("status", query.status.join(","));
    if (query.cursor) search.set("cursor", query.cursor);
    return this.json<JobPage>(`${API}/jobs?${search}`);
  }

  getJob(jobId: string): Promise<Job> {
    return this.json<Job>(`${API}/jobs/${encodeURIComponent(jobId)}`);
  }

  submitJob(bodyText: string): Promise<Job> {
    return this.json<Job>(`${API}/jobs`, { method: "POST", body: bodyText });
  }

  cancelJob(jobId: string): Promise<Job> {
    return this.json<Job>(`${API}/jobs/${encodeURIComponent(jobId)}/cancel`, { method: "POST" });
  }

  // A dataset's runs from index `cursor` on (the API's run cursor, docs/api.md "Datasets").
  listRuns(jobId: string, query: { cursor: string | null; limit: number }): Promise<RunPage> {
    const search = new URLSearchParams({ limit: String(query.limit) });
    if (query.cursor) search.set("cursor", query.cursor);
    return this.json<RunPage>(`${API}/jobs/${encodeURIComponent(jobId)}/runs?${search}`);
  }

  // One run: the page of one that starts at its index (the run cursor "r1_<index>" names the first index of a page).
  async getRun(jobId: string, index: number): Promise<Run | null> {
    const page = await this.listRuns(jobId, { cursor: index > 0 ? `r1_${index}` : null, limit: 1 });
    const run = page.runs[0];
    return run && run.index === index ? run : null;
  }

  // `prefix`: only the files in that folder of the job's artifacts (a dataset run's `runs/<index>/`); a dataset's own
  // listing without it holds the combined files only.
  listArtifacts(jobId: string, prefix?: string): Promise<ArtifactList> {
    const query = prefix ? `?${new URLSearchParams({ prefix })}` : "";
    return this.json<ArtifactList>(`${API}/jobs/${encodeURIComponent(jobId)}/artifacts${query}`);
  }

  getMetrics(jobId: string): Promise<unknown> {
    return this.json<unknown>(`${API}/jobs/${encodeURIComponent(jobId)}/metrics`);
  }

  async getLogTail(jobId: string, lines: number): Promise<string> {
    const response = await this.send(`${API}/jobs/${encodeURIComponent(jobId)}/logs?tail=${lines}`);
    return response.text();
  }

  // Streams a job's events until the server ends the stream (after a terminal status) or `signal` aborts:
  // `job` events to onJob, `metrics` and `artifacts` events (what the run has written) to onOutput.
  async streamJobEvents(
    jobId: string,
    onJob: (job: Job) => void,
    signal: AbortSignal,
    onOutput?: (output: JobOutputEvent) => void,
  ): Promise<void> {
    const response = await this.send(`${API}/jobs/${encodeURIComponent(jobId)}/events`, {
      headers: { Accept: "text/event-stream" },
      signal,
    });
    if (!response.body) throw new ApiError(response.status, "bad_response", "the event stream has no body");
    await readEventStream(
      response.body,
      (event: SseEvent) => {
        if (event.event === "job") onJob(JSON.parse(event.data) as Job);
        else if (event.event === "metrics") onOutput?.({ kind: "metrics", metrics: JSON.parse(event.data) as MetricsEvent });
        else if (event.event === "artifacts") onOutput?.({ kind: "artifacts", list: JSON.parse(event.data) as ArtifactList });
      },
      signal,
    );
  }

  private async json<T>(url: string, init: RequestInit = {}): Promise<T> {
    const response = await this.send(url, init);
    return (await response.json()) as T;
  }

  private async send(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${this.apiKey}`);
    if (init.body !== undefined) headers.set("Content-Type", "application/json; charset=utf-8");
    const response = await fetch(url, { ...init, headers });
    if (response.ok) return response;
    const error = await errorFrom(response);
    if (response.status === 401) this.onUnauthorized();
    throw error;
  }
}

async function errorFrom(response: Response): Promise<ApiError> {
  const fallback = `${response.status} ${response.statusText || "error"}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: FieldDetail[] } };
    const error = body.error ?? {};
    return new ApiError(response.status, error.code ?? "http_error", error.message ?? fallback, error.details ?? []);
  } catch {
    return new ApiError(response.status, "http_error", fallback);
  }
}

// Checks a key before keeping it: any authenticated call answers 401 for a bad key.
export async function verifyApiKey(apiKey: string): Promise<ApiError | null> {
  try {
    await new ApiClient(apiKey, () => undefined).listJobs({ status: [], cursor: null, limit: 1 });
    return null;
  } catch (error) {
    return error instanceof ApiError ? error : new ApiError(0, "network", "the server cannot be reached");
  }
}

// The text of an artifact from its signed download URL. Sent without the key: the URL carries its own signature,
// and the key must never go to the artifact store (which may be another origin).
export async function fetchArtifactText(url: string, signal?: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal, credentials: "omit" });
  if (!response.ok) throw new ApiError(response.status, "http_error", `${response.status} ${response.statusText || "error"}`);
  return response.text();
}
