#include "exec/slurm_executor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>

#include "core/run.h"
#include "core/status_machine.h"
#include "exec/command_runners.h"
#include "exec/slurm_batch_script.h"
#include "exec/text_excerpt.h"
#include "exec/worker_outcome.h"
#include "exec/worker_progress.h"
#include "worker/worker_contract.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kKind = "slurm";
constexpr const char* kBatchScript = ".live2-slurm.sh";
constexpr int kStderrExcerptLines = 20;
constexpr int64_t kStderrExcerptBytes = 16 * 1024;
constexpr int kMaxLogTailLines = 1000;
constexpr int64_t kMaxLogTailBytes = 1 << 20;

bool handed_to_slurm(const Job& job) { return job.executor.kind == kKind; }

int64_t slurm_id_number(const std::string& id) { return std::strtoll(id.c_str(), nullptr, 10); }

template <typename T>
bool assign_if_different(T& field, const T& value) {
  if (field == value) return false;
  field = value;
  return true;
}

}  // namespace

int SlurmExecutor::cpus_of(const Job& job) { return std::max(1, static_cast<int>(job.executor.vcpus)); }

std::string SlurmExecutor::slurm_job_name(const std::string& job_id) { return "live2-" + job_id; }

void SlurmExecutor::set_external_status(Job& job, const std::string& status, int64_t now_ms) {
  if (job.executor.external_status != status) {
    job.executor.external_status = status;
    job.executor.status_since_ms = now_ms;
  }
}

SlurmExecutor::SlurmExecutor(JobStore& store, RunStore& runs, LocalArtifactStore& artifacts, SlurmCommands& slurm,
                             const Clock& clock, SlurmExecutorOptions options)
    : store_(store), runs_(runs), artifacts_(artifacts), slurm_(slurm), clock_(clock), options_(std::move(options)),
      loop_(std::string(kKind), options_.cadence, [this] { return run_cycle_steps(); }) {}

SlurmExecutor::~SlurmExecutor() { stop(); }

void SlurmExecutor::start() { loop_.start(); }

// Slurm jobs go on without the server; the next start() reads the queue and takes them up.
void SlurmExecutor::stop() { loop_.stop(); }

void SlurmExecutor::wake() { loop_.wake(); }

Status SlurmExecutor::readiness() { return loop_.readiness("Slurm (" + slurm_.runner().where() + ")"); }

ExecutorActivity SlurmExecutor::activity() const {
  ExecutorActivity activity;
  activity.cycles = loop_.cycles();
  activity.backend_calls = slurm_.calls();
  return activity;
}

Result<std::string> SlurmExecutor::read_log_tail(const Job& job, int lines) {
  return last_lines_of_file(artifacts_.job_directory(job) / worker::artifact::kLog,
                            std::clamp(lines, 0, kMaxLogTailLines), kMaxLogTailBytes);
}

fs::path SlurmExecutor::output_file(const Job& job, const std::string& slurm_job_id) const {
  return artifacts_.job_directory(job) / (".slurm-" + slurm_job_id + ".out");
}

bool SlurmExecutor::update(const Job& job, const std::function<bool(Job&)>& mutate) {
  bool changed = false;
  const Result<Job> updated = store_.update_job(job.job_id, [&](Job& current) {
    if (is_terminal(current.status)) return false;
    changed = mutate(current);
    return changed;
  });
  if (!updated.ok()) loop_.record_failure(updated.error());
  return changed;
}

bool SlurmExecutor::run_cycle_steps() {
  bool changed = submit_queued_jobs();
  Result<std::vector<Job>> unfinished = store_.list_handed_over_jobs();
  if (!unfinished.ok()) {
    loop_.record_failure(unfinished.error());
    return changed;
  }
  std::erase_if(*unfinished, [](const Job& job) { return !handed_to_slurm(job); });
  if (unfinished->empty()) return changed;

  // One squeue for every job and array task, however many there are.
  Result<std::vector<SlurmJob>> queue = slurm_.queue();
  if (!queue.ok()) {
    loop_.record_failure(queue.error());
    return changed;
  }
  QueueView view;
  view.jobs = std::move(*queue);
  std::erase_if(view.jobs, [](const SlurmJob& slurm_job) { return !slurm_job.name.starts_with("live2-"); });
  for (const SlurmJob& slurm_job : view.jobs) {
    view.by_id[slurm_job.job_id] = &slurm_job;
    view.by_name[slurm_job.name].push_back(&slurm_job);
  }
  for (const Job& job : *unfinished) {
    if (job.job_type == kDatasetJobType) {
      changed = (job.executor.submit_state == SubmitState::submitting ? submit_dataset(job, &view)
                                                                      : advance_dataset(job, view)) ||
                changed;
      continue;
    }
    if (job.executor.submit_state == SubmitState::submitting) {
      changed = recover_submitting(job, view.by_name[slurm_job_name(job.job_id)]) || changed;
      continue;
    }
    const auto found = view.by_id.find(job.executor.external_id);
    const SlurmJob* slurm_job = found == view.by_id.end() ? nullptr : found->second;
    if (job.cancel_requested) send_cancel(job, slurm_job);
    changed = (slurm_job != nullptr ? apply(job, *slurm_job) : settle(job, std::nullopt)) || changed;
  }
  return changed;
}

