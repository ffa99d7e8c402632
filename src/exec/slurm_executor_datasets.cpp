// SlurmExecutor's dataset half (slurm_executor.h, docs/slurm.md "Datasets"). A generate_dataset job runs as job
// arrays `live2-<job id>-runs<offset>`, one task per run (run index = offset + SLURM_ARRAY_TASK_ID, the worker's
// RUN_INDEX), each array at most the cluster's MaxArraySize tasks and the tier's running runs at once (`%K`), and a
// combine job `live2-<job id>-combine`, submitted held with `--dependency=afterany:<arrays>`. The dataset's
// external_id lists its arrays' Slurm ids in order, recorded one by one as they are submitted, so a crash between
// two sbatch calls resumes at the next array, looked up by name first. Every cycle reads the same one squeue: a
// task under way makes its run running, a task that ended (or left the queue) is settled from the run's own files
// (runs/<i>/metadata.json, the reason line in `.slurm-<array>_<task>.out`), an interrupted one is requeued. Once no
// run is queued or running the combine job is released (after dataset_runs.json is written), and the dataset ends by
// dataset_outcome (core/run.h) once the combine job wrote the dataset root's metadata.json, or failed.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <boost/json.hpp>

#include "core/run.h"
#include "core/run_json.h"
#include "core/dataset_plan.h"
#include "core/status_machine.h"
#include "exec/command_runners.h"
#include "exec/slurm_executor.h"
#include "exec/worker_progress.h"
#include "worker/worker_contract.h"

