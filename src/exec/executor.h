// Executor: runs queued jobs somewhere (child processes, AWS Batch) and keeps their status in the JobStore true.
// The store is the only channel between the API and an executor: the API inserts queued jobs and sets
// cancel_requested; the executor claims queued jobs (submit_state not_submitted -> submitting -> submitted inside
// update_job, so a job is handed over once), honours cancel_requested, and writes status, progress, eta and
// ExecutorInfo back. wake() only shortens the executor's wait after such a change.
// start() also takes up jobs left unfinished by a previous process (restart recovery). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "core/job.h"

namespace live2 {

// What an executor has done since it started, for /metrics.
struct ExecutorActivity {
  int64_t cycles = 0;                                          // passes of its background loop
  std::vector<std::pair<std::string, int64_t>> backend_calls;  // by operation, e.g. {"DescribeJobs", 12}
  // Jobs that finished since start, their cost summed by tier ("unknown" for jobs without one). AWS Batch only.
  struct CostTotals {
    double vcpu_hours = 0;
    double gb_hours = 0;
    double usd = 0;
  };
  std::map<std::string, CostTotals> cost_by_tier{};
};

class Executor {
 public:
  virtual ~Executor() = default;

  virtual std::string_view kind() const = 0;  // "local" | "aws_batch" | "slurm"
  virtual void start() = 0;
  // Stops background work. Jobs stay consistent in the store: a job that was handed over is either still running
  // where the next start() can take it up again, or back to queued to be resumed from its checkpoint.
  virtual void stop() = 0;
  virtual void wake() = 0;
  // OK when the executor can take jobs; otherwise an `unavailable` error saying why (for /ready).
  virtual Status readiness() = 0;
  // The last `lines` lines of the job's simulation log (empty when it has not started).
  virtual Result<std::string> read_log_tail(const Job& job, int lines) = 0;
  // Whether it runs generate_dataset jobs (their runs, store/run_store.h); the API refuses datasets otherwise.
  virtual bool runs_datasets() const { return false; }
  // Executors that call a remote service report those calls; the default reports nothing.
  virtual ExecutorActivity activity() const { return {}; }
};

}  // namespace live2
