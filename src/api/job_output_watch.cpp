#include "api/job_output_watch.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "api/artifact_listing_json.h"
#include "api/metrics_table.h"

namespace live2::api {
namespace {

constexpr std::string_view kMetricsFile = "metrics.csv";
// Nothing watched: the loop sleeps until watch() wakes it.
constexpr std::chrono::milliseconds kIdleWait{60'000};
// The listing's signed URLs must still work for a watcher that got them a while ago: a listing is sent again, with
// fresh URLs, once half their lifetime is over even when nothing changed.
constexpr int64_t kRelistAfterMs = kDefaultUrlExpirySeconds * 1000 / 2;

std::string signature_of(const Artifact& artifact) {
  return artifact.name + '|' + std::to_string(artifact.size) + '|' + std::to_string(artifact.last_modified_ms) + '\n';
}

}  // namespace

JobOutputWatch::JobOutputWatch(ArtifactStore& artifacts, const Clock& clock)
    : artifacts_(artifacts), clock_(clock), loop_([this] { return run_due_reads(); }) {}

JobOutputWatch::~JobOutputWatch() { loop_.stop(); }

void JobOutputWatch::start() { loop_.start(); }

uint64_t JobOutputWatch::watch(const Job& job, Callback callback) {
  uint64_t handle = 0;
  JobOutputs current;
  bool first_watcher = false;
  {
    std::lock_guard lock(mutex_);
    handle = next_handle_++;
    auto [it, created] = jobs_.try_emplace(job.job_id);
    if (created) {
      it->second.job = job;
      it->second.next_read_at_ms = clock_.monotonic_ms();
    }
    first_watcher = created;
    it->second.watchers.emplace(handle, callback);
    job_by_handle_.emplace(handle, job.job_id);
    current = it->second.outputs;
  }
  if (first_watcher) {
    loop_.wake();  // read it now, not at the end of the idle wait
  } else if (current.artifacts_version > 0) {
    callback(current);
  }
  return handle;
}

void JobOutputWatch::unwatch(uint64_t handle) {
  std::lock_guard lock(mutex_);
  auto named = job_by_handle_.find(handle);
  if (named == job_by_handle_.end()) return;
  auto it = jobs_.find(named->second);
  job_by_handle_.erase(named);
  if (it == jobs_.end()) return;
  it->second.watchers.erase(handle);
  if (it->second.watchers.empty()) jobs_.erase(it);
}

size_t JobOutputWatch::watched_jobs() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

std::chrono::milliseconds JobOutputWatch::run_due_reads() {
  struct Due {
    std::string job_id;
    Job job;
    std::string metrics_signature;
    std::string listing_signature;
  };
  std::vector<Due> due;
  {
    std::lock_guard lock(mutex_);
    const int64_t now_ms = clock_.monotonic_ms();
    for (auto& [job_id, watched] : jobs_) {
      if (watched.next_read_at_ms > now_ms) continue;
      watched.next_read_at_ms = now_ms + kReadIntervalMs;
      due.push_back({job_id, watched.job, watched.metrics_signature, watched.listing_signature});
    }
  }
  for (Due& job : due) {
    read_one(job.job_id, job.job, std::move(job.metrics_signature), std::move(job.listing_signature));
  }
  std::lock_guard lock(mutex_);
  if (jobs_.empty()) return kIdleWait;
  const int64_t now_ms = clock_.monotonic_ms();
  int64_t wait_ms = kReadIntervalMs;
  for (const auto& [job_id, watched] : jobs_) wait_ms = std::min(wait_ms, watched.next_read_at_ms - now_ms);
  return std::chrono::milliseconds(std::max<int64_t>(wait_ms, 0));
}

void JobOutputWatch::read_one(const std::string& job_id, const Job& job, std::string metrics_signature,
                              std::string listing_signature) {
  auto listing = artifacts_.list(job, kDefaultUrlExpirySeconds);
  if (!listing) {
    spdlog::warn(R"({{"event":"job_output_watch_failed","job_id":"{}","code":"{}","message":"{}"}})", job_id,
                 listing.error().code_name(), listing.error().message);
    return;
  }
  std::string new_listing_signature;
  std::string new_metrics_signature;
  for (const Artifact& artifact : listing->artifacts) {
    new_listing_signature += signature_of(artifact);
    if (artifact.name == kMetricsFile) new_metrics_signature = signature_of(artifact);
  }
  std::shared_ptr<const boost::json::object> metrics;
  if (!new_metrics_signature.empty() && new_metrics_signature != metrics_signature) {
    auto csv = artifacts_.read(job, std::string(kMetricsFile));
    auto table = csv ? metrics_csv_to_json(job_id, *csv) : Result<boost::json::object>(csv.error());
    if (table) {
      metrics = std::make_shared<const boost::json::object>(std::move(*table));
    } else {
      new_metrics_signature = metrics_signature;  // try again at the next read (half-written, or not readable now)
    }
  }

  JobOutputs outputs;
  std::vector<Callback> callbacks;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(job_id);
    if (it == jobs_.end()) return;  // its last watcher left meanwhile
    Watched& watched = it->second;
    const int64_t now_ms = clock_.monotonic_ms();
    const bool listing_changed = new_listing_signature != listing_signature || watched.outputs.artifacts_version == 0 ||
                                 now_ms - watched.listed_at_ms >= kRelistAfterMs;
    if (!listing_changed && !metrics) return;
    watched.listing_signature = std::move(new_listing_signature);
    watched.listed_at_ms = now_ms;
    watched.outputs.artifacts_version += 1;
    watched.outputs.artifacts =
        std::make_shared<const boost::json::object>(artifact_listing_to_json(job_id, *listing));
    if (metrics) {
      watched.metrics_signature = std::move(new_metrics_signature);
      watched.outputs.metrics_version += 1;
      watched.outputs.metrics = std::move(metrics);
    }
    outputs = watched.outputs;
    for (const auto& [handle, callback] : watched.watchers) callbacks.push_back(callback);
  }
  for (const Callback& callback : callbacks) callback(outputs);
}

}  // namespace live2::api
