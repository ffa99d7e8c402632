// LocalExecutor's dataset half: a generate_dataset job is taken without a worker of its own, and its runs are
// started, watched and settled one worker each, in the slots single jobs use (local_executor.h). The rules a
// dataset ends by are core/run.h's, shared with every executor.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <system_error>

#include "core/dataset_plan.h"
#include "core/run.h"
#include "core/status_machine.h"
#include "exec/local_executor.h"
#include "exec/local_worker_records.h"
#include "exec/text_excerpt.h"
#include "exec/worker_outcome.h"
#include "exec/worker_progress.h"
#include "worker/worker_contract.h"

namespace live2 {
namespace fs = std::filesystem;
namespace {

constexpr int kStderrExcerptLines = 10;
constexpr int64_t kStderrExcerptBytes = 2000;

std::string_view external_status_of(JobStatus status) {
  switch (status) {
    case JobStatus::completed: return "SUCCEEDED";
    case JobStatus::failed: return "FAILED";
    case JobStatus::cancelled: return "CANCELLED";
    case JobStatus::queued:
    case JobStatus::running: break;
  }
  return "RUNNING";
}

}  // namespace

std::string LocalExecutor::worker_key(const Worker& worker) {
  return worker.run_index ? run_key(worker.job.job_id, *worker.run_index) : worker.job.job_id;
}

int64_t LocalExecutor::running_runs_limit(const Job& dataset) const {
  if (!dataset.tier) return options_.max_concurrent_jobs;
  const auto limit = options_.running_runs_by_tier.find(*dataset.tier);
  return limit == options_.running_runs_by_tier.end() ? options_.max_concurrent_jobs : limit->second;
}

std::optional<Job> LocalExecutor::claim_dataset(const Job& candidate) {
  bool taken = false;
  const int64_t now_ms = clock_.now_ms();
  auto updated = store_.update_job(candidate.job_id, [&](Job& job) {
    if (is_terminal(job.status) || job.executor.submit_state != SubmitState::not_submitted) return false;
    if (job.cancel_requested) return transition(job, JobStatus::cancelled, now_ms).ok();
    // Handed over for good: from now on its runs carry the executor state, and a restart finds the dataset among
    // the handed-over jobs.
    job.executor.kind = std::string(kind());
    job.executor.submit_state = SubmitState::submitted;
    set_external_status(job, "RUNNING", now_ms);
    taken = true;
    return true;
  });
  if (!updated) {
    log_store_error(candidate.job_id, updated.error());
    return std::nullopt;
  }
  if (!taken) return std::nullopt;
  spdlog::info("local executor: dataset {} taken ({} runs)", candidate.job_id, updated->runs.total);
  return *updated;
}

bool LocalExecutor::recover_runs(const Job& dataset) {
  auto running = runs_.list_runs_with_status(dataset.job_id, JobStatus::running, static_cast<int>(kMaxDatasetRuns));
  if (!running) {
    spdlog::error("local executor: cannot list the running runs of dataset {}: {}", dataset.job_id,
                  running.error().message);
    return false;
  }
  for (const Run& run : *running) {
    Worker worker;
    worker.job = dataset;
    worker.run_index = run.index;
    worker.run_progress = run.progress;
    worker.adopted = true;
    const std::string key = worker_key(worker);
    // A run without a pid may have a worker whose pid was never recorded: look for it by its key.
    std::optional<int64_t> pid = parse_pid(run.external_id);
    if (!pid || !launcher_.is_worker_of_job(*pid, key)) pid = launcher_.find_worker_of_job(key);
    if (pid) {
      worker.pid = *pid;
      spdlog::info("local executor: run {} still has worker {} from a previous server; waiting for it", key, *pid);
      workers_.emplace(key, std::move(worker));
    } else if (!settle_run(worker, std::nullopt, false)) {
      return false;
    }
  }
  return true;
}

std::vector<Job> LocalExecutor::advance_datasets() {
  auto handed_over = store_.list_handed_over_jobs();
  if (!handed_over) {
    spdlog::error("local executor: cannot list the datasets it runs: {}", handed_over.error().message);
    return {};
  }
  std::vector<Job> startable;
  for (Job& dataset : *handed_over) {
    if (dataset.job_type != kDatasetJobType || dataset.executor.kind != kind()) continue;
    if (dataset.cancel_requested && dataset.runs.queued > 0) {
      if (auto cancelled = runs_.cancel_queued_runs(dataset.job_id); !cancelled) {
        log_store_error(dataset.job_id, cancelled.error());
        continue;
      }
      auto fresh = store_.get_job(dataset.job_id);
      if (!fresh || !fresh->has_value()) continue;
      dataset = **fresh;
    }
    if (std::optional<JobStatus> outcome = dataset_outcome(dataset.runs, dataset.cancel_requested)) {
      finish_dataset(dataset, *outcome);
      continue;
    }
    // The ETA is the rate so far carried forward: recomputed when the progress moves, not at every pass.
    if (dataset.started_at_ms && eta_progress_[dataset.job_id] != dataset.progress) {
      eta_progress_[dataset.job_id] = dataset.progress;
      const std::optional<double> eta = dataset_eta_s(dataset.progress, *dataset.started_at_ms, clock_.now_ms());
      if (eta) {
        auto updated = store_.update_job(dataset.job_id, [&](Job& job) {
          if (is_terminal(job.status)) return false;
          job.eta_seconds = std::round(*eta);
          return true;
        });
        if (!updated) log_store_error(dataset.job_id, updated.error());
      }
    }
    if (!dataset.cancel_requested && dataset.runs.queued > 0) startable.push_back(std::move(dataset));
  }
  return startable;
}

void LocalExecutor::finish_dataset(const Job& dataset, JobStatus outcome) {
  // Why, when not every run completed: the first failed run's reason (read before the transaction).
  std::optional<std::string> first_failure;
  if (dataset.runs.failed > 0) {
    auto failed = runs_.list_runs(dataset.job_id, 0, 1, JobStatus::failed);
    if (failed && !failed->empty()) {
      first_failure = "run " + std::to_string(failed->front().index) + ": " +
                      failed->front().error.value_or("failed");
    }
  }
  const int64_t now_ms = clock_.now_ms();
  auto updated = store_.update_job(dataset.job_id, [&](Job& job) {
    if (is_terminal(job.status)) return false;
    set_external_status(job, std::string(external_status_of(outcome)), now_ms);
    job.eta_seconds.reset();
    if (job.runs.failed > 0) {
      const std::string reason = std::to_string(job.runs.failed) + " of " + std::to_string(job.runs.total) +
                                 " runs failed (GET /api/v1/jobs/" + job.job_id + "/runs?status=failed); " +
                                 first_failure.value_or("");
      job.executor.status_reason = reason;
      if (outcome == JobStatus::failed) job.error = reason;
    }
    if (job.status == JobStatus::queued && outcome != JobStatus::cancelled) {
      // Every run was settled before any started here (a restart): the dataset passes through running.
      if (!transition(job, JobStatus::running, now_ms).ok()) return false;
    }
    return transition(job, outcome, now_ms).ok();
  });
  eta_progress_.erase(dataset.job_id);
  if (!updated) return log_store_error(dataset.job_id, updated.error());
  spdlog::info("local executor: dataset {} is {} ({} of {} runs completed, {} failed, {} cancelled)", dataset.job_id,
               to_string(updated->status), updated->runs.completed, updated->runs.total, updated->runs.failed,
               updated->runs.cancelled);
}

bool LocalExecutor::launch_run(const Job& dataset, const Run& queued) {
  const int64_t now_ms = clock_.now_ms();
  // The intent first: a running run without a pid is being started. After a crash right after the fork, a
  // restarted server looks for its worker by the run's key instead of starting a second one.
  bool claimed = false;
  auto run = runs_.update_run(dataset.job_id, queued.index, [&](Run& changed) {
    if (changed.status != JobStatus::queued) return false;
    changed.status = JobStatus::running;
    changed.external_id.clear();
    changed.attempts += 1;
    if (!changed.started_at_ms) changed.started_at_ms = now_ms;
    claimed = true;
    return true;
  });
  if (!run) log_store_error(dataset.job_id, run.error());
  if (!run || !claimed) return false;

  Result<ProcessSpec> spec = worker_spec(dataset, run->attempts, &*run);
  Result<int64_t> pid = spec ? launcher_.launch(*spec) : Result<int64_t>(spec.error());
  const std::string key = run_key(dataset.job_id, run->index);
  if (!pid) {
    // As for a job: the machine's fault, so the run goes back to the queue and claims pause (local_executor.cpp).
    const std::string reason = "cannot start the worker: " + pid.error().message;
    spdlog::error("local executor: run {}: {}; retrying in {} ms", key, reason, options_.launch_retry_delay_ms);
    {
      std::lock_guard lock(mutex_);
      launch_error_ = reason;
    }
    claims_paused_until_ms_ = clock_.monotonic_ms() + options_.launch_retry_delay_ms;
    auto requeued = runs_.update_run(dataset.job_id, run->index, [&](Run& changed) {
      changed.status = JobStatus::queued;
      changed.attempts -= 1;
      return true;
    });
    if (!requeued) log_store_error(dataset.job_id, requeued.error());
    return false;
  }
  {
    std::lock_guard lock(mutex_);
    launch_error_.clear();
  }
  auto recorded = runs_.update_run(dataset.job_id, run->index, [&](Run& changed) {
    changed.external_id = std::to_string(*pid);
    changed.exit_code.reset();
    return true;
  });
  if (!recorded) log_store_error(dataset.job_id, recorded.error());
  auto started = store_.update_job(dataset.job_id, [&](Job& job) {
    if (job.status != JobStatus::queued) return false;
    return transition(job, JobStatus::running, clock_.now_ms()).ok();
  });
  if (!started) log_store_error(dataset.job_id, started.error());
  Worker& worker = workers_[key];
  worker.job = started ? *started : dataset;
  worker.run_index = run->index;
  worker.run_progress = run->progress;
  worker.pid = *pid;
  spdlog::info("local executor: run {} attempt {} runs as pid {}", key, run->attempts, *pid);
  return true;
}

void LocalExecutor::report_run_progress(Worker& worker) {
  auto text = artifacts_.read(worker.job, run_artifact_prefix(*worker.run_index) + worker::artifact::kProgress);
  if (!text) return;
  const auto progress = parse_worker_progress(*text);
  if (!progress || progress->percent <= worker.run_progress) return;
  auto updated = runs_.update_run(worker.job.job_id, *worker.run_index, [&](Run& run) {
    if (run.status != JobStatus::running || progress->percent <= run.progress) return false;
    run.progress = std::min(progress->percent, 100.0);
    return true;
  });
  if (!updated) return log_store_error(worker.job.job_id, updated.error());
  worker.run_progress = updated->progress;
}

bool LocalExecutor::settle_run(Worker& worker, const std::optional<ProcessExit>& exit, bool stopping) {
  const fs::path stderr_file = log_directory(worker.job.job_id, worker.run_index) / "stderr.log";
  FinishedWorker finished;
  finished.exit = exit;
  finished.server_stopping = stopping;
  finished.cancel_requested = worker.job.cancel_requested || is_terminal(worker.job.status);
  std::error_code error;
  finished.metadata_written =
      fs::exists(output_directory(worker.job, worker.run_index) / worker::artifact::kMetadata, error);
  if (exit) {
    auto head = first_lines_of_file(stderr_file, kStderrExcerptLines, kStderrExcerptBytes);
    auto tail = last_lines_of_file(stderr_file, kStderrExcerptLines, kStderrExcerptBytes);
    if (head) finished.stderr_head = std::move(*head);
    if (tail) finished.stderr_tail = std::move(*tail);
  }
  const WorkerVerdict verdict = judge_finished_worker(finished);
  const int64_t now_ms = clock_.now_ms();
  auto updated = runs_.update_run(worker.job.job_id, *worker.run_index, [&](Run& run) {
    if (is_terminal(run.status)) return false;
    run.exit_code = exit ? exit->exit_code : std::nullopt;
    switch (verdict.outcome) {
      case JobOutcome::completed:
        run.status = JobStatus::completed;
        run.progress = 100;
        break;
      case JobOutcome::failed:
        run.status = JobStatus::failed;
        run.error = verdict.error;
        break;
      case JobOutcome::cancelled:
        run.status = JobStatus::cancelled;
        break;
      case JobOutcome::requeued:
        // Back in the queue; the next worker of this run resumes from its checkpoint.
        run.status = JobStatus::queued;
        run.external_id.clear();
        return true;
    }
    run.completed_at_ms = now_ms;
    return true;
  });
  const std::string key = worker_key(worker);
  if (!updated) {
    log_store_error(key, updated.error());
    return updated.error().code == ErrorCode::not_found;
  }
  spdlog::info("local executor: run {} worker {} ended ({}); run is {}", key, worker.pid,
               exit ? (exit->exit_code ? "exit code " + std::to_string(*exit->exit_code)
                                       : "signal " + std::to_string(exit->signal.value_or(0)))
                    : std::string("exit status unknown"),
               to_string(updated->status));
  return true;
}

}  // namespace live2
