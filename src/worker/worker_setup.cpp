#include "worker/worker_setup.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "aws/credentials.h"
#include "worker/s3_artifact_sink.h"

namespace live2::worker {
namespace {

std::filesystem::path default_out_dir(const WorkerEnvironment& environment) {
  const char* tmp = std::getenv("TMPDIR");
  const std::filesystem::path base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  return base / "live2-sim" / (environment.job_id.empty() ? "local" : environment.job_id);
}

}  // namespace

OutputResult<WorkerSinks> WorkerSinks::create(const Environment& variables, const WorkerEnvironment& environment,
                                              const std::optional<std::filesystem::path>& out_dir) {
  WorkerSinks sinks;
  sinks.out_dir_ = out_dir.value_or(default_out_dir(environment));
  sinks.s3_bucket_ = environment.s3_bucket;
  sinks.artifact_prefix_ = environment.artifact_prefix;
  // With S3_BUCKET (AWS Batch) artifacts are published to S3 under ARTIFACT_PREFIX and out_dir is only the working
  // directory; the AWS session (credentials from the job role, endpoint overrides) lives as long as the sinks.
  if (environment.s3_bucket.empty()) return sinks;
  // No default region: a guessed one would send the artifacts to a bucket that is not there, or elsewhere.
  Result<std::string> region = aws::resolve_region(variables);
  if (!region.ok()) {
    return OutputStatus::failure("S3_BUCKET is set but no AWS region is: " + region.error().message);
  }
  sinks.aws_session_ = std::make_unique<aws::AwsSession>(variables, *region);
  return sinks;
}

std::unique_ptr<ArtifactSink> WorkerSinks::make_sink(const std::string& relative) const {
  if (aws_session_) {
    return std::make_unique<S3ArtifactSink>(aws_session_->s3(), s3_bucket_, artifact_prefix_ + relative);
  }
  return std::make_unique<DirectorySink>(out_dir_ / relative);
}

std::variant<WorkerSetup, WorkerExitCode> set_up_worker(const Environment& variables,
                                                        const std::optional<std::filesystem::path>& out_dir) {
  WorkerEnvironment environment = read_worker_environment(variables);
  if (!environment.problems.empty()) {
    for (const std::string& problem : environment.problems) fmt::print(stderr, "{}\n", problem);
    return WorkerExitCode::invalid_params;
  }
  OutputResult<WorkerSinks> sinks = WorkerSinks::create(variables, environment, out_dir);
  if (!sinks) {
    std::string message = sinks.message();
    std::replace(message.begin(), message.end(), '\n', ' ');
    fmt::print(stderr, "live2-sim: {}\n", message);
    return WorkerExitCode::failed;
  }
  return WorkerSetup{std::move(environment), std::move(sinks.value())};
}

}  // namespace live2::worker
