// The runs of a dataset for its grid: the first MAX_GRID_RUNS by index, in pages of 100, reloaded every
// RUNS_REFRESH_MS while the dataset is unfinished and once more when it finishes. Beyond MAX_GRID_RUNS the grid shows
// cells without a status (the job's run counts still cover every run), so a page costs at most 10 requests a reload.

import { ApiClient } from "./client";
import { Run } from "./types";
import { Refreshing, useRefreshing } from "./useRefreshing";

export const MAX_GRID_RUNS = 1000;
export const RUNS_REFRESH_MS = 5_000;
const PAGE_SIZE = 100;

export interface DatasetRuns {
  byIndex: Map<number, Run>;
  complete: boolean; // every run was loaded
}

async function loadRuns(client: ApiClient, jobId: string): Promise<DatasetRuns> {
  const byIndex = new Map<number, Run>();
  let cursor: string | null = null;
  do {
    const page = await client.listRuns(jobId, { cursor, limit: PAGE_SIZE });
    for (const run of page.runs) byIndex.set(run.index, run);
    cursor = page.next_cursor;
  } while (cursor !== null && byIndex.size < MAX_GRID_RUNS);
  return { byIndex, complete: cursor === null };
}

export function useDatasetRuns(client: ApiClient, jobId: string, active: boolean): Refreshing<DatasetRuns> {
  return useRefreshing(() => loadRuns(client, jobId), active, RUNS_REFRESH_MS, jobId);
}
