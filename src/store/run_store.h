// RunStore: the durable record of a generate_dataset job's runs (core/run.h), beside its job in the same database.
// Runs are written with their dataset in one transaction and only ever change through update_run (or, in bulk,
// cancel_queued_runs), which in the same transaction brings the dataset's run counts and aggregate progress up to
// date, so the job object and its runs never disagree; the dataset's job listeners are told after commit (SSE).
// A run's status change never changes its dataset's status: executors decide that (docs/api.md). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "core/run.h"
#include "store/job_store.h"

namespace live2 {

class RunStore {
 public:
  // Returns false to leave the run unchanged. Must not change the run's job id or index.
  using RunMutation = std::function<bool(Run& run)>;

  virtual ~RunStore() = default;

  // Inserts a generate_dataset job and its runs (job.runs says how many, all queued) in one transaction, with
  // create_job's idempotency and quotas (a dataset is one job). Errors as create_job's.
  virtual Result<CreateJobOutcome> create_dataset(const Job& job, const std::vector<Run>& runs, const JobQuota& quota,
                                                  int64_t now_ms) = 0;
  // The dataset's runs with index >= from_index (and `status`, when given), by index, at most `limit`.
  virtual Result<std::vector<Run>> list_runs(const std::string& job_id, int64_t from_index, int limit,
                                             std::optional<JobStatus> status = std::nullopt) = 0;
  // At most `limit` of the dataset's runs with `status`, lowest index first (what an executor starts next, or
  // what it watches). Costs O(limit) however many runs the dataset has.
  virtual Result<std::vector<Run>> list_runs_with_status(const std::string& job_id, JobStatus status, int limit) = 0;
  // Returns the run after the mutation, `not_found` when there is no such run; `conflict` when the mutation
  // changes a terminal run's status.
  virtual Result<Run> update_run(const std::string& job_id, int64_t index, const RunMutation& mutate) = 0;
  // Every queued run of the dataset becomes cancelled, in one transaction. Returns how many did.
  virtual Result<int64_t> cancel_queued_runs(const std::string& job_id) = 0;
};

}  // namespace live2
