// JobCache: jobs recently read or written, by id, so that repeated reads of one job (a dashboard or a client polling
// it) skip SQLite. Correct only while one JobStore is the sole writer of the jobs it caches: that store puts every
// committed version here before its write call returns. A read that raced with any write is not cached, so a stale
// version can never replace a newer one. At most `capacity` jobs; when full, an arbitrary entry makes room (no
// recency bookkeeping on the read path). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/job.h"

namespace live2::store {

class JobCache {
 public:
  explicit JobCache(size_t capacity) : capacity_(capacity) {}

  std::optional<Job> find(const std::string& job_id) const;

  // Take this before reading a job from the database, and pass it to put_read.
  uint64_t write_count() const;
  // A job read from the database: cached only if no write happened since `write_count_before_read`.
  void put_read(const Job& job, uint64_t write_count_before_read);
  // A committed write: always cached, replacing any older version.
  void put_written(const Job& job);
  // A committed write whose new version the writer did not read (or a deleted job): dropped, so the next read goes
  // to the database.
  void forget_written(const std::string& job_id);

 private:
  void insert(const Job& job);  // the caller holds mutex_

  const size_t capacity_;
  mutable std::mutex mutex_;
  uint64_t write_count_ = 0;
  std::unordered_map<std::string, Job> jobs_;
};

}  // namespace live2::store
