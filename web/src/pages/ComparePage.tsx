// Two or more runs side by side: their parameters in one table (one row per setting, the rows that differ marked
// and optionally the only ones shown) and their metrics overlaid, one chart per metric on a shared step axis. The
// runs are the URL's `jobs` (comma-separated ids), picked in the jobs list.

import { useEffect, useState } from "preact/hooks";
import { ApiClient } from "../api/client";
import { Job } from "../api/types";
import { compareParams, overlay } from "../lib/compare";
import { MetricTable, adaptMetrics } from "../lib/metrics";
import { Link } from "../router";
import { Chart } from "../ui/Chart";
import { ErrorNotice, isNotFound } from "../ui/ErrorNotice";
import { CHARTS } from "../ui/MetricsCharts";
import { StatusBadge } from "../ui/StatusBadge";

const RUN_COLORS = ["#1d5fa8", "#b3261e", "#2e7d32", "#7a3d9c", "#c2571a", "#00796b", "#37474f", "#ad1457"];
// More runs than this would make the table unreadable and the page hold many metric tables.
export const MAX_COMPARED = 8;

interface Run {
  job: Job;
  metrics: MetricTable | null; // null: no metrics yet
}

function runLabel(job: Job): string {
  return job.name ? `${job.name} (${job.job_id.slice(-6)})` : job.job_id;
}

export function ComparePage(props: { client: ApiClient; jobIds: string[] }) {
  const ids = props.jobIds.slice(0, MAX_COMPARED);
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const key = ids.join(",");

  useEffect(() => {
    const wanted = key === "" ? [] : key.split(",");
    if (wanted.length < 2) return;
    let stopped = false;
    setRuns(null);
    setError(null);
    Promise.all(
      wanted.map(async (jobId) => {
        const job = await props.client.getJob(jobId);
        const metrics = await props.client.getMetrics(jobId).then(adaptMetrics, (metricsError: unknown) => {
          if (isNotFound(metricsError)) return null;
          throw metricsError;
        });
        return { job, metrics };
      }),
    ).then(
      (loaded) => !stopped && setRuns(loaded),
      (loadError: unknown) => !stopped && setError(loadError),
    );
    return () => {
      stopped = true;
    };
  }, [props.client, key]);

  const heading = (
    <h1 id="page-title" tabIndex={-1}>
      Compare runs
    </h1>
  );
  if (ids.length < 2) {
    return (
      <section aria-labelledby="page-title">
        {heading}
        <p>
          Pick two or more jobs in the <Link href="/">jobs list</Link> (the "Compare" boxes), then "Compare selected".
        </p>
      </section>
    );
  }
  if (error !== null) {
    return (
      <section aria-labelledby="page-title">
        {heading}
        <ErrorNotice error={error} what="the jobs to compare" />
      </section>
    );
  }
  if (runs === null) {
    return (
      <section aria-labelledby="page-title">
        {heading}
        <p class="muted">Loading {ids.length} jobs…</p>
      </section>
    );
  }

  const rows = compareParams(runs.map((run) => run.job.params));
  const differing = rows.filter((row) => row.differs).length;
  const shown = onlyDifferences ? rows.filter((row) => row.differs) : rows;
  const labels = runs.map((run) => runLabel(run.job));
  return (
    <section aria-labelledby="page-title" class="compare-page">
      {heading}
      {props.jobIds.length > MAX_COMPARED && <p class="notice">Only the first {MAX_COMPARED} jobs are compared.</p>}
      <h2 id="compare-params-title">Parameters</h2>
      <div class="field field-check">
        <input
          id="compare-only-differences"
          type="checkbox"
          checked={onlyDifferences}
          onChange={(event) => setOnlyDifferences((event.target as HTMLInputElement).checked)}
        />
        <label for="compare-only-differences">
          Show only the {differing} {differing === 1 ? "setting that differs" : "settings that differ"}
        </label>
      </div>
      <div class="table-scroll">
        <table class="compare-table" aria-labelledby="compare-params-title">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              {runs.map((run, i) => (
                <th scope="col" key={run.job.job_id}>
                  <span class="swatch" style={{ background: RUN_COLORS[i % RUN_COLORS.length] }} aria-hidden="true" />{" "}
                  <Link href={`/jobs/${encodeURIComponent(run.job.job_id)}`}>{labels[i]}</Link>{" "}
                  <StatusBadge status={run.job.status} cancelRequested={run.job.cancel_requested} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.path} class={row.differs ? "differs" : undefined}>
                <th scope="row" class="cell-id">
                  {row.path.replace(/^simulation_config\.(config\.)?/, "")}
                  {row.differs && <span class="differs-tag"> differs</span>}
                </th>
                {row.values.map((value, i) => (
                  <td key={runs[i].job.job_id} class="cell-id">
                    {value ?? <span class="muted">default</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Metrics</h2>
      <div class="charts">
        {CHARTS.flatMap((chart) => chart.series).map((metric) => {
          const merged = overlay(
            runs.map((run) => run.metrics),
            metric.column,
          );
          if (!merged) return null;
          return (
            <Chart
              key={metric.column}
              id={`compare-${metric.column}`}
              title={metric.label[0].toUpperCase() + metric.label.slice(1)}
              xLabel="step"
              x={merged.x}
              series={merged.series.map((values, i) => ({ label: labels[i], color: RUN_COLORS[i % RUN_COLORS.length], values }))}
            />
          );
        })}
      </div>
      {runs.every((run) => run.metrics === null) && <p class="muted">None of these runs has metrics yet.</p>}
    </section>
  );
}
