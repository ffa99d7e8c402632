// BatchExecutor: runs jobs as AWS Batch jobs (docs/aws-contract.md). One background thread does everything, in
// cycles: hand over queued jobs (SubmitJob), take up jobs whose hand-over was interrupted, reconcile every handed-
// over unfinished job with DescribeJobs (100 ids per call), send CancelJob/TerminateJob for cancel requests, and
// copy progress from the job's progress.json in S3.
// Never two Batch jobs for one live2 job: the store records `submitting` before SubmitJob and the Batch id after;
// a job found `submitting` (a crash or an answer lost in between) is looked up with ListJobs by its name
// `live2-<job id>` (once list_settle_ms have passed) and adopted, and only submitted again when Batch has none.
// Cycles come at the options' `cadence` (reconcile_loop.h: faster right after a submit or a status change, slower
// while nothing changes); wake() starts a cycle at once.
// Each job is sized at submit (batch_job_size.h) and tagged with its tier, user and id for cost allocation; a finished
// job gets its Fargate cost (batch_cost.h), and activity() sums the costs by tier for /metrics.
// A generate_dataset job is one array job of its runs (a single run: a plain job with RUN_INDEX=0) whose children find
// their run from AWS_BATCH_JOB_ARRAY_INDEX; the parent is reconciled with the plain jobs and its children only when
// its statusSummary disagrees with the runs table (at most ceil(active runs / 100) DescribeJobs per cycle). Once
// every run has ended, dataset_runs.json is written and a combine job (`live2-sim combine`) submitted, named
// `live2-<job id>-combine` and adopted by that name like any job (batch_executor_datasets.cpp).
// A GET of a job reads the store only. Decisions: docs/aws.md. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "artifacts/artifact_store.h"
#include "aws/batch_client.h"
#include "aws/logs_client.h"
#include "aws/s3_client.h"
#include "base/clock.h"
#include "core/fargate_prices.h"
#include "exec/batch_job_size.h"
#include "exec/executor.h"
#include "exec/reconcile_loop.h"
#include "store/job_store.h"
#include "store/run_store.h"

namespace live2 {

// Every tier's ceiling from default_limits().
std::map<Tier, aws::FargateSize> default_fargate_ceilings();

struct BatchExecutorOptions {
  std::string job_queue = "live2-job-queue";
  std::string job_definition = "live2-simulation";
  std::string s3_bucket = "live2-artifacts";
  std::string env = "prod";
  std::string log_group = aws::kDefaultBatchLogGroup;
  PollCadence cadence{10'000, 2'000, 30'000};
  int64_t runnable_reason_dwell_ms = 5 * 60'000;
  int64_t cancel_resend_ms = 60'000;  // a cancel still not seen by Batch is sent again after this
  // ListJobs is eventually consistent: a job whose SubmitJob answer was lost is looked up only this long after.
  int64_t list_settle_ms = 30'000;
  // DescribeJobs answers nothing for a job Batch has forgotten (about 7 days after it finished) or never had; such a
  // job is resolved from its artifacts once it has been missing this long (a job just submitted can be missing for
  // a moment: DescribeJobs is eventually consistent too).
  int64_t missing_job_grace_ms = 10 * 60'000;
  int max_submits_per_cycle = 50;            // Batch's SubmitJob limit is 50/s per account
  size_t max_params_env_bytes = 20 * 1024;   // larger params go to params.json in S3 (SubmitJob body limit 30 KiB)
  // The largest Fargate size a job of each tier is given (the tiers' limits); a job without a tier gets hobby's.
  std::map<Tier, aws::FargateSize> fargate_ceilings = default_fargate_ceilings();
  // The deployment region's Fargate prices (fargate_prices.h); unset: costs have hours but no usd.
  std::optional<FargatePrices> fargate_prices;
  // The queue's FARGATE (on-demand) compute environment, which `infra apply --on-demand-fallback` puts behind the
  // FARGATE_SPOT one: attempts that ran there are priced on demand, every other one as Spot.
  std::string on_demand_compute_environment = "live2-compute-env-on-demand";
  std::string region;  // for the CloudWatch Logs console link; empty: no link
};

// Counts for /metrics and the benchmark.
struct BatchExecutorCounters {
  int64_t cycles = 0;
  int64_t describe_calls = 0;
  int64_t submit_calls = 0;
  int64_t list_calls = 0;
  int64_t child_describe_calls = 0;  // of describe_calls: those for array children (datasets' runs)
};

class BatchExecutor final : public Executor {
 public:
  // `artifacts` gives job prefixes, reads progress.json and writes dataset_runs.json; `s3` writes oversized
  // params.json into `s3_bucket`; `runs` holds datasets' runs.
  BatchExecutor(JobStore& store, RunStore& runs, aws::BatchApi& batch, aws::LogsApi& logs, ArtifactStore& artifacts,
                aws::S3Client& s3, const Clock& clock, BatchExecutorOptions options);
  ~BatchExecutor() override;  // stops

