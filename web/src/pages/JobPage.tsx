// One job: status, progress, metrics and artifacts (live over its event stream), cancel, its webhook, the run report (what the chemistry
// produced), charts of the run's metrics, the final picture, the trajectory viewer; then the operator's details: timeline, executor,
// artifacts and the log tail. A generate_dataset job shows its runs (counts, estimate, grid) and the outcome plot
// instead of one run's report, charts and pictures; its artifacts are the dataset's own files (each run's are on its page).

import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiClient, ApiError, JobOutputEvent } from "../api/client";
import { Artifact, Job, isTerminal } from "../api/types";
import { findArtifact } from "../api/useArtifactText";
import { useJobOutputs } from "../api/useJobOutputs";
import { POLL_MS, watchJob } from "../api/watch";
import { formatDuration, formatNumber } from "../lib/format";
import { CONFIG_FIELDS, ConfigFieldName } from "../lib/params";
import { Link } from "../router";
import { ArtifactList, FINAL_PICTURE, FinalPicture } from "../ui/ArtifactList";
import { DatasetSection } from "../ui/DatasetSection";
import { ErrorNotice, errorText, isNotFound } from "../ui/ErrorNotice";
import { ExecutorDetails } from "../ui/ExecutorDetails";
import { JobTimeline } from "../ui/JobTimeline";
import { LogTail } from "../ui/LogTail";
import { MetricsCharts } from "../ui/MetricsCharts";
import { ProgressBar } from "../ui/ProgressBar";
import { RunReport } from "../ui/RunReport";
import { TRAJECTORY_FILE, TrajectoryViewer } from "../ui/TrajectoryViewer";
import { StatusBadge } from "../ui/StatusBadge";

function useLiveJob(
  client: ApiClient,
  jobId: string,
  onOutput: (output: JobOutputEvent) => void,
): { job: Job | null; error: unknown; replace: (job: Job) => void } {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const controller = new AbortController();
    setJob(null);
    setError(null);
    client.getJob(jobId).then(
      (loaded) => {
        if (controller.signal.aborted) return;
        setJob((current) => current ?? loaded);
        if (!isTerminal(loaded.status)) void watchJob(client, jobId, setJob, controller.signal, POLL_MS, onOutput);
      },
      (loadError: unknown) => {
        if (!controller.signal.aborted) setError(loadError);
      },
    );
    return () => controller.abort();
  }, [client, jobId, onOutput]);
  return { job, error, replace: setJob };
}

// Signed artifact URLs change on every listing; keep the first URL of each version of the picture so the image
// is not downloaded again on every refresh.
function useStablePicture(artifacts: Artifact[] | undefined): Artifact | undefined {
  const kept = useRef<Artifact | undefined>(undefined);
  const current = artifacts?.find((a) => a.name === FINAL_PICTURE || a.name.endsWith(`/${FINAL_PICTURE}`));
  const version = (a: Artifact | undefined) => (a ? `${a.key}|${a.size}|${a.last_modified}` : "");
  if (version(current) !== version(kept.current)) kept.current = current;
  return kept.current;
}

// "Cancel job…" asks in place; keyboard focus goes to the safe answer ("Keep running") and back to the button.
function CancelControl(props: { client: ApiClient; job: Job; onCancelled: (job: Job) => void }) {
  const [confirming, setConfirming] = useState<boolean | null>(null); // null: never asked, so focus stays put
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const askButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming === true) keepButton.current?.focus();
    if (confirming === false) askButton.current?.focus();
  }, [confirming]);
  if (isTerminal(props.job.status)) return null;
  if (props.job.cancel_requested) {
    return <p class="notice">Cancel requested: the job stops when its executor confirms.</p>;
  }
  const cancel = async () => {
    setBusy(true);
    try {
      props.onCancelled(await props.client.cancelJob(props.job.job_id));
      setMessage(null);
    } catch (error) {
      setMessage(error instanceof ApiError && error.status === 409 ? "The job had already finished." : errorText(error));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <div class="cancel" aria-live="polite">
      {!confirming ? (
        <button ref={askButton} type="button" class="button button-danger" onClick={() => setConfirming(true)}>
          Cancel job…
        </button>
      ) : (
        <>
          <span>Stop this job? Its results so far are kept.</span>
          <button type="button" class="button button-danger" disabled={busy} onClick={cancel}>
            Yes, cancel job
          </button>
          <button ref={keepButton} type="button" class="button" onClick={() => setConfirming(false)}>
            Keep running
          </button>
        </>
      )}
      {message && <p class="notice notice-error">{message}</p>}
    </div>
  );
}

function ParamsSummary(props: { job: Job }) {
  const simulation = props.job.params.simulation_config;
  const config = simulation?.config ?? {};
  const sweep = "sweep" in props.job.params ? (props.job.params.sweep ?? {}) : {};
  // Fields left out of the request have the server's default; a dataset's swept fields show their values.
  const numeric = (name: ConfigFieldName) => {
    const swept = sweep[name];
    if (swept) return swept.map((v) => (typeof v === "number" ? formatNumber(v) : String(v))).join(" / ");
    const value = config[name];
    const fallback = CONFIG_FIELDS.find((field) => field.name === name)?.defaultValue;
    return typeof value === "number" ? formatNumber(value) : fallback != null ? formatNumber(fallback) : "–";
  };
  return (
    <details class="params">
      <summary>
        Parameters: {simulation?.mode ?? props.job.job_type}, {numeric("num_particles")} atoms, {numeric("steps")} steps,{" "}
        {numeric("temperature")} K
      </summary>
      <pre>{JSON.stringify(props.job.params, null, 2)}</pre>
    </details>
  );
}

