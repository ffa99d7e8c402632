// MemoryArtifacts: an ArtifactStore held in a map, for executor tests that only need prefixes and small reads
// (progress.json) and writes (dataset_runs.json). read() and write() are thread-safe; tests fill `objects` directly
// only before the executor runs.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "artifacts/artifact_store.h"

namespace live2::testing {

class MemoryArtifacts final : public ArtifactStore {
 public:
  std::map<std::string, std::string> objects;  // by key

  std::string prefix_for(const Job& job) const override { return "test/" + job.user_id + "/" + job.job_id + "/"; }
  using ArtifactStore::list;
  Result<ArtifactListing> list(const Job&, const ArtifactScope&, int64_t) override { return ArtifactListing{}; }
  Result<std::string> read(const Job& job, const std::string& name) override {
    std::lock_guard lock(mutex_);
    const auto found = objects.find(prefix_for(job) + name);
    if (found == objects.end()) return Error::make(ErrorCode::not_found, name);
    return found->second;
  }
  Status write(const Job& job, const std::string& name, const std::string& content) override {
    std::lock_guard lock(mutex_);
    objects[prefix_for(job) + name] = content;
    return Status::success();
  }
  Status readiness() override { return Status::success(); }
  std::string download_origin() const override { return {}; }

 private:
  std::mutex mutex_;
};

}  // namespace live2::testing
