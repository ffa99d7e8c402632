// Follows one job over its event stream until it reaches a terminal status: reconnects with growing pauses when the
// stream drops early (server restart, proxy timeout, the server's maximum stream lifetime), stops on abort, on 401
// and on 404; the stream's `metrics` and `artifacts` events go to onOutput. When the server refuses the stream with
// 429 (the user already has the most event streams open that the server allows, e.g. many tabs), it polls the job
// every POLL_MS instead until the job is terminal.

import { ApiClient, ApiError, JobOutputEvent } from "./client";
import { Job, isTerminal } from "./types";

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
export const POLL_MS = 3000;

// What watching needs of the client (tests pass a fake).
export type JobSource = Pick<ApiClient, "streamJobEvents" | "getJob">;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function ends(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 404);
}

async function pollJob(
  source: JobSource,
  jobId: string,
  receive: (job: Job) => void,
  signal: AbortSignal,
  pollMs: number,
) {
  while (!signal.aborted) {
    try {
      const job = await source.getJob(jobId);
      if (signal.aborted) return;
      receive(job);
      if (isTerminal(job.status)) return;
    } catch (error) {
      if (ends(error)) return;
    }
    await sleep(pollMs, signal);
  }
}

export async function watchJob(
  source: JobSource,
  jobId: string,
  onJob: (job: Job) => void,
  signal: AbortSignal,
  pollMs: number = POLL_MS,
  onOutput?: (output: JobOutputEvent) => void,
) {
  let retryMs = FIRST_RETRY_MS;
  let finished = false;
  const receive = (job: Job) => {
    retryMs = FIRST_RETRY_MS;
    finished = isTerminal(job.status);
    onJob(job);
  };
  while (!finished && !signal.aborted) {
    try {
      await source.streamJobEvents(jobId, receive, signal, onOutput);
    } catch (error) {
      if (ends(error)) return;
      if (error instanceof ApiError && error.status === 429) return pollJob(source, jobId, receive, signal, pollMs);
    }
    if (finished || signal.aborted) return;
    await sleep(retryMs, signal);
    retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
  }
}