bool SlurmExecutor::submit_queued_jobs() {
  Result<std::vector<Job>> waiting = store_.list_jobs_awaiting_executor(options_.max_submits_per_cycle);
  if (!waiting.ok()) {
    loop_.record_failure(waiting.error());
    return false;
  }
  bool changed = false;
  for (const Job& job : *waiting) {
    if (job.executor.submit_state != SubmitState::not_submitted) continue;
    const int64_t now_ms = clock_.now_ms();
    // The intent, recorded before sbatch: a crash from here on is recovered by looking the job up by name. A job
    // an interrupted run left behind (running, not submitted) is handed over again to resume its checkpoint.
    // Sized at its first claim: a job handed over again resumes its checkpoint with the same threads.
    const Result<SlurmJobSize> size = size_of(job);
    if (!size.ok()) {
      loop_.record_failure(size.error());
      continue;
    }
    Result<Job> claimed = store_.update_job(job.job_id, [&](Job& current) {
      if (is_terminal(current.status) || current.executor.submit_state != SubmitState::not_submitted) return false;
      if (current.cancel_requested) return transition(current, JobStatus::cancelled, now_ms).ok();
      current.executor.kind = std::string(kKind);
      current.executor.submit_state = SubmitState::submitting;
      if (current.executor.vcpus <= 0) {
        current.executor.vcpus = size->cpus_per_task;
        current.executor.memory_mib = static_cast<int>(size->memory_mib);
      }
      return true;
    });
    if (!claimed.ok()) {
      loop_.record_failure(claimed.error());
      continue;
    }
    if (claimed->status == JobStatus::cancelled) changed = true;
    if (claimed->executor.submit_state != SubmitState::submitting || !handed_to_slurm(*claimed)) continue;
    changed = (claimed->job_type == kDatasetJobType ? submit_dataset(*claimed, nullptr) : submit(*claimed)) || changed;
  }
  return changed;
}

Status SlurmExecutor::write_job_files(const Job& job, const fs::path& directory) const {
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) return Error::make(ErrorCode::io_error, "cannot create " + directory.string() + ": " + error.message());
  // The worker reads params.json from its --out directory when JOB_PARAMS is not set: no size limit, no quoting.
  Status params = write_batch_file(directory / worker::artifact::kParams, job.params_json);
  if (!params.ok()) return params;
  SlurmBatchScript script = batch_script(job, "live2 job " + job.job_id);
  script.exec_line = shell_quoted(options_.worker_binary) + " run --out " + shell_quoted(directory.string()) +
                     " --threads " + std::to_string(cpus_of(job));
  return write_batch_file(directory / kBatchScript, render_batch_script(script));
}

SlurmBatchScript SlurmExecutor::batch_script(const Job& job, const std::string& title) const {
  SlurmBatchScript script;
  script.title = title + ", written by live2's Slurm executor (docs/slurm.md).";
  script.exports = {{worker::env::kJobId, job.job_id}, {worker::env::kUserId, job.user_id}, {worker::env::kEnv, options_.env}};
  if (job.output_budget_bytes > 0) {
    script.exports.emplace_back(worker::env::kOutputBudgetBytes, std::to_string(job.output_budget_bytes));
  }
  return script;
}

