// Follows one job over its event stream until it reaches a terminal status: reconnects with growing pauses when the
// stream drops early (server restart, proxy timeout), stops on abort, on 401 and on 404.

import { ApiClient, ApiError } from "./client";
import { Job, isTerminal } from "./types";

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function watchJob(client: ApiClient, jobId: string, onJob: (job: Job) => void, signal: AbortSignal) {
  let retryMs = FIRST_RETRY_MS;
  let finished = false;
  const receive = (job: Job) => {
    retryMs = FIRST_RETRY_MS;
    finished = isTerminal(job.status);
    onJob(job);
  };
  while (!finished && !signal.aborted) {
    try {
      await client.streamJobEvents(jobId, receive, signal);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) return;
    }
    if (finished || signal.aborted) return;
    await sleep(retryMs, signal);
    retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
  }
}
