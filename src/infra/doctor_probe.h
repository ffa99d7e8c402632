// The optional last check of `live2 doctor --probe`: submit a tiny simulation to the configured queue, wait for it
// to finish, and look for its artifacts in the bucket. Proves the whole path (queue, compute environment, image
// pull, job role, S3 upload) that the other checks only inspect. Not thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "aws/batch_client.h"
#include "aws/sleeper.h"
#include "base/clock.h"
#include "base/random_source.h"
#include "infra/doctor.h"

namespace live2::infra {

struct ProbeOptions {
  std::string job_queue;
  std::string job_definition;
  std::string bucket;
  std::string environment = "prod";  // ENV: first segment of artifact keys
  int64_t timeout_ms = 20 * 60 * 1000;  // a cold FARGATE_SPOT environment can take minutes to scale up
  int64_t poll_interval_ms = 10'000;
};

// Names of the objects under `prefix` in the bucket (the caller's S3 listing).
using ListArtifacts = std::function<Result<std::vector<std::string>>(const std::string& prefix)>;

Check run_probe(aws::BatchApi& batch, const ListArtifacts& list_artifacts, aws::Sleeper& sleeper, const Clock& clock,
                RandomSource& random, const ProbeOptions& options);

}  // namespace live2::infra