SbatchRequest SlurmExecutor::sbatch_request(const Job& job, const std::string& name, const fs::path& script,
                                            const fs::path& output) const {
  SbatchRequest request;
  request.job_name = name;
  request.script_path = script.string();
  request.working_directory = artifacts_.job_directory(job).string();
  request.output_path = output.string();
  request.partition = options_.partition;
  request.account = options_.account;
  request.qos = options_.qos;
  request.time_limit_minutes = options_.time_limit_minutes;
  request.cpus_per_task = cpus_of(job);
  request.memory_mib = job.executor.memory_mib;
  request.signal_grace_s = options_.signal_grace_s;
  return request;
}

bool SlurmExecutor::submit(const Job& job) {
  const fs::path directory = artifacts_.job_directory(job);
  const int64_t now_ms = clock_.now_ms();
  const auto release = [&](const std::optional<std::string>& refusal) {
    return update(job, [&](Job& current) {
      current.executor.submit_state = SubmitState::not_submitted;
      if (refusal) {
        current.error = *refusal;
        current.executor.status_reason = *refusal;
        (void)transition(current, JobStatus::failed, now_ms);
      }
      return true;
    });
  };
  const Status written = write_job_files(job, directory);
  if (!written.ok()) {
    loop_.record_failure(written.error());
    release(std::nullopt);
    return false;
  }
  const SbatchRequest request =
      sbatch_request(job, slurm_job_name(job.job_id), directory / kBatchScript, directory / ".slurm-%j.out");
  Result<std::string> submitted = slurm_.submit(request);
  if (submitted.ok()) {
    spdlog::info("slurm: job {} submitted as Slurm job {}", job.job_id, *submitted);
    update(job, [&](Job& current) {
      current.executor.submit_state = SubmitState::submitted;
      current.executor.external_id = *submitted;
      set_external_status(current, "PENDING", now_ms);
      current.executor.log_stream = output_file(job, *submitted).string();
      return true;
    });
    return true;
  }
  const Error& error = submitted.error();
  loop_.record_failure(error);
  // sbatch ran out of time: the controller may have the job. It stays `submitting`; the next cycle looks it up.
  if (error.code == ErrorCode::timeout) return true;
  if (sbatch_refused(error)) return release("Slurm refused the job: " + error.message);
  release(std::nullopt);
  return false;
}

bool SlurmExecutor::recover_submitting(const Job& job, const std::vector<const SlurmJob*>& named) {
  const int64_t now_ms = clock_.now_ms();
  if (!named.empty()) {
    const SlurmJob* newest = *std::max_element(named.begin(), named.end(), [](const SlurmJob* a, const SlurmJob* b) {
      return slurm_id_number(a->job_id) < slurm_id_number(b->job_id);
    });
    spdlog::info("slurm: job {} was already submitted as Slurm job {}; adopted it", job.job_id, newest->job_id);
    return update(job, [&](Job& current) {
      if (current.executor.submit_state != SubmitState::submitting) return false;
      current.executor.submit_state = SubmitState::submitted;
      current.executor.external_id = newest->job_id;
      current.executor.log_stream = output_file(job, newest->job_id).string();
      set_external_status(current, newest->state, now_ms);
      return true;
    });
  }
  // Not in the queue: it is not running. A run that finished (and left the queue) says so in metadata.json;
  // otherwise the job is handed over again and resumes from whatever checkpoint it has.
  std::error_code error;
  const bool finished = fs::exists(artifacts_.job_directory(job) / worker::artifact::kMetadata, error);
  return update(job, [&](Job& current) {
    if (current.executor.submit_state != SubmitState::submitting) return false;
    if (finished) {
      current.executor.submit_state = SubmitState::submitted;
      current.executor.status_reason = "its Slurm job had left the queue; its metadata.json says it completed";
      return transition(current, JobStatus::completed, now_ms).ok();
    }
    current.executor.submit_state = SubmitState::not_submitted;
    if (current.cancel_requested) (void)transition(current, JobStatus::cancelled, now_ms);
    return true;
  });
}

void SlurmExecutor::send_cancel(const Job& job, const SlurmJob* slurm_job) {
  if (slurm_job == nullptr || slurm_state_is_final(slurm_job->state)) return;
  const int64_t now_ms = clock_.now_ms();
  Status sent = Status::success();
  if (!slurm_job_is_under_way(slurm_job->state)) {
    sent = slurm_.cancel(slurm_job->job_id);  // never started: nothing to stop gracefully
  } else if (const auto terminated = terminate_sent_ms_.find(job.job_id); terminated == terminate_sent_ms_.end()) {
    sent = slurm_.signal(slurm_job->job_id, "TERM");
    if (sent.ok()) terminate_sent_ms_[job.job_id] = now_ms;
  } else if (now_ms - terminated->second >= options_.cancel_grace_ms) {
    sent = slurm_.signal(slurm_job->job_id, "KILL");
  }
  if (!sent.ok()) loop_.record_failure(sent.error());
}

