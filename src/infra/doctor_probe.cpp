#include "infra/doctor_probe.h"

#include <algorithm>

#include "core/ids.h"
#include "worker/worker_contract.h"

namespace live2::infra {
namespace {

constexpr const char* kProbeParams =
    R"({"simulation_config":{"mode":"open_chemistry","config":{"num_particles":200,"steps":500}}})";
constexpr std::string_view kGroup = "Probe";
constexpr std::string_view kTitle = "A tiny job runs and uploads its artifacts";

Check result(CheckStatus status, std::string observed, std::string fix = "") {
  return Check{"probe.job", std::string(kGroup), std::string(kTitle), status, std::move(observed), std::move(fix)};
}

}  // namespace

Check run_probe(aws::BatchApi& batch, const ListArtifacts& list_artifacts, aws::Sleeper& sleeper, const Clock& clock,
                RandomSource& random, const ProbeOptions& options) {
  const std::string job_id = new_random_id("probe_", random);
  const std::string prefix = options.environment + "/doctor/" + job_id + "/";
  aws::BatchSubmitRequest request;
  request.job_name = "live2-doctor-" + job_id;
  request.job_queue = options.job_queue;
  request.job_definition = options.job_definition;
  request.environment = {{worker::env::kJobId, job_id},
                         {worker::env::kUserId, "doctor"},
                         {worker::env::kJobParams, kProbeParams},
                         {worker::env::kS3Bucket, options.bucket},
                         {worker::env::kEnv, options.environment},
                         {worker::env::kArtifactPrefix, prefix}};
  request.tags = {{"live2:job-id", job_id}, {"live2:user-id", "doctor"}};
  Result<aws::BatchSubmitted> submitted = batch.submit_job(request);
  if (!submitted.ok()) {
    return result(CheckStatus::fail,
                  "SubmitJob failed: " + std::string(submitted.error().code_name()) + ": " + submitted.error().message,
                  "fix the checks above (queue, definition, permissions) and probe again");
  }
  const int64_t started_ms = clock.now_ms();
  std::string last_status = "SUBMITTED";
  std::string reason;
  while (clock.now_ms() - started_ms <= options.timeout_ms) {
    Result<std::vector<aws::BatchJob>> jobs = batch.describe_jobs({submitted->job_id});
    if (jobs.ok() && !jobs->empty()) {
      last_status = jobs->front().status;
      reason = jobs->front().status_reason;
      if (last_status == "SUCCEEDED" || last_status == "FAILED") break;
    }
    sleeper.sleep_ms(options.poll_interval_ms);
  }
  const std::string waited = std::to_string((clock.now_ms() - started_ms) / 1000) + " s";
  const std::string seen = "Batch job " + submitted->job_id + " " + last_status + " after " + waited +
                           (reason.empty() ? "" : " (" + reason + ")");
  if (last_status == "FAILED") {
    return result(CheckStatus::fail, seen, "read the job's log stream in CloudWatch (/aws/batch/job); image pull "
                                           "errors mean the image or the network path to ECR is wrong");
  }
  if (last_status != "SUCCEEDED") {
    const Status stopped = batch.terminate_job(submitted->job_id, "live2 doctor probe timed out");
    return result(CheckStatus::fail,
                  seen + (stopped.ok() ? "; gave up and terminated it" : "; gave up, and terminating it failed: " +
                                                                           stopped.error().message),
                  "a job stuck in RUNNABLE usually means the compute environment cannot place it: check its "
                  "subnets, maxvCpus and the job's vCPU/memory pair");
  }
  Result<std::vector<std::string>> names = list_artifacts(prefix);
  if (!names.ok()) {
    return result(CheckStatus::fail, seen + "; listing s3://" + options.bucket + "/" + prefix + " failed: " +
                                         names.error().message,
                  "give the server's identity s3:ListBucket on the bucket");
  }
  const bool complete = std::find(names->begin(), names->end(), prefix + worker::artifact::kMetadata) != names->end();
  return complete ? result(CheckStatus::pass, seen + "; " + std::to_string(names->size()) + " artifacts in s3://" +
                                                  options.bucket + "/" + prefix)
                  : result(CheckStatus::fail, seen + " but metadata.json is missing under s3://" + options.bucket +
                                                  "/" + prefix,
                           "the job role must be allowed to write the bucket (deploy/iam/job-role-policy.json)");
}

}  // namespace live2::infra
