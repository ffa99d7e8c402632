// A job's status as a fixed-width badge (colour plus the word, never colour alone).

import { JobStatus } from "../api/types";

export function StatusBadge(props: { status: JobStatus; cancelRequested?: boolean }) {
  const cancelling = props.cancelRequested && (props.status === "queued" || props.status === "running");
  return (
    <span class={`badge badge-${props.status}`} data-status={props.status}>
      {cancelling ? "cancelling" : props.status}
    </span>
  );
}