bool SlurmExecutor::apply(const Job& job, const SlurmJob& slurm_job) {
  if (slurm_state_is_final(slurm_job.state)) return settle(job, slurm_job);
  const int64_t now_ms = clock_.now_ms();
  const bool under_way = slurm_job_is_under_way(slurm_job.state);
  std::optional<WorkerProgress> progress;
  if (under_way) {
    Result<std::string> text = artifacts_.read(job, worker::artifact::kProgress);
    if (text.ok()) progress = parse_worker_progress(*text);
  }
  std::optional<std::string> reason;
  if (!under_way && slurm_job.reason != "None" && !slurm_job.reason.empty()) {
    reason = slurm_job.restart_count > 0
                 ? "requeued by Slurm (" + std::to_string(slurm_job.restart_count) +
                       " times); waiting to resume from its checkpoint: " + slurm_job.reason
                 : "waiting in Slurm's queue: " + slurm_job.reason;
  }
  return update(job, [&](Job& current) {
    bool touched = false;
    if (current.executor.external_status != slurm_job.state) {
      set_external_status(current, slurm_job.state, now_ms);
      touched = true;
    }
    touched = assign_if_different(current.executor.status_reason, reason) || touched;
    touched = assign_if_different(current.executor.attempts, slurm_job.restart_count + (under_way ? 1 : 0)) || touched;
    if (under_way) {
      const bool starts = current.status != JobStatus::running && transition(current, JobStatus::running, now_ms).ok();
      touched = starts || touched;
      // Slurm's start time, not the moment a cycle noticed it; the earliest one across requeues.
      if (slurm_job.start_time_s) {
        const int64_t started_ms = *slurm_job.start_time_s * 1000;
        if (starts || !current.started_at_ms || started_ms < *current.started_at_ms) {
          current.started_at_ms = started_ms;
          touched = true;
        }
      }
    }
    if (progress) {
      const double before = current.progress;
      raise_progress(current, progress->percent);
      touched = touched || current.progress != before || current.eta_seconds != progress->eta_seconds;
      current.eta_seconds = progress->eta_seconds;
    }
    return touched;
  });
}

bool SlurmExecutor::requeue(const Job& job, const SlurmJob& slurm_job) {
  if (slurm_job.restart_count >= options_.max_requeues) {
    const std::string reason = "interrupted " + std::to_string(slurm_job.restart_count + 1) +
                               " times (Slurm state " + slurm_job.state + "); live2 requeues a job at most " +
                               std::to_string(options_.max_requeues) + " times";
    const int64_t now_ms = clock_.now_ms();
    return update(job, [&](Job& current) {
      current.error = reason;
      current.executor.status_reason = reason;
      set_external_status(current, slurm_job.state, now_ms);
      return transition(current, JobStatus::failed, now_ms).ok();
    });
  }
  const Status requeued = slurm_.requeue(slurm_job.job_id);
  if (!requeued.ok()) {
    loop_.record_failure(requeued.error());
    return false;
  }
  spdlog::info("slurm: job {} (Slurm job {}) was interrupted ({}); requeued to resume from its checkpoint",
               job.job_id, slurm_job.job_id, slurm_job.state);
  return true;
}

FinishedWorker SlurmExecutor::finished_worker(const fs::path& output, const std::optional<SlurmJob>& slurm_job,
                                              bool cancel_requested, bool metadata_written) const {
  FinishedWorker finished;
  finished.exit = slurm_job ? slurm_job->exit : std::nullopt;
  finished.cancel_requested = cancel_requested;
  finished.metadata_written = metadata_written;
  if (Result<std::string> head = first_lines_of_file(output, kStderrExcerptLines, kStderrExcerptBytes); head.ok()) {
    finished.stderr_head = std::move(*head);
  }
  if (Result<std::string> tail = last_lines_of_file(output, kStderrExcerptLines, kStderrExcerptBytes); tail.ok()) {
    finished.stderr_tail = std::move(*tail);
  }
  return finished;
}

