// The jobs list's run summary, text filter and sort over the jobs of the page shown. The filter matches, case-
// insensitively, every word against the job's id, name, tags (key and value), status and run summary (mode, preset,
// atoms, steps, temperature; a dataset's number of runs). Pure.

import { Job, JobStatus } from "../api/types";
import { formatNumber } from "./format";

function configOf(job: Job): Record<string, unknown> {
  return (job.params.simulation_config?.config ?? {}) as Record<string, unknown>;
}

export function runSummary(job: Job): string {
  const config = configOf(job);
  const mode = job.params.simulation_config?.mode;
  const parts: string[] = [mode ?? job.job_type];
  if (job.runs) parts.push(`dataset of ${formatNumber(job.runs.total)} runs`);
  if (mode === "preset_prebiotic") parts.push(typeof config.preset === "string" ? config.preset : "miller_urey");
  if (typeof config.num_particles === "number") parts.push(`${formatNumber(config.num_particles)} atoms`);
  if (typeof config.steps === "number") parts.push(`${formatNumber(config.steps)} steps`);
  if (typeof config.temperature === "number") parts.push(`${formatNumber(config.temperature)} K`);
  return parts.join(" · ");
}

function searchableText(job: Job): string {
  const tags = Object.entries(job.tags ?? {}).map(([key, value]) => `${key}:${value} ${key} ${value}`);
  return [job.job_id, job.name ?? "", ...tags, job.status, runSummary(job)].join(" ").toLowerCase();
}

export function filterJobs(jobs: Job[], text: string): Job[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return jobs;
  return jobs.filter((job) => {
    const haystack = searchableText(job);
    return words.every((word) => haystack.includes(word));
  });
}

export type JobSort = "newest" | "oldest" | "particles" | "steps" | "temperature" | "outcome" | "name";
export const JOB_SORTS: { value: JobSort; label: string }[] = [
  { value: "newest", label: "Newest first" },
  { value: "oldest", label: "Oldest first" },
  { value: "particles", label: "Most atoms" },
  { value: "steps", label: "Most steps" },
  { value: "temperature", label: "Highest temperature" },
  { value: "outcome", label: "Outcome (failed first)" },
  { value: "name", label: "Name" },
];

const OUTCOME_ORDER: JobStatus[] = ["failed", "cancelled", "running", "queued", "completed"];

function numberSetting(job: Job, name: string): number {
  const value = configOf(job)[name];
  return typeof value === "number" ? value : Number.NEGATIVE_INFINITY;
}

// The list comes newest first; every other order keeps that as the tie-break.
export function sortJobs(jobs: Job[], sort: JobSort): Job[] {
  const indexed = jobs.map((job, index) => ({ job, index }));
  const by = (key: (job: Job) => number | string, descending: boolean) =>
    indexed
      .sort((a, b) => {
        const left = key(a.job);
        const right = key(b.job);
        const compared =
          typeof left === "string" && typeof right === "string" ? left.localeCompare(right, "en") : Number(left) - Number(right);
        return (descending ? -compared : compared) || a.index - b.index;
      })
      .map((entry) => entry.job);
  switch (sort) {
    case "newest":
      return jobs.slice();
    case "oldest":
      return jobs.slice().reverse();
    case "particles":
      return by((job) => numberSetting(job, "num_particles"), true);
    case "steps":
      return by((job) => numberSetting(job, "steps"), true);
    case "temperature":
      return by((job) => numberSetting(job, "temperature"), true);
    case "outcome":
      return by((job) => OUTCOME_ORDER.indexOf(job.status), false);
    case "name":
      return by((job) => (job.name ?? "\uffff").toLowerCase(), false);
  }
}
