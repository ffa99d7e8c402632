// BatchExecutor's dataset half (docs/aws.md, "Datasets on AWS Batch"): a generate_dataset job is one array job whose
// children are its runs, then one combine job. The parent goes into the same batched DescribeJobs as plain jobs;
// its children are described (100 per call) only when the parent's statusSummary disagrees with the runs table.
// The rules a dataset ends by are core/run.h's, shared with every executor.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "core/dataset_plan.h"
#include "core/run.h"
#include "core/run_json.h"
#include "core/status_machine.h"
#include "exec/batch_dataset_phase.h"
#include "exec/batch_executor.h"
#include "exec/batch_status.h"
#include "worker/worker_contract.h"

namespace live2 {
namespace {

// What `live2-sim combine` is given: it reads every run's small tables, never a trajectory, so a fixed size does.
constexpr aws::FargateSize kCombineSize{1, 2048};

// The runs table's view of a dataset against Batch's: queued (Batch's SUBMITTED to STARTING), running, and ended
// (SUCCEEDED, FAILED; failed and cancelled runs are both FAILED children).
struct ChildCounts {
  int64_t queued = 0;
  int64_t running = 0;
  int64_t succeeded = 0;
  int64_t failed = 0;
  bool operator==(const ChildCounts&) const = default;
};

ChildCounts counts_of_runs(const RunCounts& runs) {
  return {runs.queued, runs.running, runs.completed, runs.failed + runs.cancelled};
}

// Children Batch has not created yet (a summary that does not add up to the size) are counted as queued.
ChildCounts counts_of_parent(const aws::BatchJob& parent, int64_t total) {
  const auto count = [&](const char* status) {
    const auto found = parent.array_status_summary.find(status);
    return found == parent.array_status_summary.end() ? int64_t{0} : int64_t{found->second};
  };
  ChildCounts counts{0, count("RUNNING"), count("SUCCEEDED"), count("FAILED")};
  counts.queued = std::max<int64_t>(0, total - counts.running - counts.succeeded - counts.failed);
  return counts;
}

}  // namespace

bool is_dataset(const Job& job) { return job.job_type == kDatasetJobType; }

bool in_combine_phase(const Job& job) {
  return is_dataset(job) && job.runs.total > 0 && job.runs.queued == 0 && job.runs.running == 0;
}

std::string batch_job_name(const Job& job) {
  return "live2-" + job.job_id + (in_combine_phase(job) ? "-combine" : "");
}

BatchJobSize BatchExecutor::size_dataset(const Job& dataset) {
  std::vector<std::string> params;
  auto runs = runs_.list_runs(dataset.job_id, 0, static_cast<int>(kMaxDatasetRuns));
  if (runs) {
    params.reserve(runs->size());
    for (const Run& run : *runs) params.push_back(run.params_json);
  } else {
    loop_.record_failure(runs.error());
  }
  return size_batch_runs(params, ceiling_for(dataset));
}

// The dataset's SubmitJob: its runs as one array job (JOB_ID and JOB_PARAMS are the dataset's, each child's
// AWS_BATCH_JOB_ARRAY_INDEX picks its run), a single run as a plain job with RUN_INDEX=0; or, once every run has
// ended, the combine job, after dataset_runs.json is written for it. `prepared` is an error when that write failed.
aws::BatchSubmitRequest BatchExecutor::dataset_request(const Job& job, aws::BatchSubmitRequest request,
                                                       Status& prepared) {
  if (!in_combine_phase(job)) {
    if (job.runs.total >= aws::kMinArraySize) {
      request.array_size = static_cast<int>(job.runs.total);
    } else {
      request.environment.emplace_back(worker::env::kRunIndex, "0");
    }
    return request;
  }
  request.command = {"combine"};
  request.resources = aws::fit_fargate_size(kCombineSize, ceiling_for(job));
  std::erase_if(request.environment, [](const auto& variable) { return variable.first == worker::env::kOutputBudgetBytes; });
  auto runs = runs_.list_runs(job.job_id, 0, static_cast<int>(kMaxDatasetRuns));
  if (!runs) {
    prepared = runs.error();
    return request;
  }
  prepared = artifacts_.write(job, worker::artifact::kDatasetRuns, boost::json::serialize(dataset_runs_json(*runs)));
  return request;
}

bool BatchExecutor::apply_array(const Job& dataset, const aws::BatchJob& parent) {
  bool changed = false;
  if (!parent.array_size) {
    // A single run: the Batch job is the run.
    changed = apply_run(dataset, 0, parent);
  } else if (counts_of_parent(parent, dataset.runs.total) != counts_of_runs(dataset.runs)) {
    changed = describe_active_runs(dataset);
  }
  const int64_t now_ms = clock_.now_ms();
  const Result<Job> updated = store_.update_job(dataset.job_id, [&](Job& current) {
    if (is_terminal(current.status)) return false;
    bool touched = false;
    if (current.executor.external_status != parent.status) {
      current.executor.external_status = parent.status;
      current.executor.status_since_ms = now_ms;
      touched = true;
    }
    if (current.status == JobStatus::queued && current.runs.running + current.runs.finished() > 0) {
      touched = transition(current, JobStatus::running, now_ms).ok() || touched;
    }
    if (current.status == JobStatus::running && current.started_at_ms) {
      const std::optional<double> eta = dataset_eta_s(current.progress, *current.started_at_ms, now_ms);
      const std::optional<double> rounded = eta ? std::optional(std::round(*eta)) : std::nullopt;
      if (rounded != current.eta_seconds) {
        current.eta_seconds = rounded;
        touched = true;
      }
    }
    return touched;
  });
  if (!updated.ok()) {
    loop_.record_failure(updated.error());
    return changed;
  }
  if (in_combine_phase(*updated)) changed = end_runs(*updated) || changed;
  return changed;
}

// The runs not yet ended in the table, described by their child ids 100 at a time: ceil(active / 100) calls.
bool BatchExecutor::describe_active_runs(const Job& dataset) {
  std::vector<int64_t> active;
  for (const JobStatus status : {JobStatus::queued, JobStatus::running}) {
    auto runs = runs_.list_runs_with_status(dataset.job_id, status, static_cast<int>(kMaxDatasetRuns));
    if (!runs) {
      loop_.record_failure(runs.error());
      return false;
    }
    for (const Run& run : *runs) active.push_back(run.index);
  }
  std::sort(active.begin(), active.end());
  bool changed = false;
  for (size_t start = 0; start < active.size(); start += aws::kMaxDescribeJobIds) {
    const size_t end = std::min(active.size(), start + aws::kMaxDescribeJobIds);
    std::vector<std::string> ids;
    for (size_t i = start; i < end; ++i) {
      ids.push_back(aws::array_child_id(dataset.executor.external_id, static_cast<int>(active[i])));
    }
    Result<std::vector<aws::BatchJob>> described = batch_.describe_jobs(ids);
    count_describe(/*children=*/true);
    if (!described.ok()) {
      loop_.record_failure(described.error());
      return changed;
    }
    // A child DescribeJobs does not return yet (eventually consistent) is looked at again next cycle.
    for (const aws::BatchJob& child : *described) {
      if (child.array_index) changed = apply_run(dataset, *child.array_index, child) || changed;
    }
  }
  return changed;
}

bool BatchExecutor::apply_run(const Job& dataset, int64_t index, const aws::BatchJob& child) {
  const int64_t now_ms = clock_.now_ms();
  // A run has no reason of its own to show, so the RUNNABLE dwell does not matter here.
  const BatchJobView view = view_of_batch_job(child, dataset.cancel_requested, now_ms, now_ms,
                                              options_.runnable_reason_dwell_ms);
  bool changed = false;
  const Result<Run> updated = runs_.update_run(dataset.job_id, index, [&](Run& run) {
    if (is_terminal(run.status)) return false;
    const Run before = run;
    run.external_id = child.job_id;
    run.attempts = view.attempts;
    run.exit_code = child.exit_code;
    if (child.started_at_ms && !run.started_at_ms) run.started_at_ms = child.started_at_ms;
    run.status = view.status;
    if (is_terminal(run.status)) {
      run.completed_at_ms = child.stopped_at_ms.value_or(now_ms);
      if (run.status == JobStatus::completed) run.progress = 100;
      if (run.status == JobStatus::failed) run.error = view.error;
    }
    changed = run.external_id != before.external_id || run.attempts != before.attempts ||
              run.exit_code != before.exit_code || run.started_at_ms != before.started_at_ms ||
              run.status != before.status;
    return changed;
  });
  if (!updated.ok()) loop_.record_failure(updated.error());
  return changed;
}

// Every run has ended: the combine job comes next (submit_queued_jobs sends it) when a run completed and nobody
// cancelled; otherwise the dataset ends now.
bool BatchExecutor::end_runs(const Job& dataset) {
  const std::optional<JobStatus> outcome = dataset_outcome(dataset.runs, dataset.cancel_requested);
  if (!outcome) return false;
  if (*outcome != JobStatus::completed) return finish_dataset(dataset, *outcome, std::nullopt);
  const int64_t now_ms = clock_.now_ms();
  const Result<Job> updated = store_.update_job(dataset.job_id, [&](Job& current) {
    if (is_terminal(current.status) || current.executor.submit_state != SubmitState::submitted) return false;
    current.executor.submit_state = SubmitState::not_submitted;
    current.executor.external_id.clear();
    current.executor.external_status.clear();
    current.executor.status_since_ms = now_ms;
    return true;
  });
  if (!updated.ok()) {
    loop_.record_failure(updated.error());
    return false;
  }
  spdlog::info("aws_batch: dataset {}: its {} runs have ended ({} completed); combining them", dataset.job_id,
               dataset.runs.total, dataset.runs.completed);
  return true;
}

bool BatchExecutor::apply_combine(const Job& dataset, const aws::BatchJob& combine) {
  const int64_t now_ms = clock_.now_ms();
  const BatchJobView view = view_of_batch_job(combine, dataset.cancel_requested, now_ms, now_ms,
                                              options_.runnable_reason_dwell_ms);
  if (batch_job_is_finished(combine.status)) {
    if (view.status == JobStatus::completed) return finish_dataset(dataset, JobStatus::completed, std::nullopt);
    if (dataset.cancel_requested) return finish_dataset(dataset, JobStatus::cancelled, std::nullopt);
    return finish_dataset(dataset, JobStatus::failed, view.error.value_or("the combine job failed"));
  }
  bool changed = false;
  const Result<Job> updated = store_.update_job(dataset.job_id, [&](Job& current) {
    if (is_terminal(current.status)) return false;
    bool touched = false;
    if (current.executor.external_status != combine.status) {
      current.executor.external_status = combine.status;
      current.executor.status_since_ms = now_ms;
      touched = true;
    }
    if (!combine.log_stream.empty() && current.executor.log_stream != combine.log_stream) {
      current.executor.log_stream = combine.log_stream;
      touched = true;
    }
    changed = touched;
    return touched;
  });
  if (!updated.ok()) loop_.record_failure(updated.error());
  return changed;
}

// `combine_failure`: the combine job failed, so the dataset fails although runs completed (their artifacts stay).
bool BatchExecutor::finish_dataset(const Job& dataset, JobStatus outcome,
                                   const std::optional<std::string>& combine_failure) {
  std::optional<Run> first_failed;
  if (dataset.runs.failed > 0) {
    auto failed = runs_.list_runs(dataset.job_id, 0, 1, JobStatus::failed);
    if (failed.ok() && !failed->empty()) first_failed = failed->front();
  }
  const int64_t now_ms = clock_.now_ms();
  bool changed = false;
  std::optional<std::string> error;
  if (combine_failure) {
    error = "combining the runs failed: " + *combine_failure + "; each run's artifacts are under runs/<index>/";
  }
  const Result<Job> updated = store_.update_job(dataset.job_id, [&](Job& current) {
    changed = apply_dataset_end(current, outcome, first_failed, error, now_ms);
    return changed;
  });
  if (!updated.ok()) {
    loop_.record_failure(updated.error());
    return false;
  }
  if (changed) {
    spdlog::info("aws_batch: dataset {} is {} ({} of {} runs completed, {} failed, {} cancelled)", dataset.job_id,
                 to_string(updated->status), updated->runs.completed, updated->runs.total, updated->runs.failed,
                 updated->runs.cancelled);
  }
  return changed;
}

// The array job is gone from Batch (it forgets jobs about 7 days after they end): each run not yet ended is settled
// by its own metadata.json, as a plain job is, and the dataset goes on to its combine job or its end.
bool BatchExecutor::resolve_missing_runs(const Job& dataset) {
  bool changed = false;
  for (const JobStatus status : {JobStatus::queued, JobStatus::running}) {
    auto runs = runs_.list_runs_with_status(dataset.job_id, status, static_cast<int>(kMaxDatasetRuns));
    if (!runs) {
      loop_.record_failure(runs.error());
      return changed;
    }
    for (const Run& run : *runs) {
      const Result<std::string> metadata =
          artifacts_.read(dataset, run_artifact_prefix(run.index) + worker::artifact::kMetadata);
      if (!metadata.ok() && metadata.error().code != ErrorCode::not_found) {
        loop_.record_failure(metadata.error());
        return changed;
      }
      const int64_t now_ms = clock_.now_ms();
      const Result<Run> updated = runs_.update_run(dataset.job_id, run.index, [&](Run& current) {
        if (is_terminal(current.status)) return false;
        current.completed_at_ms = now_ms;
        if (metadata.ok()) {
          current.status = JobStatus::completed;
          current.progress = 100;
        } else {
          current.status = dataset.cancel_requested ? JobStatus::cancelled : JobStatus::failed;
          current.error = "AWS Batch no longer knows array job " + dataset.executor.external_id +
                          " and this run wrote no metadata.json: its outcome is lost";
        }
        return true;
      });
      if (!updated.ok()) loop_.record_failure(updated.error());
      changed = updated.ok() || changed;
    }
  }
  auto fresh = store_.get_job(dataset.job_id);
  if (fresh && *fresh && in_combine_phase(**fresh)) changed = end_runs(**fresh) || changed;
  return changed;
}

}  // namespace live2
