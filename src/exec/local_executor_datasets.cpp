// LocalExecutor's dataset half: a generate_dataset job is taken without a worker of its own, and its runs are
// started, watched and settled one worker each, in the slots single jobs use (local_executor.h). The rules a
// dataset ends by are core/run.h's, shared with every executor.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <system_error>

#include "base/json_text.h"
#include "core/dataset_plan.h"
#include "core/run.h"
#include "core/run_json.h"
#include "core/status_machine.h"
#include "exec/finished_worker_files.h"
#include "exec/local_executor.h"
#include "exec/local_worker_records.h"
#include "exec/worker_outcome.h"
#include "exec/worker_progress.h"
#include "worker/worker_contract.h"

namespace live2 {
namespace fs = std::filesystem;
namespace {

// The external status of a dataset whose combine worker runs (and, after a restart, the sign to look for it).
constexpr std::string_view kCombiningStatus = "COMBINING";
constexpr int kDatasetRunsPage = 1000;

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
  if (worker.combine) return combine_key(worker.job.job_id);
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
  if (dataset.executor.external_status != kCombiningStatus) return true;
  // Combining when the previous server ended: its combine worker is watched if it lives; otherwise the combine is
  // judged by what it left (metadata.json: combined) and, if unfinished, started again by the next pass.
  Worker worker;
  worker.job = dataset;
  worker.combine = true;
  worker.adopted = true;
  const std::string key = worker_key(worker);
  std::optional<int64_t> pid = parse_pid(dataset.executor.external_id);
  if (!pid || !launcher_.is_worker_of_job(*pid, key)) pid = launcher_.find_worker_of_job(key);
  if (!pid) return settle_combine(worker, std::nullopt, false);
  worker.pid = *pid;
  spdlog::info("local executor: dataset {} still has combine worker {} from a previous server; waiting for it",
               dataset.job_id, *pid);
  workers_.emplace(key, std::move(worker));
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
      // Completed runs are combined first; a cancel (also one during the combine) or no completed run ends it now.
      if (*outcome == JobStatus::completed) {
        advance_combine(dataset);
      } else {
        finish_dataset(dataset, *outcome);
      }
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

void LocalExecutor::finish_dataset(const Job& dataset, JobStatus outcome,
                                   const std::optional<std::string>& combine_error) {
  // Why, when not every run completed: the first failed run's reason (read before the transaction).
  std::optional<Run> first_failed;
  if (dataset.runs.failed > 0) {
    auto failed = runs_.list_runs(dataset.job_id, 0, 1, JobStatus::failed);
    if (failed && !failed->empty()) first_failed = failed->front();
  }
  const int64_t now_ms = clock_.now_ms();
  auto updated = store_.update_job(dataset.job_id, [&](Job& job) {
    if (is_terminal(job.status)) return false;
    set_external_status(job, std::string(external_status_of(outcome)), now_ms);
    return apply_dataset_end(job, outcome, first_failed, combine_error, now_ms);
  });
  eta_progress_.erase(dataset.job_id);
  if (!updated) return log_store_error(dataset.job_id, updated.error());
  spdlog::info("local executor: dataset {} is {} ({} of {} runs completed, {} failed, {} cancelled)", dataset.job_id,
               to_string(updated->status), updated->runs.completed, updated->runs.total, updated->runs.failed,
               updated->runs.cancelled);
}

void LocalExecutor::advance_combine(const Job& dataset) {
  const std::string key = combine_key(dataset.job_id);
  if (workers_.contains(key)) return;
  // A slot like a run's; the last run's slot has just come free, and this pass fills slots only after datasets.
  if (std::ssize(workers_) >= options_.max_concurrent_jobs || clock_.monotonic_ms() < claims_paused_until_ms_) return;
  if (!write_dataset_runs(dataset)) return;
  const int attempt = dataset.executor.attempts + 1;
  Result<ProcessSpec> spec = worker_spec(dataset, attempt, {.run = nullptr, .combine = true});
  Result<int64_t> pid = spec ? launcher_.launch(*spec) : Result<int64_t>(spec.error());
  if (!pid) return pause_claims_after_launch_failure("dataset " + dataset.job_id + " (combine)", pid.error());
  {
    std::lock_guard lock(mutex_);
    launch_error_.clear();
  }
  const int64_t now_ms = clock_.now_ms();
  auto updated = store_.update_job(dataset.job_id, [&](Job& job) {
    job.executor.attempts = attempt;
    job.executor.external_id = std::to_string(*pid);
    job.executor.status_reason = "combining the runs into dataset.csv, dataset.h5 and dataset_summary.json" +
                                 (attempt > 1 ? " (attempt " + std::to_string(attempt) + ")" : std::string());
    set_external_status(job, std::string(kCombiningStatus), now_ms);
    return true;
  });
  if (!updated) log_store_error(dataset.job_id, updated.error());
  Worker& worker = workers_[key];
  worker.job = updated ? *updated : dataset;
  worker.combine = true;
  worker.pid = *pid;
  spdlog::info("local executor: dataset {} combine attempt {} runs as pid {}", dataset.job_id, attempt, *pid);
}

bool LocalExecutor::write_dataset_runs(const Job& dataset) {
  std::vector<Run> runs;
  for (int64_t from = 0; from < dataset.runs.total;) {
    auto page = runs_.list_runs(dataset.job_id, from, kDatasetRunsPage);
    if (!page) {
      log_store_error(dataset.job_id, page.error());
      return false;
    }
    if (page->empty()) break;
    from = page->back().index + 1;
    runs.insert(runs.end(), std::make_move_iterator(page->begin()), std::make_move_iterator(page->end()));
  }
  const fs::path directory = artifacts_.job_directory(dataset);
  const fs::path file = directory / worker::artifact::kDatasetRuns;
  const fs::path temp = directory / (std::string(worker::artifact::kDatasetRuns) + ".tmp");
  std::error_code error;
  fs::create_directories(directory, error);
  std::ofstream out(temp, std::ios::binary | std::ios::trunc);
  out << json_text(dataset_runs_json(runs)) << '\n';
  out.close();
  if (out) fs::rename(temp, file, error);
  if (!out || error) {
    spdlog::error("local executor: dataset {}: cannot write {}: {}", dataset.job_id, file.string(),
                  error ? error.message() : std::string("write failed"));
    return false;
  }
  return true;
}

bool LocalExecutor::settle_combine(Worker& worker, const std::optional<ProcessExit>& exit, bool stopping) {
  const fs::path stderr_file = combine_log_directory(worker.job.job_id) / "stderr.log";
  FinishedWorker finished = finished_worker_from_files(
      exit, stopping, artifacts_.job_directory(worker.job) / worker::artifact::kMetadata, stderr_file);
  finished.cancel_requested = worker.job.cancel_requested || is_terminal(worker.job.status);
  const WorkerVerdict verdict = judge_finished_worker(finished);
  spdlog::info("local executor: dataset {} combine worker {} ended ({}){}", worker.job.job_id, worker.pid,
               exit ? (exit->exit_code ? "exit code " + std::to_string(*exit->exit_code)
                                       : "signal " + std::to_string(exit->signal.value_or(0)))
                    : std::string("exit status unknown"),
               verdict.error.empty() ? "" : ": " + verdict.error);
  if (is_terminal(worker.job.status)) return true;
  switch (verdict.outcome) {
    case JobOutcome::completed:
      finish_dataset(worker.job, JobStatus::completed);
      return true;
    case JobOutcome::cancelled:
      return true;  // the next pass ends the dataset as cancelled (dataset_outcome)
    case JobOutcome::requeued:
    case JobOutcome::failed:
      break;
  }
  // Interrupted (a server stop or restart) does not count as an attempt; a failure does, up to kCombineAttempts.
  const bool interrupted = verdict.outcome == JobOutcome::requeued;
  if (!interrupted && worker.job.executor.attempts >= kCombineAttempts) {
    finish_dataset(worker.job, JobStatus::failed, combine_failed_error(verdict.error));
    return true;
  }
  auto updated = store_.update_job(worker.job.job_id, [&](Job& job) {
    if (is_terminal(job.status)) return false;
    if (interrupted) job.executor.attempts = std::max(0, job.executor.attempts - 1);
    job.executor.exit_code = exit ? exit->exit_code : std::nullopt;
    job.executor.external_id.clear();
    job.executor.status_reason = interrupted ? "combining was interrupted; it starts again"
                                             : "combining failed (" + verdict.error + "); it starts again";
    return true;
  });
  if (!updated) {
    log_store_error(worker.job.job_id, updated.error());
    return updated.error().code == ErrorCode::not_found;
  }
  return true;
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

  Result<ProcessSpec> spec = worker_spec(dataset, run->attempts, {.run = &*run, .combine = false});
  Result<int64_t> pid = spec ? launcher_.launch(*spec) : Result<int64_t>(spec.error());
  const std::string key = run_key(dataset.job_id, run->index);
  if (!pid) {
    // As for a job: the machine's fault, so the run goes back to the queue and claims pause (local_executor.cpp).
    pause_claims_after_launch_failure("run " + key, pid.error());
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
  FinishedWorker finished = finished_worker_from_files(
      exit, stopping, output_directory(worker.job, worker.run_index) / worker::artifact::kMetadata, stderr_file);
  finished.cancel_requested = worker.job.cancel_requested || is_terminal(worker.job.status);
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