// A clean exit (or a departure from the queue) whose metadata.json is not visible yet: the shared filesystem may
// still be catching up, for outcome_settle_ms.
bool SlurmExecutor::still_settling(const std::string& key, const FinishedWorker& finished, bool left_queue) {
  if (!finished.metadata_written && !finished.cancel_requested &&
      (left_queue || (finished.exit && finished.exit->exit_code == 0))) {
    const int64_t now_ms = clock_.now_ms();
    const int64_t since_ms = ended_unsettled_ms_.try_emplace(key, now_ms).first->second;
    if (now_ms - since_ms < options_.outcome_settle_ms) return true;
  }
  ended_unsettled_ms_.erase(key);
  return false;
}

// The worker's own files decide: metadata.json (written last, only by a run that completed), the reason line it
// printed last on stderr (in Slurm's output file) and the exit status squeue still reports for a job that ended
// less than MinJobAge ago. `slurm_job` is nullopt when the job has left the queue.
bool SlurmExecutor::settle(const Job& job, const std::optional<SlurmJob>& slurm_job) {
  const int64_t now_ms = clock_.now_ms();
  const Result<std::string> metadata = artifacts_.read(job, worker::artifact::kMetadata);
  const bool metadata_written = metadata.ok() || metadata.error().code == ErrorCode::payload_too_large;
  if (!metadata_written && metadata.error().code != ErrorCode::not_found) {
    loop_.record_failure(metadata.error());
    return false;
  }
  const FinishedWorker finished = finished_worker(output_file(job, job.executor.external_id), slurm_job,
                                                  job.cancel_requested, metadata_written);
  WorkerVerdict verdict = judge_finished_worker(finished);
  const std::string state = slurm_job ? slurm_job->state : std::string("GONE");
  if (still_settling(job.job_id, finished, !slurm_job)) return false;
  terminate_sent_ms_.erase(job.job_id);

  if (slurm_job && verdict.outcome != JobOutcome::completed && !job.cancel_requested) {
    if (slurm_job->state == "CANCELLED") {
      verdict = {JobOutcome::failed, "its Slurm job " + slurm_job->job_id + " was cancelled outside live2 (scancel)"};
    } else if (verdict.outcome == JobOutcome::requeued || slurm_interrupted_it(slurm_job->state)) {
      return requeue(job, *slurm_job);
    }
  }
  if (!slurm_job && verdict.outcome == JobOutcome::requeued) {
    // It left the queue while live2 was not looking (longer than MinJobAge), without metadata.json. A reason line
    // is the worker's verdict; without one it was stopped from outside and is handed over again to resume from
    // its checkpoint (it is not in the queue, so it is not running), at most max_requeues times.
    if (std::optional<std::string> reason = worker_reason(finished.stderr_tail)) {
      verdict = {JobOutcome::failed, *reason};
    } else if (job.executor.attempts < options_.max_requeues) {
      spdlog::info("slurm: job {} left the queue unfinished (Slurm job {}); submitting it again", job.job_id,
                   job.executor.external_id);
      return update(job, [&](Job& current) {
        current.executor.submit_state = SubmitState::not_submitted;
        current.executor.external_id.clear();
        ++current.executor.attempts;
        set_external_status(current, "GONE", now_ms);
        return true;
      });
    } else {
      verdict = {JobOutcome::failed, "its Slurm job " + job.executor.external_id +
                                         " left the queue unfinished, and its worker wrote no metadata.json and no "
                                         "reason: the outcome is lost"};
    }
  }
  return update(job, [&](Job& current) {
    current.executor.exit_code = finished.exit ? finished.exit->exit_code : std::nullopt;
    // A run a cycle never saw under way (it started and ended between two cycles) still counts.
    if (slurm_job && slurm_job->start_time_s) {
      current.executor.attempts = std::max(current.executor.attempts, slurm_job->restart_count + 1);
    }
    set_external_status(current, state, now_ms);
    JobStatus status = JobStatus::failed;
    switch (verdict.outcome) {
      case JobOutcome::completed: status = JobStatus::completed; break;
      case JobOutcome::cancelled: status = JobStatus::cancelled; break;
      case JobOutcome::failed:
      case JobOutcome::requeued:
        current.error = verdict.error;
        current.executor.status_reason = verdict.error;
        break;
    }
    const bool moved = transition(current, status, now_ms).ok();
    if (moved && slurm_job && slurm_job->end_time_s) current.completed_at_ms = *slurm_job->end_time_s * 1000;
    return moved;
  });
}

}  // namespace live2
