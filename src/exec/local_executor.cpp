#include "exec/local_executor.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <fstream>
#include <system_error>
#include <thread>

#include "artifacts/free_space.h"
#include "core/run.h"
#include "core/status_machine.h"
#include "exec/finished_worker_files.h"
#include "exec/local_worker_records.h"
#include "exec/text_excerpt.h"
#include "exec/worker_outcome.h"
#include "exec/worker_progress.h"
#include "worker/worker_contract.h"

namespace live2 {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxLogTailLines = 10'000;
constexpr int64_t kMaxLogTailBytes = 16 << 20;
// After SIGKILL the kernel ends the group promptly; this only bounds the wait for it to be reaped.
constexpr int64_t kReapAfterKillTimeoutMs = 5'000;
constexpr auto kShutdownPollInterval = std::chrono::milliseconds(20);
constexpr auto kWakeCoalescing = std::chrono::milliseconds(10);
constexpr size_t kMaxParamsInEnvironmentBytes = 64 * 1024;
constexpr int kExtraClaimCandidates = 4;

int default_worker_threads(int max_concurrent_jobs) {
  const int hardware_threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  return std::max(1, hardware_threads / std::max(1, max_concurrent_jobs));
}

}  // namespace

LocalExecutor::LocalExecutor(JobStore& store, RunStore& runs, LocalArtifactStore& artifacts,
                             ProcessLauncher& launcher, const Clock& clock, LocalExecutorOptions options)
    : store_(store),
      runs_(runs),
      artifacts_(artifacts),
      launcher_(launcher),
      clock_(clock),
      options_(std::move(options)),
      worker_threads_(options_.worker_threads > 0 ? options_.worker_threads
                                                   : default_worker_threads(options_.max_concurrent_jobs)),
      loop_([this] { return run_pass(); }, [this] { shut_down_workers(); }, kWakeCoalescing) {
  if (options_.run_directory.empty()) options_.run_directory = artifacts_.root().parent_path() / "run";
  options_.max_concurrent_jobs = std::max(1, options_.max_concurrent_jobs);
}

LocalExecutor::~LocalExecutor() { stop(); }

void LocalExecutor::start() {
  if (loop_.running()) return;
  recovered_ = false;  // a restarted loop accounts for handed-over jobs again before claiming
  // The workers' death signal follows the loop's thread: it lives as long as they run (shut down on its exit).
  loop_.start();
}

void LocalExecutor::stop() { loop_.stop(); }

void LocalExecutor::wake() { loop_.wake(); }

Status LocalExecutor::readiness() {
  {
    std::lock_guard lock(mutex_);
    if (!loop_.running()) return Error::make(ErrorCode::unavailable, "the local executor is not running");
    if (!launch_error_.empty()) return Error::make(ErrorCode::unavailable, launch_error_);
  }
  if (::access(options_.worker_binary.c_str(), X_OK) != 0) {
    return Error::make(ErrorCode::unavailable,
                       "worker binary " + options_.worker_binary + " is missing or not executable");
  }
  return artifacts_.readiness();
}

Result<std::string> LocalExecutor::read_log_tail(const Job& job, int lines) {
  return last_lines_of_file(artifacts_.job_directory(job) / worker::artifact::kLog,
                            std::clamp(lines, 0, kMaxLogTailLines), kMaxLogTailBytes);
}

fs::path LocalExecutor::output_directory(const Job& job, std::optional<int64_t> run_index) const {
  const fs::path directory = artifacts_.job_directory(job);
  return run_index ? directory / "runs" / std::to_string(*run_index) : directory;
}

fs::path LocalExecutor::log_directory(const std::string& job_id, std::optional<int64_t> run_index) const {
  const fs::path directory = options_.run_directory / job_id;
  return run_index ? directory / "runs" / std::to_string(*run_index) : directory;
}

fs::path LocalExecutor::combine_log_directory(const std::string& job_id) const {
  return options_.run_directory / job_id / "combine";
}

std::chrono::milliseconds LocalExecutor::run_pass() {
  // New claims wait until every job a previous server handed over is accounted for (retried if the store fails).
  if (!recovered_) recovered_ = recover_handed_over_jobs();
  watch_workers(false);
  if (recovered_) claim_and_launch(advance_datasets());
  return std::chrono::milliseconds(options_.poll_interval_ms);
}

