// metadata.json: the worker's last artifact. Its presence means the run completed (a failed or interrupted
// attempt writes none; executors read "metadata.json exists" as "finished"). It names the job and attempt, the
// exit code and status, and every other artifact the run produced with its size in bytes and its SHA-256, so a
// reader can verify what it downloaded.
#pragma once

#include <boost/json/object.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "worker/output_status.h"

namespace live2::worker {

struct RunIdentity {
  std::string job_id;        // "" when run by hand
  std::string user_id;       // "" when run by hand
  std::string batch_job_id;  // AWS_BATCH_JOB_ID, "" outside Batch
  int attempt = 1;
};

struct RunEnding {
  int exit_code = 0;
  std::string status;       // "completed"
  std::string finished_at;  // ISO 8601 UTC
};

// Hashes each artifact file (its name relative to `work_dir`) and returns the metadata document. Fails when an
// artifact cannot be read.
OutputResult<boost::json::object> build_run_metadata(const RunIdentity& identity, const RunEnding& ending,
                                                     const std::filesystem::path& work_dir,
                                                     const std::vector<std::string>& artifact_names);

}  // namespace live2::worker