export function JobPage(props: { client: ApiClient; jobId: string }) {
  const { client, jobId } = props;
  // The job's status comes first (active decides the outputs' refreshing), the outputs' event handler before that:
  // it is stable, so a ref carries it from the outputs hook below to the stream started in useLiveJob.
  const outputHandler = useRef<(output: JobOutputEvent) => void>(() => undefined);
  const onOutput = useCallback((output: JobOutputEvent) => outputHandler.current(output), []);
  const { job, error, replace } = useLiveJob(client, jobId, onOutput);
  const active = job !== null && !isTerminal(job.status);
  const { metrics, table, artifacts, onOutput: applyOutput } = useJobOutputs(client, jobId, active);
  outputHandler.current = applyOutput;
  const picture = useStablePicture(artifacts.data?.artifacts);
  const dataset = job?.job_type === "generate_dataset";

  if (error !== null) {
    const missing = isNotFound(error);
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          Job {jobId}
        </h1>
        {missing ? <p class="notice notice-error">No such job (or it belongs to another user).</p> : <ErrorNotice error={error} what="the job" />}
        <Link href="/">Back to jobs</Link>
      </section>
    );
  }
  if (job === null) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1} class="job-title">
          {jobId}
        </h1>
        <p class="muted">Loading job…</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="page-title" class="job-page">
      <p class="breadcrumb">
        <Link href="/">Jobs</Link> / {job.job_id}
      </p>
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1} class="job-title">
          {job.job_id}
        </h1>
        <StatusBadge status={job.status} cancelRequested={job.cancel_requested} />
      </div>
      <div class="job-progress" aria-live="off">
        <ProgressBar progress={job.progress} label="Progress" />
        <span class="numeric eta">
          {active && job.eta_seconds !== null
            ? `about ${formatDuration(job.eta_seconds)} left`
            : job.estimated_time !== null && job.status === "queued"
              ? `estimated ${formatDuration(job.estimated_time)}`
              : ""}
        </span>
      </div>
      {job.error && (
        <p class="notice notice-error" role="alert">
          {job.error}
        </p>
      )}
      <CancelControl client={client} job={job} onCancelled={replace} />
      <ParamsSummary job={job} />
      <p class="page-actions">
        <Link href={`/jobs/new?from=${encodeURIComponent(job.job_id)}`} class="button">
          Re-run with changes
        </Link>
      </p>
      {job.webhook_url && (
        <p class="webhook">
          Status changes are posted to <code class="webhook-url">{job.webhook_url}</code>
        </p>
      )}

      {dataset ? (
        <DatasetSection client={client} job={job} active={active} artifacts={artifacts.data?.artifacts} />
      ) : (
        <>
          <RunReport job={job} artifacts={artifacts.data?.artifacts} />

          <section aria-labelledby="charts-title">
            <h2 id="charts-title">Metrics</h2>
            {table ? (
              <MetricsCharts table={table} />
            ) : isNotFound(metrics.error) ? (
              <p class="muted">No metrics yet: the charts appear when the run has written its metrics.</p>
            ) : metrics.error !== null ? (
              <ErrorNotice error={metrics.error} what="the metrics" />
            ) : (
              <p class="muted">Loading metrics…</p>
            )}
          </section>

          <section aria-labelledby="picture-title">
            <h2 id="picture-title">Final state</h2>
            <FinalPicture artifact={picture} status={job.status} />
          </section>

          <section aria-labelledby="trajectory-title">
            <h2 id="trajectory-title">Trajectory</h2>
            <TrajectoryViewer job={job} artifact={findArtifact(artifacts.data?.artifacts, TRAJECTORY_FILE)} />
          </section>
        </>
      )}

      <div class="panels">
        <section class="panel" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          <JobTimeline job={job} />
        </section>
        <section class="panel" aria-labelledby="executor-title">
          <h2 id="executor-title">Executor</h2>
          <ExecutorDetails executor={job.executor} jobError={job.error} cost={job.cost} />
        </section>
      </div>

      <section aria-labelledby="artifacts-title">
        <h2 id="artifacts-title">Artifacts</h2>
        {artifacts.error !== null && <ErrorNotice error={artifacts.error} what="the artifacts" />}
        {artifacts.data ? <ArtifactList artifacts={artifacts.data.artifacts} /> : <p class="muted">Loading artifacts…</p>}
        {dataset && <p class="hint">Each run's files (runs/&lt;index&gt;/) are listed on its page.</p>}
        {artifacts.data && (
          <p class="hint">Download links work without a key for {formatDuration(artifacts.data.expires_in)}.</p>
        )}
      </section>

      <section aria-labelledby="log-title">
        <h2 id="log-title">Log</h2>
        <LogTail client={client} jobId={jobId} active={active} />
      </section>
    </section>
  );
}
