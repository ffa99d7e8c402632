// Keeps the jobs of a list live: follows the event streams of up to MAX_STREAMS unfinished jobs (running ones
// first; a browser allows only about six connections per server, and the page needs some for its own requests),
// taking the next one up as a followed job finishes. Returns the newest version of each job it has heard about.

import { useEffect, useRef, useState } from "preact/hooks";
import { ApiClient } from "./client";
import { Job, isTerminal } from "./types";
import { watchJob } from "./watch";

const MAX_STREAMS = 4;

export interface LiveUpdate {
  job: Job;
  received_ms: number;
}

export function useLiveJobs(client: ApiClient, jobs: Job[]): Map<string, LiveUpdate> {
  const [updates, setUpdates] = useState<Map<string, LiveUpdate>>(() => new Map());
  const streams = useRef(new Map<string, AbortController>());

  const current = jobs.map((job) => updates.get(job.job_id)?.job ?? job);
  // The effect depends on the ids as one string: a new array with the same ids must not restart any stream.
  const wantedKey = current
    .filter((job) => !isTerminal(job.status))
    .sort((a, b) => Number(b.status === "running") - Number(a.status === "running"))
    .slice(0, MAX_STREAMS)
    .map((job) => job.job_id)
    .join(",");

  useEffect(() => {
    const wanted = wantedKey === "" ? [] : wantedKey.split(",");
    const open = streams.current;
    for (const [jobId, controller] of open) {
      if (!wanted.includes(jobId)) {
        controller.abort();
        open.delete(jobId);
      }
    }
    for (const jobId of wanted) {
      if (open.has(jobId)) continue;
      const controller = new AbortController();
      open.set(jobId, controller);
      const receive = (job: Job) =>
        setUpdates((previous) => new Map(previous).set(job.job_id, { job, received_ms: Date.now() }));
      void watchJob(client, jobId, receive, controller.signal);
    }
  }, [client, wantedKey]);

  useEffect(
    () => () => {
      for (const controller of streams.current.values()) controller.abort();
      streams.current.clear();
    },
    [client],
  );

  return updates;
}