namespace live2 {
namespace fs = std::filesystem;
namespace {

constexpr const char* kCombineScript = ".live2-slurm-combine.sh";
constexpr const char* kCombineOutput = ".slurm-combine.out";
constexpr int kRunPage = 1000;

std::string_view external_status_of(JobStatus outcome) {
  switch (outcome) {
    case JobStatus::completed: return "COMPLETED";
    case JobStatus::cancelled: return "CANCELLED";
    case JobStatus::failed:
    case JobStatus::queued:
    case JobStatus::running: break;
  }
  return "FAILED";
}

std::string arrays_prefix(const std::string& job_id) { return "live2-" + job_id + "-runs"; }
std::string array_name(const std::string& job_id, int64_t offset) {
  return arrays_prefix(job_id) + std::to_string(offset);
}
std::string combine_name(const std::string& job_id) { return "live2-" + job_id + "-combine"; }

// The dataset's external_id: its arrays' Slurm ids in order, "" for an array that needed no submission.
std::vector<std::string> array_ids_of(const std::string& external_id) {
  std::vector<std::string> ids;
  if (external_id.empty()) return ids;
  size_t start = 0;
  while (true) {
    const size_t comma = external_id.find(',', start);
    ids.push_back(external_id.substr(start, comma - start));
    if (comma == std::string::npos) return ids;
    start = comma + 1;
  }
}

std::string joined(const std::vector<std::string>& words, char separator) {
  std::string text;
  for (const std::string& word : words) {
    if (!text.empty() || &word != &words.front()) text += separator;
    text += word;
  }
  return text;
}

bool is_held(const SlurmJob& job) { return job.state == "PENDING" && job.reason.starts_with("JobHeld"); }

// The newest of the jobs with this name (a resubmission has the higher id).
const SlurmJob* newest(const std::vector<const SlurmJob*>* named) {
  if (named == nullptr || named->empty()) return nullptr;
  return *std::max_element(named->begin(), named->end(), [](const SlurmJob* a, const SlurmJob* b) {
    return std::strtoll(a->job_id.c_str(), nullptr, 10) < std::strtoll(b->job_id.c_str(), nullptr, 10);
  });
}

// Task ids as an --array list ("0-3,7"): consecutive ones joined into ranges.
std::string task_list(const std::vector<int64_t>& tasks) {
  std::string text;
  for (size_t i = 0; i < tasks.size();) {
    size_t last = i;
    while (last + 1 < tasks.size() && tasks[last + 1] == tasks[last] + 1) ++last;
    if (!text.empty()) text += ',';
    text += std::to_string(tasks[i]);
    if (last > i) {
      text += '-';
      text += std::to_string(tasks[last]);
    }
    i = last + 1;
  }
  return text;
}

}  // namespace

Result<SlurmJobSize> SlurmExecutor::size_of(const Job& job) {
  if (job.job_type != kDatasetJobType) return size_slurm_job(job, options_.sizing);
  // One array's tasks share a size: the largest any run needs (a sweep may change num_particles or steps).
  SlurmJobSize largest{1, 0};
  Job run_job = job;
  for (int64_t from = 0;;) {
    Result<std::vector<Run>> page = runs_.list_runs(job.job_id, from, kRunPage);
    if (!page.ok()) return page.error();
    for (const Run& run : *page) {
      run_job.params_json = run.params_json;
      const SlurmJobSize size = size_slurm_job(run_job, options_.sizing);
      largest.cpus_per_task = std::max(largest.cpus_per_task, size.cpus_per_task);
      largest.memory_mib = std::max(largest.memory_mib, size.memory_mib);
    }
    if (static_cast<int>(page->size()) < kRunPage) break;
    from = page->back().index + 1;
  }
  if (largest.memory_mib == 0) largest = size_slurm_job(job, options_.sizing);
  return largest;
}

int64_t SlurmExecutor::array_throttle(const Job& dataset) const {
  const Tier tier = dataset.tier.value_or(Tier::hobby);
  const auto limit = options_.running_runs_by_tier.find(tier);
  return std::max<int64_t>(1, limit == options_.running_runs_by_tier.end() ? default_limits(tier).running_runs
                                                                            : limit->second);
}

Result<int64_t> SlurmExecutor::max_array_size() {
  if (!max_array_size_) {
    Result<int64_t> size = slurm_.max_array_size();
    if (!size.ok()) return size.error();
    max_array_size_ = *size;
  }
  return *max_array_size_;
}

Result<std::string> SlurmExecutor::submit_array(const Job& dataset, int64_t offset, const std::string& tasks,
                                                int64_t throttle) {
  const fs::path directory = artifacts_.job_directory(dataset);
  const fs::path script_path = directory / (".live2-slurm-runs" + std::to_string(offset) + ".sh");
  SlurmBatchScript script = batch_script(dataset, "live2 dataset " + dataset.job_id + ", runs from " +
                                                      std::to_string(offset) + " on");
  // The worker runs run RUN_INDEX of the dataset whose params are params.json, under runs/<RUN_INDEX>/.
  script.shell_lines = {"export " + std::string(worker::env::kRunIndex) + "=$((SLURM_ARRAY_TASK_ID + " +
                        std::to_string(offset) + "))"};
  script.exec_line = shell_quoted(options_.worker_binary) + " run --out " + shell_quoted(directory.string()) +
                     " --threads " + std::to_string(cpus_of(dataset));
  if (Status written = write_batch_file(script_path, render_batch_script(script)); !written.ok()) {
    return written.error();
  }
  SbatchRequest request = sbatch_request(dataset, array_name(dataset.job_id, offset), script_path,
                                         directory / ".slurm-%A_%a.out");
  request.array = tasks + "%" + std::to_string(throttle);
  return slurm_.submit(request);
}

Result<std::string> SlurmExecutor::submit_combine(const Job& dataset, const std::vector<std::string>& array_ids) {
  const fs::path directory = artifacts_.job_directory(dataset);
  SlurmBatchScript script = batch_script(dataset, "live2 dataset " + dataset.job_id + ", its combine step");
  script.exec_line = shell_quoted(options_.worker_binary) + " combine --out " + shell_quoted(directory.string()) +
                     " --params " + shell_quoted((directory / worker::artifact::kParams).string());
  if (Status written = write_batch_file(directory / kCombineScript, render_batch_script(script)); !written.ok()) {
    return written.error();
  }
  SbatchRequest request =
      sbatch_request(dataset, combine_name(dataset.job_id), directory / kCombineScript, directory / kCombineOutput);
  request.cpus_per_task = 1;
  std::vector<std::string> submitted;
  std::copy_if(array_ids.begin(), array_ids.end(), std::back_inserter(submitted),
               [](const std::string& id) { return !id.empty(); });
  if (!submitted.empty()) request.dependency = "afterany:" + joined(submitted, ':');
  // Held until every run is settled: an interrupted task ends (exit 75) before live2 requeues it, which would
  // satisfy afterany too early.
  request.hold = true;
  return slurm_.submit(request);
}

bool SlurmExecutor::submit_dataset(const Job& dataset, const QueueView* queue) {
  const fs::path directory = artifacts_.job_directory(dataset);
  std::vector<std::string> ids = array_ids_of(dataset.executor.external_id);
  const auto give_back = [&](const std::optional<std::string>& refusal) {
    // Nothing of it is in Slurm yet: back to the queue, or failed when Slurm refuses it for good.
    for (const std::string& id : ids) {
      if (!id.empty()) cancel_slurm_job(id);
    }
    return update(dataset, [&](Job& current) {
      current.executor.submit_state = SubmitState::not_submitted;
      current.executor.external_id.clear();
      if (!refusal) return true;
      current.error = *refusal;
      current.executor.status_reason = *refusal;
      return transition(current, JobStatus::failed, clock_.now_ms()).ok();
    });
  };
  // What a failed sbatch means: a timeout may have submitted it (the next cycle looks it up by name), a refusal fails
  // the dataset, anything else is tried again (from scratch when nothing was submitted yet).
  const auto failed_sbatch = [&](const Error& error) {
    loop_.record_failure(error);
    if (error.code == ErrorCode::timeout) return true;
    if (sbatch_refused(error)) return give_back("Slurm refused the dataset: " + error.message);
    return ids.empty() ? give_back(std::nullopt) : false;
  };
  const Result<int64_t> chunk = max_array_size();
  if (!chunk.ok()) return failed_sbatch(chunk.error());
  if (ids.empty()) {
    std::error_code error;
    fs::create_directories(directory, error);
    const Status params = write_batch_file(directory / worker::artifact::kParams, dataset.params_json);
    if (!params.ok()) return failed_sbatch(params.error());
  }
  const int64_t total = dataset.runs.total;
  for (int64_t offset = static_cast<int64_t>(ids.size()) * *chunk; offset < total; offset += *chunk) {
    const int64_t size = std::min(*chunk, total - offset);
    std::string id;
    std::string tasks = "0-" + std::to_string(size - 1);
    if (queue != nullptr) {
      // Taken up after a crash or a lost answer: the array may be in the queue already, or may even have run and
      // left it; only the tasks whose runs have not finished are submitted.
      const auto named = queue->by_name.find(array_name(dataset.job_id, offset));
      if (const SlurmJob* found = newest(named == queue->by_name.end() ? nullptr : &named->second)) {
        id = std::to_string(found->array_job_id != 0 ? found->array_job_id : std::strtoll(found->job_id.c_str(), nullptr, 10));
      }
      std::vector<int64_t> unfinished;
      for (int64_t task = 0; id.empty() && task < size; ++task) {
        std::error_code error;
        const fs::path metadata = directory / run_artifact_prefix(offset + task) / worker::artifact::kMetadata;
        if (!fs::exists(metadata, error)) unfinished.push_back(task);
      }
      tasks = task_list(unfinished);
    }
    if (id.empty() && !tasks.empty()) {
      Result<std::string> submitted = submit_array(dataset, offset, tasks, array_throttle(dataset));
      if (!submitted.ok()) return failed_sbatch(submitted.error());
      id = *submitted;
      spdlog::info("slurm: dataset {} runs {}-{} submitted as Slurm array {}", dataset.job_id, offset,
                   offset + size - 1, id);
    }
    ids.push_back(id);
    update(dataset, [&](Job& current) {
      current.executor.external_id = joined(ids, ',');
      return true;
    });
  }
  std::string combine_id;
  if (queue != nullptr) {
    const auto named = queue->by_name.find(combine_name(dataset.job_id));
    if (const SlurmJob* found = newest(named == queue->by_name.end() ? nullptr : &named->second)) {
      combine_id = found->job_id;
    }
  }
  if (combine_id.empty()) {
    Result<std::string> submitted = submit_combine(dataset, ids);
    if (!submitted.ok()) return failed_sbatch(submitted.error());
    combine_id = *submitted;
  }
  spdlog::info("slurm: dataset {} ({} runs) handed over: arrays {}, combine job {}", dataset.job_id, total,
               joined(ids, ','), combine_id);
  const int64_t now_ms = clock_.now_ms();
  return update(dataset, [&](Job& current) {
    if (current.executor.submit_state != SubmitState::submitting) return false;
    current.executor.submit_state = SubmitState::submitted;
    current.executor.external_id = joined(ids, ',');
    current.executor.log_stream = (directory / kCombineOutput).string();
    set_external_status(current, "PENDING", now_ms);
    return true;
  });
}

void SlurmExecutor::cancel_slurm_job(const std::string& slurm_job_id) {
  if (!cancel_sent_.insert(slurm_job_id).second) return;
  if (Status sent = slurm_.cancel(slurm_job_id); !sent.ok()) {
    cancel_sent_.erase(slurm_job_id);
    loop_.record_failure(sent.error());
  }
}

bool SlurmExecutor::advance_dataset(const Job& dataset, const QueueView& queue) {
  const int64_t total = dataset.runs.total;
  std::set<int64_t>& settled = settled_runs_[dataset.job_id];
  // The table's running runs, to notice the ones whose task left the queue.
  std::map<int64_t, Run> running;
  if (dataset.runs.running > 0) {
    Result<std::vector<Run>> listed =
        runs_.list_runs_with_status(dataset.job_id, JobStatus::running, static_cast<int>(kMaxDatasetRuns));
    if (!listed.ok()) {
      loop_.record_failure(listed.error());
      return false;
    }
    for (Run& run : *listed) running.emplace(run.index, std::move(run));
  }

  bool changed = false;
  bool under_way = false;
  std::optional<int64_t> first_start_s;
  std::set<int64_t> in_queue;                        // runs whose task is still in the queue
  int64_t waiting = 0;                               // of those, the ones that have not started
  std::set<std::string> live_arrays;                 // arrays with a task not yet ended
  const std::string prefix = arrays_prefix(dataset.job_id);
  for (auto named = queue.by_name.lower_bound(prefix); named != queue.by_name.end() && named->first.starts_with(prefix);
       ++named) {
    const std::string offset_text = named->first.substr(prefix.size());
    if (offset_text.empty() || offset_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const int64_t offset = std::stoll(offset_text);
    for (const SlurmJob* task : named->second) {
      const std::string array_id = std::to_string(task->array_job_id);
      const bool ended = slurm_state_is_final(task->state);
      if (!ended) live_arrays.insert(array_id);
      if (!task->array_task_id) {
        // The array's tasks not yet started, as one record (or all of them, ended, when it was cancelled).
        for (const auto& [first, last] : array_task_ranges(task->array_task_string)) {
          for (int64_t index = offset + first; index <= std::min(offset + last, total - 1); ++index) {
            if (ended) {
              if (!settled.contains(index)) changed = settle_run(dataset, index, *task, "") || changed;
            } else {
              in_queue.insert(index);
              ++waiting;
            }
          }
        }
        continue;
      }
      const int64_t index = offset + *task->array_task_id;
      if (index >= total || settled.contains(index)) continue;
      in_queue.insert(index);
      if (ended) {
        changed = settle_run(dataset, index, *task, task->job_id) || changed;
        continue;
      }
      if (!slurm_job_is_under_way(task->state)) {
        ++waiting;
        continue;
      }
      under_way = true;
      if (task->start_time_s) first_start_s = std::min(first_start_s.value_or(*task->start_time_s), *task->start_time_s);
      const auto found = running.find(index);
      changed = track_run_task(dataset, index, *task, found == running.end() ? nullptr : &found->second) || changed;
    }
  }

  if (dataset.cancel_requested) {
    for (const std::string& array_id : live_arrays) cancel_slurm_job(array_id);
    if (dataset.runs.queued > 0) {
      Result<int64_t> cancelled = runs_.cancel_queued_runs(dataset.job_id);
      if (!cancelled.ok()) loop_.record_failure(cancelled.error());
      changed = (cancelled.ok() && *cancelled > 0) || changed;
    }
  }
  // A run the table has running whose task is no longer in the queue ended while no cycle looked.
  for (const auto& [index, run] : running) {
    if (!in_queue.contains(index) && !settled.contains(index)) {
      changed = settle_run(dataset, index, std::nullopt, run.external_id) || changed;
    }
  }

  Result<std::optional<Job>> fresh = store_.get_job(dataset.job_id);
  if (!fresh.ok() || !fresh->has_value()) {
    if (!fresh.ok()) loop_.record_failure(fresh.error());
    return changed;
  }
  Job current = **fresh;
  // More runs queued in the table than tasks waiting in Slurm: some started and ended between two looks (or the
  // array needed no submission after a crash). Their files say how they ended.
  if (current.runs.queued > waiting && !current.cancel_requested) {
    Result<std::vector<Run>> queued =
        runs_.list_runs_with_status(dataset.job_id, JobStatus::queued, static_cast<int>(kMaxDatasetRuns));
    if (!queued.ok()) {
      loop_.record_failure(queued.error());
      return changed;
    }
    for (const Run& run : *queued) {
      if (!in_queue.contains(run.index)) changed = settle_run(dataset, run.index, std::nullopt, "") || changed;
    }
  }

  const int64_t now_ms = clock_.now_ms();
  if (under_way || changed) {
    fresh = store_.get_job(dataset.job_id);
    if (fresh.ok() && fresh->has_value()) current = **fresh;
  }
  if (under_way && current.status == JobStatus::queued) {
    changed = update(current, [&](Job& job) {
      if (job.status != JobStatus::queued || !transition(job, JobStatus::running, now_ms).ok()) return false;
      if (first_start_s) job.started_at_ms = *first_start_s * 1000;
      set_external_status(job, "RUNNING", now_ms);
      return true;
    }) || changed;
  }
  // The ETA is the rate so far carried forward: recomputed when the progress moves.
  if (current.started_at_ms && eta_progress_[dataset.job_id] != current.progress) {
    eta_progress_[dataset.job_id] = current.progress;
    if (const std::optional<double> eta = dataset_eta_s(current.progress, *current.started_at_ms, now_ms)) {
      update(current, [&](Job& job) {
        job.eta_seconds = std::round(*eta);
        return true;
      });
    }
  }
  if (current.runs.queued > 0 || current.runs.running > 0) return changed;

  std::optional<SlurmJob> combine;
  const auto named = queue.by_name.find(combine_name(dataset.job_id));
  if (const SlurmJob* found = newest(named == queue.by_name.end() ? nullptr : &named->second)) combine = *found;
  return finish_dataset(current, combine) || changed;
}

bool SlurmExecutor::track_run_task(const Job& dataset, int64_t index, const SlurmJob& task, const Run* running) {
  const int64_t now_ms = clock_.now_ms();
  std::optional<double> percent;
  if (Result<std::string> text = artifacts_.read(dataset, run_artifact_prefix(index) + worker::artifact::kProgress);
      text.ok()) {
    if (const std::optional<WorkerProgress> progress = parse_worker_progress(*text)) {
      percent = std::min(progress->percent, 100.0);
    }
  }
  const int attempts = task.restart_count + 1;
  if (running != nullptr && running->external_id == task.job_id && running->attempts == attempts &&
      (!percent || *percent <= running->progress)) {
    return false;  // nothing new: no write
  }
  Result<Run> updated = runs_.update_run(dataset.job_id, index, [&](Run& run) {
    if (is_terminal(run.status)) return false;
    run.status = JobStatus::running;
    run.external_id = task.job_id;
    run.attempts = std::max(run.attempts, attempts);
    if (!run.started_at_ms) run.started_at_ms = task.start_time_s ? *task.start_time_s * 1000 : now_ms;
    if (percent && *percent > run.progress) run.progress = *percent;
    return true;
  });
  if (!updated.ok() && updated.error().code != ErrorCode::conflict) loop_.record_failure(updated.error());
  return updated.ok();
}

bool SlurmExecutor::settle_run(const Job& dataset, int64_t index, const std::optional<SlurmJob>& task,
                               const std::string& task_id) {
  const std::string key = run_key(dataset.job_id, index);
  const fs::path directory = artifacts_.job_directory(dataset);
  std::error_code error;
  const bool metadata_written =
      fs::exists(directory / run_artifact_prefix(index) / worker::artifact::kMetadata, error);
  const fs::path output = directory / (".slurm-" + (task_id.empty() ? std::string("none") : task_id) + ".out");
  const FinishedWorker finished = finished_worker(output, task, dataset.cancel_requested, metadata_written);
  if (still_settling(key, finished, !task)) return false;
  WorkerVerdict verdict = judge_finished_worker(finished);
  if (task && verdict.outcome != JobOutcome::completed && !dataset.cancel_requested) {
    if (task->state == "CANCELLED") {
      verdict = {JobOutcome::failed, "its Slurm array task " + (task_id.empty() ? task->job_id : task_id) +
                                         " was cancelled outside live2 (scancel)"};
    } else if (verdict.outcome == JobOutcome::requeued || slurm_interrupted_it(task->state)) {
      if (!task_id.empty() && task->restart_count < options_.max_requeues) {
        const Status requeued = slurm_.requeue(task_id);
        if (!requeued.ok()) loop_.record_failure(requeued.error());
        else spdlog::info("slurm: run {} (Slurm task {}) was interrupted ({}); requeued to resume from its checkpoint",
                          key, task_id, task->state);
        return requeued.ok();
      }
      verdict = {JobOutcome::failed, "interrupted " + std::to_string(task->restart_count + 1) + " times (Slurm state " +
                                         task->state + "); live2 requeues a run at most " +
                                         std::to_string(options_.max_requeues) + " times"};
    }
  }
  if (verdict.outcome == JobOutcome::requeued) {
    // It left the queue while no cycle looked, without metadata.json: the worker's reason line, if any, says why.
    verdict = {JobOutcome::failed,
               worker_reason(finished.stderr_tail)
                   .value_or("its Slurm array task left the queue unfinished, and its worker wrote no metadata.json "
                             "and no reason: the outcome is lost")};
  }
  const int64_t now_ms = clock_.now_ms();
  bool moved = false;
  Result<Run> updated = runs_.update_run(dataset.job_id, index, [&](Run& run) {
    if (is_terminal(run.status)) return false;
    moved = true;
    if (!task_id.empty()) run.external_id = task_id;
    run.exit_code = finished.exit ? finished.exit->exit_code : std::nullopt;
    if (task && task->start_time_s) {
      run.attempts = std::max(run.attempts, task->restart_count + 1);
      if (!run.started_at_ms) run.started_at_ms = *task->start_time_s * 1000;
    }
    switch (verdict.outcome) {
      case JobOutcome::completed:
        run.status = JobStatus::completed;
        run.progress = 100;
        break;
      case JobOutcome::cancelled: run.status = JobStatus::cancelled; break;
      case JobOutcome::failed:
      case JobOutcome::requeued:
        run.status = JobStatus::failed;
        run.error = verdict.error;
        break;
    }
    run.completed_at_ms = task && task->end_time_s ? *task->end_time_s * 1000 : now_ms;
    return true;
  });
  if (!updated.ok() && updated.error().code != ErrorCode::conflict && updated.error().code != ErrorCode::not_found) {
    loop_.record_failure(updated.error());
    return false;
  }
  settled_runs_[dataset.job_id].insert(index);
  if (updated.ok() && moved) {
    spdlog::info("slurm: run {} is {}{}", key, to_string(updated->status),
                 updated->error ? " (" + *updated->error + ")" : std::string());
  }
  return moved && updated.ok();
}

bool SlurmExecutor::finish_dataset(const Job& dataset, const std::optional<SlurmJob>& combine) {
  const std::optional<JobStatus> outcome = dataset_outcome(dataset.runs, dataset.cancel_requested);
  if (!outcome) return false;
  if (*outcome != JobStatus::completed) {  // cancelled, or no run completed: nothing to combine
    if (combine && !slurm_state_is_final(combine->state)) cancel_slurm_job(combine->job_id);
    return end_dataset(dataset, *outcome, std::nullopt);
  }
  const fs::path directory = artifacts_.job_directory(dataset);
  const int64_t now_ms = clock_.now_ms();
  if (combine && is_held(*combine)) {
    // Every run is settled: tell combine how each ended, then let it start.
    std::vector<Run> all;
    for (int64_t from = 0;;) {
      Result<std::vector<Run>> page = runs_.list_runs(dataset.job_id, from, kRunPage);
      if (!page.ok()) {
        loop_.record_failure(page.error());
        return false;
      }
      all.insert(all.end(), page->begin(), page->end());
      if (static_cast<int>(page->size()) < kRunPage) break;
      from = page->back().index + 1;
    }
    const Status written = write_batch_file(directory / worker::artifact::kDatasetRuns,
                                            boost::json::serialize(dataset_runs_json(all)));
    const Status released = written.ok() ? slurm_.release(combine->job_id) : written;
    if (!released.ok()) {
      loop_.record_failure(released.error());
      return false;
    }
    spdlog::info("slurm: dataset {}: every run settled; combine job {} released", dataset.job_id, combine->job_id);
    return update(dataset, [&](Job& job) {
      set_external_status(job, "COMBINING", now_ms);
      job.executor.attempts += 1;
      job.executor.status_reason = "combining the runs into dataset.csv, dataset.h5 and dataset_summary.json";
      return true;
    });
  }
  if (combine && !slurm_state_is_final(combine->state)) return false;  // combining

  std::error_code error;
  const bool combined = fs::exists(directory / worker::artifact::kMetadata, error);
  const FinishedWorker finished = finished_worker(directory / kCombineOutput, combine, false, combined);
  if (still_settling(dataset.job_id + ":combine", finished, !combine)) return false;
  if (combined) return end_dataset(dataset, JobStatus::completed, std::nullopt);
  const WorkerVerdict verdict = judge_finished_worker(finished);
  const std::string reason = worker_reason(finished.stderr_tail)
                                 .value_or(verdict.outcome == JobOutcome::failed
                                               ? verdict.error
                                               : "its combine job ended without writing the dataset's metadata.json");
  if (dataset.executor.attempts >= kCombineAttempts) {
    return end_dataset(dataset, JobStatus::failed, combine_failed_error(reason));
  }
  // Tried once more (held again, released by the next cycle): combine is idempotent and the cause may pass.
  Result<std::string> again = submit_combine(dataset, {});
  if (!again.ok()) {
    loop_.record_failure(again.error());
    return false;
  }
  spdlog::info("slurm: dataset {}: combining failed ({}); combine job {} tries again", dataset.job_id, reason, *again);
  return update(dataset, [&](Job& job) {
    job.executor.status_reason = "combining failed (" + reason + "); it starts again";
    return true;
  });
}

bool SlurmExecutor::end_dataset(const Job& dataset, JobStatus outcome, const std::optional<std::string>& error) {
  std::optional<Run> first_failed;
  if (dataset.runs.failed > 0) {
    Result<std::vector<Run>> failed = runs_.list_runs(dataset.job_id, 0, 1, JobStatus::failed);
    if (failed.ok() && !failed->empty()) first_failed = failed->front();
  }
  const int64_t now_ms = clock_.now_ms();
  const bool ended = update(dataset, [&](Job& job) {
    set_external_status(job, std::string(external_status_of(outcome)), now_ms);
    return apply_dataset_end(job, outcome, first_failed, error, now_ms);
  });
  settled_runs_.erase(dataset.job_id);
  eta_progress_.erase(dataset.job_id);
  if (ended) {
    spdlog::info("slurm: dataset {} is {} ({} of {} runs completed, {} failed, {} cancelled)", dataset.job_id,
                 to_string(outcome), dataset.runs.completed, dataset.runs.total, dataset.runs.failed,
                 dataset.runs.cancelled);
  }
  return ended;
}

}  // namespace live2
