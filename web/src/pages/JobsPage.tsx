// The jobs list: newest first, filter by status, cursor paging, live status and progress. The filter, the page size
// (`limit`, 1-100 as in the API) and the cursor live in the URL so a page can be bookmarked and the browser's back
// button pages back. The jobs shown can be narrowed by text (name, tags, parameters, outcome) and sorted, and two
// or more picked to compare. While the server cannot be reached the list is not shown (its statuses would be stale).

import { useEffect, useState } from "preact/hooks";
import { ApiClient } from "../api/client";
import { JOB_STATUSES, JobPage, JobStatus, isTerminal } from "../api/types";
import { useLiveJobs } from "../api/useLiveJobs";
import { formatDuration, formatTimestamp } from "../lib/format";
import { JOB_SORTS, JobSort, filterJobs, runSummary, sortJobs } from "../lib/jobList";
import { Link, navigate } from "../router";
import { errorText } from "../ui/ErrorNotice";
import { MAX_COMPARED } from "./ComparePage";
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

// Why the list is not shown: a server that cannot be reached in words, else the API's message.
function loadFailure(error: unknown): string {
  if (error instanceof TypeError) return "The server cannot be reached. The list is shown again when it answers.";
  return `Could not load the jobs: ${errorText(error)}`;
}

export function JobsPage(props: { client: ApiClient; query: URLSearchParams }) {
  const statuses = readStatuses(props.query);
  const pageSize = readPageSize(props.query);
  const cursor = props.query.get("cursor");
  const [page, setPage] = useState<{ data: JobPage; requested_ms: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filterText, setFilterText] = useState("");
  const [sort, setSort] = useState<JobSort>("newest");
  const [picked, setPicked] = useState<string[]>([]);
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
  const current = listed.map((job) => {
    const update = updates.get(job.job_id);
    return update && page && update.received_ms > page.requested_ms ? update.job : job;
  });
  const jobs = sortJobs(filterJobs(current, filterText), sort);
  const togglePicked = (jobId: string) =>
    setPicked((now) => (now.includes(jobId) ? now.filter((id) => id !== jobId) : [...now, jobId].slice(-MAX_COMPARED)));

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
      <div class="list-tools">
        <div class="field field-inline">
          <label for="jobs-filter">Filter</label>
          <input
            id="jobs-filter"
            type="search"
            value={filterText}
            placeholder="name, tag, preset, 450 K…"
            aria-describedby="jobs-filter-hint"
            onInput={(event) => setFilterText((event.target as HTMLInputElement).value)}
          />
          <span id="jobs-filter-hint" class="hint">
            on this page's jobs
          </span>
        </div>
        <div class="field field-inline">
          <label for="jobs-sort">Sort</label>
          <select id="jobs-sort" value={sort} onChange={(event) => setSort((event.target as HTMLSelectElement).value as JobSort)}>
            {JOB_SORTS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          class="button"
          disabled={picked.length < 2}
          aria-describedby="compare-hint"
          onClick={() => navigate(`/compare?jobs=${picked.map(encodeURIComponent).join(",")}`)}
        >
          Compare selected ({picked.length})
        </button>
        <span id="compare-hint" class="hint">
          tick two to {MAX_COMPARED} jobs
        </span>
      </div>
      {error !== null && (
        <p class="notice notice-error" role="alert">
          {loadFailure(error)}
        </p>
      )}
      {page === null && error === null && <p class="muted">Loading jobs…</p>}
      {page !== null && error === null && jobs.length === 0 && (
        <p class="muted">
          {listed.length > 0
            ? "No job on this page matches the filter."
            : statuses.length > 0
              ? "No jobs with this status."
              : "No jobs yet. Submit one with New job."}
        </p>
      )}
      {error === null && jobs.length > 0 && (
        <table class="jobs-table">
          <caption class="visually-hidden">Jobs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="visually-hidden">Compare</span>
              </th>
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
                <td data-label="Compare" class="cell-pick">
                  <input
                    type="checkbox"
                    id={`pick-${job.job_id}`}
                    checked={picked.includes(job.job_id)}
                    onChange={() => togglePicked(job.job_id)}
                  />
                  <label for={`pick-${job.job_id}`} class="visually-hidden">
                    Compare {job.name ?? job.job_id}
                  </label>
                </td>
                <td class="cell-id">
                  <Link href={`/jobs/${encodeURIComponent(job.job_id)}`}>{job.job_id}</Link>
                  {job.name && <span class="job-name">{job.name}</span>}
                  {job.tags && Object.keys(job.tags).length > 0 && (
                    <span class="job-tags">
                      {Object.entries(job.tags)
                        .map(([key, value]) => (value ? `${key}:${value}` : key))
                        .join(" ")}
                    </span>
                  )}
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
