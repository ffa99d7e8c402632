// Fakes of the executor and the artifact store for handler tests that run without sockets or worker processes.
// Thread-safe enough for single-threaded tests only.
#pragma once

#include <map>
#include <string>

#include "artifacts/artifact_store.h"
#include "exec/executor.h"

namespace live2::api::testing {

class FakeExecutor final : public Executor {
 public:
  std::string_view kind() const override { return "local"; }
  void start() override {}
  void stop() override {}
  void wake() override { ++wakes; }
  bool runs_datasets() const override { return datasets; }
  Status readiness() override {
    return ready ? Status::success() : Status(Error::make(ErrorCode::unavailable, "no worker binary"));
  }
  Result<std::string> read_log_tail(const Job&, int lines) override {
    last_tail_lines = lines;
    return log_text;
  }

  int wakes = 0;
  bool datasets = false;
  bool ready = true;
  int last_tail_lines = 0;
  std::string log_text = "step 1\nstep 2\n";
};

class FakeArtifactStore final : public ArtifactStore {
 public:
  std::string prefix_for(const Job& job) const override { return "test/" + job.user_id + "/" + job.job_id + "/"; }
  using ArtifactStore::list;
  Result<ArtifactListing> list(const Job& job, const ArtifactScope& scope, int64_t expires_in_s) override {
    ArtifactListing listing;
    listing.expires_in_s = expires_in_s;
    for (const auto& [name, content] : files) {
      if (!name.starts_with(scope.under)) continue;
      if (!scope.whole_tree && name.find('/', scope.under.size()) != std::string::npos) continue;
      listing.artifacts.push_back({prefix_for(job) + name, name, static_cast<int64_t>(content.size()), 0,
                                   content_type_for(name), "https://files.example/" + name});
    }
    return listing;
  }
  Result<std::string> read(const Job&, const std::string& name) override {
    auto it = files.find(name);
    if (it == files.end()) return Error::make(ErrorCode::not_found, name + " does not exist");
    return it->second;
  }
  Status write(const Job&, const std::string& name, const std::string& content) override {
    files[name] = content;
    return Status::success();
  }
  Status readiness() override { return Status::success(); }
  std::string download_origin() const override { return "https://files.example"; }

  std::map<std::string, std::string> files;
};

}  // namespace live2::api::testing
