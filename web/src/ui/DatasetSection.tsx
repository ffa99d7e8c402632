// The part of a generate_dataset job's page that a single run's page does not have: the runs by status and the
// estimate, the grid of runs (each a link to its run's page), and the outcome plot from dataset_summary.json, which
// `live2-sim combine` writes when the runs have ended.

import { Fragment } from "preact";
import { useMemo } from "preact/hooks";
import { ApiClient } from "../api/client";
import { Artifact, Job } from "../api/types";
import { MAX_GRID_RUNS, useDatasetRuns } from "../api/useDatasetRuns";
import { useArtifactText } from "../api/useArtifactText";
import { datasetGrid, datasetShape } from "../lib/datasetGrid";
import { parseDatasetSummary } from "../lib/datasetSummary";
import { formatDuration, formatNumber } from "../lib/format";
import { DatasetGrid } from "./DatasetGrid";
import { ErrorNotice } from "./ErrorNotice";
import { OutcomePlot } from "./OutcomePlot";

export const DATASET_SUMMARY = "dataset_summary.json";
export const RUNS_PREFIX = "runs/"; // each run's artifacts are the dataset's under runs/<index>/
const COUNTED = ["queued", "running", "completed", "failed", "cancelled"] as const;

function RunCountsList(props: { job: Job }) {
  const runs = props.job.runs;
  if (!runs) return null;
  return (
    <dl class="details run-counts">
      <dt>Total</dt>
      <dd class="numeric" data-count="total">
        {formatNumber(runs.total)}
      </dd>
      {COUNTED.map((status) => (
        <Fragment key={status}>
          <dt>
            <span class={`run run-${status} run-key`} aria-hidden="true" /> {status}
          </dt>
          <dd class="numeric" data-count={status}>
            {formatNumber(runs[status])}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

function EstimateList(props: { job: Job }) {
  const estimate = props.job.estimate;
  if (!estimate) return null;
  return (
    <dl class="details">
      <dt>Particle-steps</dt>
      <dd class="numeric">{formatNumber(estimate.particle_steps)}</dd>
      <dt>Run time, summed</dt>
      <dd class="numeric">{formatDuration(estimate.run_time_s)}</dd>
      <dt>Expected wall time</dt>
      <dd class="numeric">{formatDuration(estimate.wall_time_s)}</dd>
    </dl>
  );
}

export function DatasetSection(props: { client: ApiClient; job: Job; active: boolean; artifacts: Artifact[] | undefined }) {
  const { job } = props;
  const runs = useDatasetRuns(props.client, job.job_id, props.active);
  const grid = useMemo(() => datasetGrid(datasetShape(job.params)), [job.params]);
  const summaryFile = useArtifactText(props.artifacts?.find((a) => a.name === DATASET_SUMMARY));
  const summary = useMemo(() => (summaryFile.text !== null ? parseDatasetSummary(summaryFile.text) : null), [summaryFile.text]);
  return (
    <>
      <div class="panels">
        <section class="panel" aria-labelledby="runs-counts-title">
          <h2 id="runs-counts-title">Runs</h2>
          <RunCountsList job={job} />
        </section>
        <section class="panel" aria-labelledby="estimate-title">
          <h2 id="estimate-title">Estimate at submit</h2>
          <EstimateList job={job} />
        </section>
      </div>

      <section aria-labelledby="grid-title">
        <h2 id="grid-title">Runs by sweep point</h2>
        {runs.error !== null && <ErrorNotice error={runs.error} what="the runs" />}
        <DatasetGrid jobId={job.job_id} grid={grid} runs={runs.data?.byIndex ?? new Map()} />
        {runs.data && !runs.data.complete && (
          <p class="hint">The first {formatNumber(MAX_GRID_RUNS)} runs show their status; the counts above cover all.</p>
        )}
      </section>

      <section aria-labelledby="outcome-title">
        <h2 id="outcome-title">Outcomes</h2>
        {summaryFile.error !== null && <ErrorNotice error={summaryFile.error} what={DATASET_SUMMARY} />}
        {summary ? (
          <OutcomePlot summary={summary} />
        ) : summaryFile.text !== null ? (
          <p class="notice notice-error">{DATASET_SUMMARY} is not in the expected format.</p>
        ) : (
          <p class="muted">
            The plot appears when the runs have been combined ({DATASET_SUMMARY}: means and 95 % confidence intervals
            over the replicas).
          </p>
        )}
      </section>
    </>
  );
}
