#include "worker/run_metadata.h"

#include "worker/file_digest.h"

namespace live2::worker {

OutputResult<boost::json::object> build_run_metadata(const RunIdentity& identity, const RunEnding& ending,
                                                     const std::filesystem::path& work_dir,
                                                     const std::vector<std::string>& artifact_names) {
  boost::json::array artifacts;
  for (const std::string& name : artifact_names) {
    const std::filesystem::path file = work_dir / name;
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    const std::optional<std::string> sha256 = sha256_hex_of_file(file);
    if (error || !sha256) return OutputStatus::failure("cannot read artifact " + file.string());
    artifacts.push_back({{"name", name}, {"size", size}, {"sha256", *sha256}});
  }
  boost::json::object metadata;
  metadata["job_id"] = identity.job_id;
  metadata["user_id"] = identity.user_id;
  metadata["batch_job_id"] = identity.batch_job_id;
  metadata["attempt"] = identity.attempt;
  metadata["exit_code"] = ending.exit_code;
  metadata["status"] = ending.status;
  metadata["live2_version"] = LIVE2_VERSION;
  metadata["finished_at"] = ending.finished_at;
  metadata["artifacts"] = std::move(artifacts);
  return metadata;
}

}  // namespace live2::worker
