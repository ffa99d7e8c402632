// The jobs list: newest first, filter by status, cursor paging, live status and progress. The filter, the page size
// (`limit`, 1-100 as in the API) and the cursor live in the URL so a page can be bookmarked and the browser's back
// button pages back.

import { useEffect, useState } from "preact/hooks";
import { ApiClient } from "../api/client";
import { JOB_STATUSES, Job, JobPage, JobStatus, isTerminal } from "../api/types";
import { useLiveJobs } from "../api/useLiveJobs";
import { formatDuration, formatNumber, formatTimestamp } from "../lib/format";
import { Link, navigate } from "../router";
import { ErrorNotice } from "../ui/ErrorNotice";
import { ProgressBar } from "../ui/ProgressBar";
import { StatusBadge } from "../ui/StatusBadge";

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
// The first page is reloaded this often so jobs submitted elsewhere (CLI, other tabs) show up.
const REFRESH_MS = 10_000;

function readStatuses(query: URLSearchParams): JobStatus[] {
  const raw = (query.get("status") ?? "").split(",");
  return JOB_STATUSES.filter((status) => raw.includes(status));
}

function readPageSize(query: URLSearchParams): number {
  const limit = Number(query.get("limit"));
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE ? limit : DEFAULT_PAGE_SIZE;
}

function listHref(statuses: JobStatus[], pageSize: number, cursor: string | null): string {
  const search = new URLSearchParams();
  if (statuses.length > 0) search.set("status", statuses.join(","));
  if (pageSize !== DEFAULT_PAGE_SIZE) search.set("limit", String(pageSize));
  if (cursor) search.set("cursor", cursor);
  const text = search.toString();
  return text ? `/?${text}` : "/";
}

function runSummary(job: Job): string {
  const config = job.params.simulation_config?.config ?? {};
  const parts: string[] = [job.params.simulation_config?.mode ?? job.job_type];
  if (typeof config.num_particles === "number") parts.push(`${formatNumber(config.num_particles)} atoms`);
  if (typeof config.steps === "number") parts.push(`${formatNumber(config.steps)} steps`);
  return parts.join(" · ");
}

export function JobsPage(props: { client: ApiClient; query: URLSearchParams }) {
  const statuses = readStatuses(props.query);
  const pageSize = readPageSize(props.query);
  const cursor = props.query.get("cursor");
  const [page, setPage] = useState<{ data: JobPage; requested_ms: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The effect reads the query from its canonical text, so an equal query in a new object does not reload.
  const queryKey = listHref(statuses, pageSize, cursor);

  useEffect(() => {
    const query = new URL(queryKey, window.location.origin).searchParams;
    const wanted = { status: readStatuses(query), cursor: query.get("cursor"), limit: readPageSize(query) };
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const requested_ms = Date.now();
      try {
        const data = await props.client.listJobs(wanted);
        if (stopped) return;
        setPage({ data, requested_ms });
        setError(null);
      } catch (loadError) {
        if (!stopped) setError(loadError);
      }
      if (!stopped && wanted.cursor === null) timer = setTimeout(load, REFRESH_MS);
    };
    setPage(null);
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [props.client, queryKey]);

  const listed = page?.data.jobs ?? [];
  const updates = useLiveJobs(props.client, listed);
  // A streamed update is newer than the list only if it arrived after the list was requested.
  const jobs = listed.map((job) => {
    const update = updates.get(job.job_id);
    return update && page && update.received_ms > page.requested_ms ? update.job : job;
  });

  const toggle = (status: JobStatus) => {
    const next = statuses.includes(status) ? statuses.filter((s) => s !== status) : [...statuses, status];
    navigate(listHref(next, pageSize, null));
  };

  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1}>
          Jobs
        </h1>
        <Link href="/jobs/new" class="button button-primary">
          New job
        </Link>
      </div>
      <fieldset class="filters">
        <legend>Show status</legend>
        {JOB_STATUSES.map((status) => (
          <label key={status} class="filter">
            <input type="checkbox" checked={statuses.includes(status)} onChange={() => toggle(status)} />
            {status}
          </label>
        ))}
        {statuses.length > 0 && (
          <button type="button" class="button-link" onClick={() => navigate(listHref([], pageSize, null))}>
            Show all
          </button>
        )}
      </fieldset>
      {error !== null && <ErrorNotice error={error} what="the jobs" />}
      {page === null && error === null && <p class="muted">Loading jobs…</p>}
      {page !== null && jobs.length === 0 && (
        <p class="muted">{statuses.length > 0 ? "No jobs with this status." : "No jobs yet. Submit one with New job."}</p>
      )}
      {jobs.length > 0 && (
        <table class="jobs-table">
          <caption class="visually-hidden">Jobs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Run</th>
              <th scope="col">Created</th>
              <th scope="col">Remaining</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.job_id} data-job-id={job.job_id}>
                <td class="cell-id">
                  <Link href={`/jobs/${encodeURIComponent(job.job_id)}`}>{job.job_id}</Link>
                </td>
                <td data-label="Status">
                  <StatusBadge status={job.status} cancelRequested={job.cancel_requested} />
                </td>
                <td data-label="Progress">
                  <ProgressBar progress={job.progress} label={`Progress of ${job.job_id}`} />
                </td>
                <td data-label="Run">{runSummary(job)}</td>
                <td data-label="Created" class="numeric">
                  {formatTimestamp(job.created_at)}
                </td>
                <td data-label="Remaining" class="numeric">
                  {!isTerminal(job.status) && job.eta_seconds !== null ? formatDuration(job.eta_seconds) : "–"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages">
        {cursor !== null && (
          <Link href={listHref(statuses, pageSize, null)} class="button">
            First page
          </Link>
        )}
        {page?.data.next_cursor && (
          <Link href={listHref(statuses, pageSize, page.data.next_cursor)} class="button">
            Older jobs
          </Link>
        )}
      </nav>
    </section>
  );
}
