// What `run` and `combine` set up alike from the worker environment: the working directory and the artifact sinks
// (S3 under ARTIFACT_PREFIX with S3_BUCKET, else the local --out directory), with the AWS session the S3 sinks
// need for as long as they live. Not thread safe; one per process, outliving the sinks it makes.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "aws/aws_session.h"
#include "base/environment.h"
#include "worker/artifact_sink.h"
#include "worker/worker_environment.h"

namespace live2::sim::cli {

class WorkerSinks {
 public:
  // Fails (with the sentence to print in `problem`) when S3_BUCKET is set but no AWS region is.
  static std::optional<WorkerSinks> create(const Environment& variables, const worker::WorkerEnvironment& environment,
                                           const std::optional<std::filesystem::path>& out_dir, std::string& problem);

  // --out, else $TMPDIR/live2-sim/<JOB_ID or "local">.
  const std::filesystem::path& out_dir() const { return out_dir_; }
  // A sink for `relative` below the job's prefix (S3) or its out directory ("" for the job's own).
  std::unique_ptr<worker::ArtifactSink> make_sink(const std::string& relative) const;

 private:
  std::filesystem::path out_dir_;
  std::string s3_bucket_;
  std::string artifact_prefix_;
  std::unique_ptr<aws::AwsSession> aws_session_;  // only with S3_BUCKET
};

}  // namespace live2::sim::cli