  std::string_view kind() const override { return "aws_batch"; }
  void start() override;
  void stop() override;
  void wake() override;
  Status readiness() override;
  Result<std::string> read_log_tail(const Job& job, int lines) override;
  ExecutorActivity activity() const override;
  bool runs_datasets() const override { return true; }

  // One cycle, as the background thread runs it; returns true when anything changed. Public for tests, which
  // drive cycles by hand instead of starting the thread.
  bool run_cycle() { return loop_.run_cycle(); }
  BatchExecutorCounters counters() const;

 private:
  bool run_cycle_steps();
  bool submit_queued_jobs();
  bool submit(const Job& claimed);
  aws::FargateSize ceiling_for(const Job& job) const;
  bool recover_submitting_jobs(const std::vector<Job>& unfinished);
  // Adopts the newest Batch job named for `job`; false when there is none or ListJobs failed.
  std::optional<bool> adopt_existing_batch_job(const Job& job);
  bool reconcile(const std::vector<Job>& handed_over);
  bool apply(const Job& job, const aws::BatchJob& batch_job);
  bool resolve_missing(const Job& job);
  void send_cancels(const std::vector<Job>& handed_over);
  void count_describe(bool children);

  // Datasets (batch_executor_datasets.cpp).
  BatchJobSize size_dataset(const Job& dataset);
  aws::BatchSubmitRequest dataset_request(const Job& job, aws::BatchSubmitRequest request, Status& prepared);
  bool apply_array(const Job& dataset, const aws::BatchJob& parent);
  bool describe_active_runs(const Job& dataset);
  bool apply_run(const Job& dataset, int64_t index, const aws::BatchJob& child);
  bool end_runs(const Job& dataset);
  bool apply_combine(const Job& dataset, const aws::BatchJob& combine);
  bool finish_dataset(const Job& dataset, JobStatus outcome, const std::optional<std::string>& combine_failure);
  bool resolve_missing_runs(const Job& dataset);

  JobStore& store_;
  RunStore& runs_;
  aws::BatchApi& batch_;
  aws::LogsApi& logs_;
  ArtifactStore& artifacts_;
  aws::S3Client& s3_;
  const Clock& clock_;
  BatchExecutorOptions options_;

  mutable std::mutex mutex_;  // guards the fields below
  BatchExecutorCounters counters_;  // but cycles, which loop_ counts
  std::map<std::string, ExecutorActivity::CostTotals> cost_by_tier_;

  // Touched only by the cycle (one thread, or the test driving run_cycle).
  std::map<std::string, int64_t> cancel_sent_ms_;  // by job id
  std::map<std::string, int64_t> missing_since_ms_;  // by job id: first cycle DescribeJobs did not return it

  ReconcileLoop loop_;  // last: stopped before the state its cycles use goes away
};

}  // namespace live2
