// JobOutputWatch: what watched jobs have written so far (the metrics table and the artifact listing), for their
// event streams. Each watched job is read by one reader, however many streams watch it: at most every
// kReadIntervalMs it lists the job's artifacts (for local and Batch jobs alike, through the ArtifactStore), and
// reads metrics.csv again only when the listing shows it changed. Watchers get the latest outputs when they start
// watching (if the job was read already) and after every read that found a change; each snapshot carries
// versions that only grow, so a watcher can drop one that arrives after a newer one.
// Memory: one snapshot per watched job (its metrics table and listing), dropped with the job's last watcher.
// Thread-safe. Callbacks run outside the lock, on the reading thread or in watch(); they must be quick.
// run_due_reads() is the pass of the loop start() runs; tests call it by hand with a FakeClock.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "artifacts/artifact_store.h"
#include "base/background_loop.h"
#include "base/clock.h"
#include "core/job.h"

namespace live2::api {

struct JobOutputs {
  uint64_t metrics_version = 0;  // 0: no metrics.csv yet
  std::shared_ptr<const boost::json::object> metrics;    // the JSON of GET .../metrics
  uint64_t artifacts_version = 0;  // 0: not listed yet
  std::shared_ptr<const boost::json::object> artifacts;  // the JSON of GET .../artifacts
};

class JobOutputWatch {
 public:
  using Callback = std::function<void(const JobOutputs& outputs)>;
  static constexpr int64_t kReadIntervalMs = 2000;

  JobOutputWatch(ArtifactStore& artifacts, const Clock& clock);
  ~JobOutputWatch();  // stops the loop
  JobOutputWatch(const JobOutputWatch&) = delete;
  JobOutputWatch& operator=(const JobOutputWatch&) = delete;

  void start();
  // Returns a handle for unwatch(). The callback may run before watch() returns.
  uint64_t watch(const Job& job, Callback callback);
  void unwatch(uint64_t handle);

  // Reads every watched job whose interval is over; returns the wait until the next one is due.
  std::chrono::milliseconds run_due_reads();
  size_t watched_jobs() const;

 private:
  struct Watched {
    Job job;
    int64_t next_read_at_ms = 0;
    std::string metrics_signature;  // size and modification time of metrics.csv when last read
    std::string listing_signature;  // names, sizes and modification times of every artifact
    int64_t listed_at_ms = 0;       // when the listing (and so its signed URLs) was last sent
    JobOutputs outputs;
    std::map<uint64_t, Callback> watchers;
  };
  void read_one(const std::string& job_id, const Job& job, std::string metrics_signature,
                std::string listing_signature);

  ArtifactStore& artifacts_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  uint64_t next_handle_ = 1;
  std::unordered_map<std::string, Watched> jobs_;
  std::unordered_map<uint64_t, std::string> job_by_handle_;
  BackgroundLoop loop_;  // last: stops before the members its passes use
};

}  // namespace live2::api