bool LocalExecutor::recover_handed_over_jobs() {
  auto jobs = store_.list_handed_over_jobs();
  if (!jobs) {
    spdlog::error("local executor: cannot list handed-over jobs for recovery: {}", jobs.error().message);
    return false;
  }
  for (const Job& job : *jobs) {
    if (!job.executor.kind.empty() && job.executor.kind != kind()) continue;
    if (job.job_type == kDatasetJobType) {
      if (!recover_runs(job)) return false;
      continue;
    }
    // A `submitting` job may have a worker whose pid was never recorded: look for it by job id.
    std::optional<int64_t> pid = parse_pid(job.executor.external_id);
    if (!pid || !launcher_.is_worker_of_job(*pid, job.job_id)) pid = launcher_.find_worker_of_job(job.job_id);
    Worker worker;
    worker.job = job;
    worker.pid = pid.value_or(0);
    worker.adopted = true;
    if (pid) {
      spdlog::info("local executor: job {} still has worker {} from a previous server; waiting for it", job.job_id,
                   *pid);
      workers_.emplace(job.job_id, std::move(worker));
    } else {
      if (!settle(worker, std::nullopt, false)) return false;
    }
  }
  return true;
}

void LocalExecutor::claim_and_launch(const std::vector<Job>& datasets) {
  const int free_slots = options_.max_concurrent_jobs - static_cast<int>(workers_.size());
  if (free_slots <= 0 || clock_.monotonic_ms() < claims_paused_until_ms_) return;
  if (Status space = check_free_space({artifacts_.root()}, options_.min_free_disk_bytes); !space) {
    if (!disk_full_logged_) spdlog::error("local executor: queued jobs wait: {}", space.error().message);
    disk_full_logged_ = true;
    return;
  }
  if (disk_full_logged_) spdlog::info("local executor: disk space is back; claiming queued jobs again");
  disk_full_logged_ = false;
  // A few more than the free slots: some candidates may be cancelled (or claimed elsewhere) by the time we try.
  auto jobs = store_.list_jobs_awaiting_executor(free_slots + kExtraClaimCandidates);
  if (!jobs) {
    spdlog::error("local executor: cannot list jobs awaiting an executor: {}", jobs.error().message);
    return;
  }
  // Where the next worker may come from: a queued job, or a dataset's queued runs (fetched when first chosen).
  struct Source {
    Job job;
    bool dataset = false;
    std::optional<std::vector<Run>> queued_runs = std::nullopt;
    size_t next_run = 0;
    bool exhausted = false;
  };
  std::vector<Source> sources;
  for (const Job& dataset : datasets) sources.push_back({dataset, true});
  for (const Job& candidate : *jobs) {
    if (workers_.contains(candidate.job_id)) continue;
    if (candidate.job_type != kDatasetJobType) {
      sources.push_back({candidate, false});
    } else if (std::optional<Job> taken = claim_dataset(candidate); taken && taken->runs.queued > 0) {
      sources.push_back({*taken, true});
    }
  }
  std::map<std::string, int64_t> workers_by_user;
  std::map<std::string, int64_t> runs_by_user;
  for (const auto& [key, worker] : workers_) {
    ++workers_by_user[worker.job.user_id];
    if (worker.run_index) ++runs_by_user[worker.job.user_id];
  }
  while (std::ssize(workers_) < options_.max_concurrent_jobs && clock_.monotonic_ms() >= claims_paused_until_ms_) {
    // Fair share: the user with the fewest workers running goes next, the oldest job first among equals.
    Source* chosen = nullptr;
    for (Source& source : sources) {
      if (source.exhausted) continue;
      if (source.dataset && runs_by_user[source.job.user_id] >= running_runs_limit(source.job)) continue;
      const auto rank = std::pair(workers_by_user[source.job.user_id], source.job.job_id);
      if (!chosen || rank < std::pair(workers_by_user[chosen->job.user_id], chosen->job.job_id)) chosen = &source;
    }
    if (!chosen) return;
    bool launched = false;
    if (!chosen->dataset) {
      chosen->exhausted = true;
      launched = claim_and_launch_job(chosen->job);
    } else {
      if (!chosen->queued_runs) {
        auto queued = runs_.list_runs_with_status(chosen->job.job_id, JobStatus::queued, free_slots);
        if (!queued) log_store_error(chosen->job.job_id, queued.error());
        chosen->queued_runs = queued ? std::move(*queued) : std::vector<Run>{};
      }
      if (chosen->next_run >= chosen->queued_runs->size()) {
        chosen->exhausted = true;
        continue;
      }
      launched = launch_run(chosen->job, (*chosen->queued_runs)[chosen->next_run++]);
      if (launched) ++runs_by_user[chosen->job.user_id];
    }
    if (launched) ++workers_by_user[chosen->job.user_id];
  }
}

