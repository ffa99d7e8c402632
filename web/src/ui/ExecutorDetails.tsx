// Where and how the job runs: executor kind, its own job id and state, attempts, reason and exit code.

import { ExecutorInfo } from "../api/types";
import { distinctStatusReason } from "../lib/failureReason";

function Row(props: { term: string; value: string | number | null | undefined }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>{props.value === null || props.value === undefined || props.value === "" ? "–" : String(props.value)}</dd>
    </>
  );
}

// `jobError` is shown by the page itself; a status reason that only repeats it is left out here.
export function ExecutorDetails(props: { executor: ExecutorInfo | null; jobError: string | null }) {
  const executor = props.executor;
  if (!executor || !executor.kind) return <p class="muted">Not handed to an executor yet.</p>;
  const batch = executor.kind === "aws_batch";
  const reason = distinctStatusReason(executor.status_reason, props.jobError);
  return (
    <dl class="details">
      <Row term="Kind" value={batch ? "AWS Batch" : executor.kind} />
      {batch ? <Row term="Batch job id" value={executor.batch_job_id} /> : <Row term="Process id" value={executor.process_id} />}
      {batch ? <Row term="Batch status" value={executor.batch_status} /> : <Row term="State" value={executor.state} />}
      <Row term="Attempts" value={executor.attempts} />
      <Row term="Status reason" value={reason ?? (props.jobError ? "see above" : null)} />
      <Row term="Exit code" value={executor.exit_code} />
      <Row term="Log stream" value={executor.log_stream} />
    </dl>
  );
}
