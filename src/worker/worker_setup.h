// What `live2-sim run` and `live2-sim combine` set up alike before their work: the worker environment
// (worker_environment.h), the working directory and the artifact sinks (S3 under ARTIFACT_PREFIX with S3_BUCKET,
// else the local --out directory), with the AWS session the S3 sinks need for as long as they live. A setup that
// fails is reported on stderr as the worker contract says (docs/sim-worker.md, "Exit codes"). Not thread safe; one
// per process, outliving the sinks it makes.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "aws/aws_session.h"
#include "base/environment.h"
#include "worker/artifact_sink.h"
#include "worker/output_status.h"
#include "worker/worker_contract.h"
#include "worker/worker_environment.h"

namespace live2::worker {

class WorkerSinks {
 public:
  // Fails when S3_BUCKET is set but no AWS region is.
  static OutputResult<WorkerSinks> create(const Environment& variables, const WorkerEnvironment& environment,
                                          const std::optional<std::filesystem::path>& out_dir);

  // --out, else $TMPDIR/live2-sim/<JOB_ID or "local">.
  const std::filesystem::path& out_dir() const { return out_dir_; }
  // A sink for `relative` below the job's prefix (S3) or its out directory ("" for the job's own).
  std::unique_ptr<ArtifactSink> make_sink(const std::string& relative) const;

 private:
  std::filesystem::path out_dir_;
  std::string s3_bucket_;
  std::string artifact_prefix_;
  std::unique_ptr<aws::AwsSession> aws_session_;  // only with S3_BUCKET
};

struct WorkerSetup {
  WorkerEnvironment environment;
  WorkerSinks sinks;
};

// Reads the worker environment from `variables` and makes its sinks for `out_dir` (--out). On failure prints to
// stderr and returns the exit code: malformed variables, one line per problem and invalid_params (nothing written);
// S3_BUCKET without an AWS region, `live2-sim: <sentence>` and failed.
std::variant<WorkerSetup, WorkerExitCode> set_up_worker(const Environment& variables,
                                                        const std::optional<std::filesystem::path>& out_dir);

}  // namespace live2::worker