bool LocalExecutor::claim_and_launch_job(const Job& candidate) {
  bool claimed = false;
  const int64_t now_ms = clock_.now_ms();
  auto updated = store_.update_job(candidate.job_id, [&](Job& job) {
    if (is_terminal(job.status) || job.executor.submit_state != SubmitState::not_submitted) return false;
    if (job.cancel_requested) return transition(job, JobStatus::cancelled, now_ms).ok();
    job.executor.kind = std::string(kind());
    job.executor.submit_state = SubmitState::submitting;
    set_external_status(job, "STARTING", now_ms);
    claimed = true;
    return true;
  });
  if (!updated) log_store_error(candidate.job_id, updated.error());
  return updated && claimed && launch_worker(*updated);
}

Result<ProcessSpec> LocalExecutor::worker_spec(const Job& job, int attempt, WorkerRole role) const {
  const Run* run = role.run;
  const std::optional<int64_t> run_index = run ? std::optional(run->index) : std::nullopt;
  // Absolute: the worker runs in its own working directory, where a relative data dir (`./data`) means another place.
  const fs::path job_directory = fs::absolute(output_directory(job, run_index));
  const fs::path run_directory =
      fs::absolute(role.combine ? combine_log_directory(job.job_id) : log_directory(job.job_id, run_index));
  std::error_code error;
  fs::create_directories(job_directory, error);
  if (!error) fs::create_directories(run_directory, error);
  if (error)
    return Error::make(ErrorCode::internal, "cannot create " + run_directory.string() + ": " + error.message());

  ProcessSpec spec;
  spec.executable = options_.worker_binary;
  // A combine worker reads the runs and writes the dataset's files at its root: one thread, no simulation.
  spec.arguments = role.combine ? std::vector<std::string>{"combine", "--out", job_directory.string()}
                                : std::vector<std::string>{"run", "--out", job_directory.string(), "--threads",
                                                           std::to_string(worker_threads_)};
  const std::string key = role.combine ? combine_key(job.job_id) : run ? run_key(job.job_id, run->index) : job.job_id;
  spec.environment = {{std::string(kWorkerKeyVariable), key},
                      {worker::env::kJobId, run ? key : job.job_id},
                      {worker::env::kUserId, job.user_id},
                      {worker::env::kEnv, options_.env},
                      {worker::env::kArtifactPrefix,
                       artifacts_.prefix_for(job) + (run ? run_artifact_prefix(run->index) : std::string())},
                      {worker::env::kBatchJobAttempt, std::to_string(attempt)}};
  if (job.output_budget_bytes > 0) {
    spec.environment.emplace_back(worker::env::kOutputBudgetBytes, std::to_string(job.output_budget_bytes));
  }
  const std::string& params_json = run ? run->params_json : job.params_json;
  if (params_json.size() <= kMaxParamsInEnvironmentBytes) {
    spec.environment.emplace_back(worker::env::kJobParams, params_json);
  } else {
    // Linux refuses a single environment string over 128 KiB; big parameter sets go as a file instead.
    const fs::path params_file = run_directory / worker::artifact::kParams;
    std::ofstream out(params_file, std::ios::binary | std::ios::trunc);
    out << params_json;
    out.close();
    if (!out) return Error::make(ErrorCode::internal, "cannot write " + params_file.string());
    spec.arguments.insert(spec.arguments.end(), {"--params", params_file.string()});
  }
  // Without S3_BUCKET the worker writes only to --out. Nothing job-specific may leak in from the server's env.
  spec.unset_environment = {worker::env::kS3Bucket, worker::env::kBatchJobId, worker::env::kJobParams,
                            worker::env::kOutputBudgetBytes};
  spec.working_directory = run_directory;
  spec.stdout_file = run_directory / "stdout.log";
  spec.stderr_file = run_directory / "stderr.log";
  return spec;
}

