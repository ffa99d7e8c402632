// Where and how the job runs: executor kind, its own job id and state, attempts, reason and exit code; on AWS Batch
// also its Fargate size, compute environment, cost estimate and a link to its CloudWatch Logs stream.

import { ExecutorInfo, Job } from "../api/types";
import { distinctStatusReason } from "../lib/failureReason";

function Row(props: { term: string; value: string | number | null | undefined }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>{props.value === null || props.value === undefined || props.value === "" ? "–" : String(props.value)}</dd>
    </>
  );
}

// "~$0.0072 (0.500 vCPU-h, 1.000 GB-h)": the estimate of docs/aws.md, "Cost".
function costText(cost: Job["cost"]): string | null {
  if (!cost) return null;
  const hours = `${cost.vcpu_hours.toFixed(3)} vCPU-h, ${cost.gb_hours.toFixed(3)} GB-h`;
  return cost.usd === null ? hours : `~$${cost.usd.toFixed(4)} (${hours})`;
}

// `jobError` is shown by the page itself; a status reason that only repeats it is left out here.
export function ExecutorDetails(props: { executor: ExecutorInfo | null; jobError: string | null; cost?: Job["cost"] }) {
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
      {batch && executor.vcpus ? <Row term="Size" value={`${executor.vcpus} vCPU, ${executor.memory_mib} MiB`} /> : null}
      {batch ? <Row term="Compute environment" value={executor.compute_environment} /> : null}
      {batch ? <Row term="Cost (estimate)" value={costText(props.cost)} /> : null}
      {batch && executor.log_url ? (
        <>
          <dt>CloudWatch Logs</dt>
          <dd>
            <a href={executor.log_url} target="_blank" rel="noopener noreferrer">open the log stream</a>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
