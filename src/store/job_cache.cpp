#include "store/job_cache.h"

namespace live2::store {

std::optional<Job> JobCache::find(const std::string& job_id) const {
  std::lock_guard lock(mutex_);
  auto found = jobs_.find(job_id);
  if (found == jobs_.end()) return std::nullopt;
  return found->second;
}

uint64_t JobCache::write_count() const {
  std::lock_guard lock(mutex_);
  return write_count_;
}

void JobCache::put_read(const Job& job, uint64_t write_count_before_read) {
  std::lock_guard lock(mutex_);
  if (write_count_ == write_count_before_read) insert(job);
}

void JobCache::put_written(const Job& job) {
  std::lock_guard lock(mutex_);
  ++write_count_;
  insert(job);
}

void JobCache::forget_written(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  ++write_count_;
  jobs_.erase(job_id);
}

void JobCache::insert(const Job& job) {
  if (capacity_ == 0) return;
  auto existing = jobs_.find(job.job_id);
  if (existing != jobs_.end()) {
    existing->second = job;
    return;
  }
  if (jobs_.size() >= capacity_) jobs_.erase(jobs_.begin());
  jobs_.emplace(job.job_id, job);
}

}  // namespace live2::store