bool LocalExecutor::launch_worker(const Job& claimed) {
  const int attempt = claimed.executor.attempts + 1;
  const fs::path job_directory = artifacts_.job_directory(claimed);
  Result<ProcessSpec> spec = worker_spec(claimed, attempt);
  Result<int64_t> pid = spec ? launcher_.launch(*spec) : Result<int64_t>(spec.error());

  const int64_t now_ms = clock_.now_ms();
  if (!pid) {
    // Usually the machine's fault (binary missing, out of processes), not the job's: put the job back and pause
    // claiming instead of failing every queued job in turn. /ready shows the reason meanwhile.
    pause_claims_after_launch_failure("job " + claimed.job_id, pid.error());
    const std::string reason = "cannot start the worker: " + pid.error().message;
    auto requeued = store_.update_job(claimed.job_id, [&](Job& job) {
      job.executor.submit_state = SubmitState::not_submitted;
      job.executor.status_reason = reason;
      set_external_status(job, "LAUNCH_FAILED", now_ms);
      return true;
    });
    if (!requeued) log_store_error(claimed.job_id, requeued.error());
    return false;
  }
  {
    std::lock_guard lock(mutex_);
    launch_error_.clear();
  }

  auto updated = store_.update_job(claimed.job_id, [&](Job& job) {
    job.executor.submit_state = SubmitState::submitted;
    job.executor.external_id = std::to_string(*pid);
    job.executor.attempts = attempt;
    job.executor.exit_code.reset();
    job.executor.status_reason.reset();
    job.executor.log_stream = (job_directory / worker::artifact::kLog).string();
    set_external_status(job, "RUNNING", now_ms);
    if (job.status == JobStatus::queued) return transition(job, JobStatus::running, now_ms).ok();
    return true;
  });
  if (!updated) log_store_error(claimed.job_id, updated.error());
  Worker& worker = workers_[claimed.job_id];
  worker.job = updated ? *updated : claimed;
  worker.pid = *pid;
  spdlog::info("local executor: job {} attempt {} runs as pid {}", claimed.job_id, attempt, *pid);
  return true;
}

void LocalExecutor::pause_claims_after_launch_failure(const std::string& worker, const Error& error) {
  const std::string reason = "cannot start the worker: " + error.message;
  spdlog::error("local executor: {}: {}; retrying in {} ms", worker, reason, options_.launch_retry_delay_ms);
  {
    std::lock_guard lock(mutex_);
    launch_error_ = reason;
  }
  claims_paused_until_ms_ = clock_.monotonic_ms() + options_.launch_retry_delay_ms;
}

void LocalExecutor::watch_workers(bool stopping) {
  for (auto it = workers_.begin(); it != workers_.end();) {
    it = watch_worker(it->second, stopping) ? workers_.erase(it) : std::next(it);
  }
}

bool LocalExecutor::watch_worker(Worker& worker, bool stopping) {
  if (auto fresh = store_.get_job(worker.job.job_id); fresh && fresh->has_value()) worker.job = **fresh;

  if (worker.ended) {
    // Reaped in an earlier pass whose record the store could not write: only that record is still owed.
  } else if (worker.adopted) {
    if (!launcher_.is_worker_of_job(worker.pid, worker_key(worker))) worker.ended.emplace(std::nullopt);
  } else if (auto waited = launcher_.try_wait(worker.pid); !waited) {
    // Someone else reaped it (e.g. SIGCHLD ignored): from now on watch it through /proc like a foreign worker.
    spdlog::error("local executor: cannot wait for worker {} of job {} ({}); watching it through /proc", worker.pid,
                  worker.job.job_id, waited.error().message);
    worker.adopted = true;
  } else if (waited->has_value()) {
    worker.ended.emplace(*waited);
  }
  if (worker.run_index) {
    report_run_progress(worker);
    if (worker.ended) return settle_run(worker, *worker.ended, stopping);
  } else if (worker.combine) {
    if (worker.ended) return settle_combine(worker, *worker.ended, stopping);
  } else {
    report_progress(worker);
    if (worker.ended) return settle(worker, *worker.ended, stopping);
  }

  const bool should_stop = worker.job.cancel_requested || is_terminal(worker.job.status) || stopping;
  const int64_t now_ms = clock_.monotonic_ms();
  if (should_stop && !worker.terminate_sent_ms) {
    worker.terminate_sent_ms = now_ms;
    if (auto sent = launcher_.signal_group(worker.pid, SIGTERM); !sent) {
      spdlog::error("local executor: {}", sent.error().message);
    }
  } else if (worker.terminate_sent_ms && !worker.kill_sent &&
             now_ms - *worker.terminate_sent_ms >= options_.cancel_grace_ms) {
    worker.kill_sent = true;
    spdlog::warn("local executor: worker {} of job {} ignored SIGTERM for {} ms; killing it", worker.pid,
                 worker.job.job_id, options_.cancel_grace_ms);
    if (auto sent = launcher_.signal_group(worker.pid, SIGKILL); !sent) {
      spdlog::error("local executor: {}", sent.error().message);
    }
  }
  return false;
}

