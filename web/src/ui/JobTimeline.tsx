// When the job was created, started and finished, with the time spent waiting and running.

import { Job } from "../api/types";
import { formatDuration, formatTimestamp, secondsBetween } from "../lib/format";

function Moment(props: { label: string; at: string | null; note?: string | null }) {
  return (
    <li class={props.at ? "moment moment-done" : "moment"}>
      <span class="moment-label">{props.label}</span>
      {props.at ? <time dateTime={props.at}>{formatTimestamp(props.at)}</time> : <span class="muted">not yet</span>}
      {props.note && <span class="moment-note">{props.note}</span>}
    </li>
  );
}

export function JobTimeline(props: { job: Job }) {
  const { job } = props;
  const finishedAt = job.completed_at ?? job.cancelled_at;
  const waited = secondsBetween(job.created_at, job.started_at);
  const ran = secondsBetween(job.started_at, finishedAt);
  const finishLabel = job.status === "failed" ? "Failed" : job.status === "cancelled" ? "Cancelled" : "Finished";
  return (
    <ol class="timeline">
      <Moment label="Created" at={job.created_at} />
      <Moment label="Started" at={job.started_at} note={waited !== null ? `after ${formatDuration(waited)} queued` : null} />
      <Moment label={finishLabel} at={finishedAt} note={ran !== null ? `ran ${formatDuration(ran)}` : null} />
    </ol>
  );
}
