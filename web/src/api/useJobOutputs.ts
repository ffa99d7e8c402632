// The run's metrics table and artifact listing for the job page: loaded once, then kept current by the job's event
// stream (`metrics` and `artifacts` events; the server reads them at most every 2 s), loaded again when the job
// finishes, and reloaded every FALLBACK_REFRESH_MS while it runs in case no stream delivers (one refused with 429
// falls back to polling the job only). A metrics event that does not continue the held table reloads it whole.

import { useCallback, useMemo, useRef } from "preact/hooks";
import { MetricTable, RawMetrics, adaptMetrics, applyMetricsEvent } from "../lib/metrics";
import { ApiClient, JobOutputEvent } from "./client";
import { ArtifactList } from "./types";
import { Refreshing, useRefreshing } from "./useRefreshing";

export const FALLBACK_REFRESH_MS = 30_000;

function asRawMetrics(body: unknown): RawMetrics | null {
  if (typeof body !== "object" || body === null) return null;
  const { columns, rows } = body as { columns?: unknown; rows?: unknown };
  if (!Array.isArray(columns) || !Array.isArray(rows) || !rows.every(Array.isArray)) return null;
  return { columns: columns.map(String), rows: rows as unknown[][] };
}

export interface JobOutputs {
  metrics: Refreshing<unknown>;
  table: MetricTable | null;
  artifacts: Refreshing<ArtifactList>;
  onOutput: (output: JobOutputEvent) => void;
}

export function useJobOutputs(client: ApiClient, jobId: string, active: boolean): JobOutputs {
  const artifacts = useRefreshing(() => client.listArtifacts(jobId), active, FALLBACK_REFRESH_MS, jobId);
  const metrics = useRefreshing<unknown>(() => client.getMetrics(jobId), active, FALLBACK_REFRESH_MS, jobId);
  const held = useRef<unknown>(null);
  held.current = metrics.data;
  const { replace: replaceArtifacts } = artifacts;
  const { replace: replaceMetrics, reload: reloadMetrics } = metrics;
  const onOutput = useCallback(
    (output: JobOutputEvent) => {
      if (output.kind === "artifacts") return replaceArtifacts(output.list);
      const next = applyMetricsEvent(asRawMetrics(held.current), output.metrics);
      if (next) {
        held.current = next;
        replaceMetrics(next);
      } else {
        reloadMetrics();
      }
    },
    [replaceArtifacts, replaceMetrics, reloadMetrics],
  );
  const table = useMemo(() => (metrics.data !== null ? adaptMetrics(metrics.data) : null), [metrics.data]);
  return { metrics, table, artifacts, onOutput };
}