void LocalExecutor::report_progress(Worker& worker) {
  auto text = artifacts_.read(worker.job, worker::artifact::kProgress);
  if (!text) return;
  const auto progress = parse_worker_progress(*text);
  if (!progress) return;
  const bool raised = progress->percent > worker.job.progress;
  const bool eta_changed = progress->eta_seconds.has_value() != worker.reported_eta_s.has_value() ||
                           (progress->eta_seconds && std::abs(*progress->eta_seconds - *worker.reported_eta_s) >= 1);
  if (!raised && !eta_changed) return;
  const int64_t now_ms = clock_.now_ms();
  auto updated = store_.update_job(worker.job.job_id, [&](Job& job) {
    if (is_terminal(job.status)) return false;
    raise_progress(job, progress->percent);
    job.eta_seconds = progress->eta_seconds;
    job.updated_at_ms = now_ms;
    return true;
  });
  if (!updated) return log_store_error(worker.job.job_id, updated.error());
  worker.job = *updated;
  worker.reported_eta_s = progress->eta_seconds;
}

bool LocalExecutor::settle(Worker& worker, const std::optional<ProcessExit>& exit, bool stopping) {
  const fs::path stderr_file = log_directory(worker.job.job_id, std::nullopt) / "stderr.log";
  // Read before the transaction: update_job mutations must stay quick.
  FinishedWorker finished = finished_worker_from_files(
      exit, stopping, artifacts_.job_directory(worker.job) / worker::artifact::kMetadata, stderr_file);

  WorkerVerdict verdict;
  const int64_t now_ms = clock_.now_ms();
  auto updated = store_.update_job(worker.job.job_id, [&](Job& job) {
    if (is_terminal(job.status)) return false;
    finished.cancel_requested = job.cancel_requested;
    verdict = judge_finished_worker(finished);
    job.executor.exit_code = exit ? exit->exit_code : std::nullopt;
    switch (verdict.outcome) {
      case JobOutcome::completed:
        set_external_status(job, "SUCCEEDED", now_ms);
        return transition(job, JobStatus::completed, now_ms).ok();
      case JobOutcome::failed:
        set_external_status(job, "FAILED", now_ms);
        job.error = verdict.error;
        job.executor.status_reason = verdict.error;
        return transition(job, JobStatus::failed, now_ms).ok();
      case JobOutcome::cancelled:
        set_external_status(job, "CANCELLED", now_ms);
        return transition(job, JobStatus::cancelled, now_ms).ok();
      case JobOutcome::requeued:
        // Status stays as it was (running cannot go back to queued); the next claim resumes the checkpoint.
        set_external_status(job, "INTERRUPTED", now_ms);
        job.executor.submit_state = SubmitState::not_submitted;
        job.executor.external_id.clear();
        job.eta_seconds.reset();
        return true;
    }
    return false;
  });
  if (!updated) {
    // A job that is gone needs no record; a store that cannot write (a full disk) is asked again next pass.
    log_store_error(worker.job.job_id, updated.error());
    return updated.error().code == ErrorCode::not_found;
  }
  spdlog::info("local executor: job {} worker {} ended ({}); job is {}{}", worker.job.job_id, worker.pid,
               exit ? (exit->exit_code ? "exit code " + std::to_string(*exit->exit_code)
                                       : "signal " + std::to_string(exit->signal.value_or(0)))
                    : std::string("exit status unknown"),
               to_string(updated->status),
               updated->executor.submit_state == SubmitState::not_submitted && !is_terminal(updated->status)
                   ? " (requeued)"
                   : "");
  return true;
}

void LocalExecutor::shut_down_workers() {
  // Workers of a previous server stay as they are: the next start() finds them again by pid.
  std::erase_if(workers_, [](const auto& entry) { return entry.second.adopted; });
  const int64_t give_up_ms = clock_.monotonic_ms() + options_.cancel_grace_ms + kReapAfterKillTimeoutMs;
  while (!workers_.empty() && clock_.monotonic_ms() < give_up_ms) {
    watch_workers(true);  // SIGTERM at once, SIGKILL after the grace, settle each as it exits
    if (!workers_.empty()) std::this_thread::sleep_for(kShutdownPollInterval);
  }
  for (const auto& [job_id, worker] : workers_) {
    spdlog::error("local executor: worker {} of job {} did not exit after SIGKILL", worker.pid, job_id);
  }
  workers_.clear();
}

void LocalExecutor::log_store_error(const std::string& job_id, const Error& error) const {
  spdlog::error("local executor: job store error for job {}: {}", job_id, error.message);
}

}  // namespace live2
