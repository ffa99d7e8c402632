// One run of a dataset: its swept values, seed, status, progress, attempts and error, its params, and its own files
// (the dataset's artifacts under runs/<index>/, listed with that prefix, with the run report, metrics charts and final picture read from them). Reloaded
// every RUNS_REFRESH_MS while the run is unfinished; the dataset's page has the grid of all runs.

import { Fragment } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiClient, ApiError } from "../api/client";
import { Run, isTerminal } from "../api/types";
import { useArtifactText } from "../api/useArtifactText";
import { RUNS_REFRESH_MS } from "../api/useDatasetRuns";
import { useRefreshing } from "../api/useRefreshing";
import { formatSweepValue } from "../lib/datasetGrid";
import { formatDuration, formatNumber, formatTimestamp } from "../lib/format";
import { metricsFromCsv } from "../lib/metrics";
import { Link } from "../router";
import { ArtifactList, FINAL_PICTURE, FinalPicture } from "../ui/ArtifactList";
import { RUNS_PREFIX } from "../ui/DatasetSection";
import { ErrorNotice } from "../ui/ErrorNotice";
import { MetricsCharts } from "../ui/MetricsCharts";
import { ProgressBar } from "../ui/ProgressBar";
import { RunReport } from "../ui/RunReport";
import { StatusBadge } from "../ui/StatusBadge";

async function loadRun(client: ApiClient, jobId: string, index: number): Promise<Run> {
  const run = await client.getRun(jobId, index);
  if (!run) throw new ApiError(404, "not_found", `the dataset has no run ${index}`);
  return run;
}

function RunDetails(props: { run: Run }) {
  const { run } = props;
  return (
    <dl class="details run-details">
      {Object.entries(run.sweep).map(([field, value]) => (
        <Fragment key={field}>
          <dt>{field}</dt>
          <dd class="numeric" data-sweep={field}>
            {formatSweepValue(value)}
          </dd>
        </Fragment>
      ))}
      <dt>Seed</dt>
      <dd class="numeric" data-field="seed">
        {run.seed}
      </dd>
      <dt>Attempts</dt>
      <dd class="numeric">{formatNumber(run.attempts)}</dd>
      <dt>Started</dt>
      <dd>{formatTimestamp(run.started_at)}</dd>
      <dt>Finished</dt>
      <dd>{formatTimestamp(run.completed_at)}</dd>
      {run.exit_code !== null && (
        <>
          <dt>Exit code</dt>
          <dd class="numeric">{run.exit_code}</dd>
        </>
      )}
    </dl>
  );
}

export function RunPage(props: { client: ApiClient; jobId: string; index: number }) {
  const { client, jobId, index } = props;
  const key = `${jobId}/${index}`;
  // Active until the run is seen finished (then loaded once more, with its final files).
  const [active, setActive] = useState(true);
  const run = useRefreshing(() => loadRun(client, jobId, index), active, RUNS_REFRESH_MS, key);
  const current = run.data;
  useEffect(() => {
    if (current) setActive(!isTerminal(current.status));
  }, [current]);
  const prefix = `${RUNS_PREFIX}${index}/`;
  const artifacts = useRefreshing(() => client.listArtifacts(jobId, prefix), active, RUNS_REFRESH_MS, key);
  const own = artifacts.data?.artifacts;
  const metricsFile = useArtifactText(own?.find((a) => a.name === `${prefix}metrics.csv`));
  const table = useMemo(() => (metricsFile.text !== null ? metricsFromCsv(metricsFile.text) : null), [metricsFile.text]);
  const jobHref = `/jobs/${encodeURIComponent(jobId)}`;
  const error = run.error;

  return (
    <section aria-labelledby="page-title" class="job-page">
      <p class="breadcrumb">
        <Link href="/">Jobs</Link> / <Link href={jobHref}>{jobId}</Link> / run {index}
      </p>
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1} class="job-title">
          Run {index}
        </h1>
        {current && <StatusBadge status={current.status} cancelRequested={false} />}
      </div>
      {error !== null && current === null && <ErrorNotice error={error} what="the run" />}
      {current === null ? (
        error === null && <p class="muted">Loading run…</p>
      ) : (
        <>
          <div class="job-progress" aria-live="off">
            <ProgressBar progress={current.progress} label="Progress" />
            <span class="numeric eta">
              {current.started_at && current.completed_at
                ? `ran ${formatDuration((Date.parse(current.completed_at) - Date.parse(current.started_at)) / 1000)}`
                : ""}
            </span>
          </div>
          {current.error && (
            <p class="notice notice-error" role="alert">
              {current.error}
            </p>
          )}
          <RunDetails run={current} />
          <details class="params">
            <summary>Parameters of this run</summary>
            <pre>{JSON.stringify(current.params, null, 2)}</pre>
          </details>
          <RunReport job={{ status: current.status }} artifacts={own} />
          <section aria-labelledby="charts-title">
            <h2 id="charts-title">Metrics</h2>
            {metricsFile.error !== null && <ErrorNotice error={metricsFile.error} what="metrics.csv" />}
            {table ? <MetricsCharts table={table} /> : <p class="muted">The charts appear when the run has written its metrics.</p>}
          </section>
          <section aria-labelledby="picture-title">
            <h2 id="picture-title">Final state</h2>
            <FinalPicture artifact={own?.find((a) => a.name === `${prefix}${FINAL_PICTURE}`)} status={current.status} />
          </section>
        </>
      )}
      <section aria-labelledby="artifacts-title">
        <h2 id="artifacts-title">Artifacts</h2>
        {artifacts.error !== null && <ErrorNotice error={artifacts.error} what="the artifacts" />}
        {own ? <ArtifactList artifacts={own} /> : <p class="muted">Loading artifacts…</p>}
      </section>
    </section>
  );
}
