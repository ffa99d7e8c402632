#include "worker/job_runner.h"

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json_text.h"
#include "base/time_format.h"
#include "sim/simulation.h"
#include "worker/atomic_file.h"
#include "worker/checkpoint_cost.h"
#include "worker/final_image.h"
#include "worker/live_metrics_csv.h"
#include "worker/output_budget.h"
#include "worker/progress_tracker.h"
#include "worker/reaction_network.h"
#include "worker/report_files.h"
#include "worker/results_file.h"
#include "worker/run_guide.h"
#include "worker/trajectory_file.h"
#include "worker/worker_contract.h"

namespace live2::worker {
namespace {

bool is_multiple(int64_t step, int64_t interval) { return step % interval == 0; }
int64_t next_multiple_after(int64_t step, int64_t interval) { return (step / interval + 1) * interval; }

std::string json_file_text(const boost::json::value& value) { return json_text(value) + "\n"; }

class JobRun {
 public:
  JobRun(const JobRunOptions& options, ArtifactSink& sink, const std::atomic<bool>& stop_requested, const Clock& clock)
      : options_(options),
        config_(options.config),
        sink_(sink),
        stop_requested_(stop_requested),
        clock_(clock),
        live_metrics_(path(artifact::kMetricsCsv), sink, clock, options.metrics_update_interval_seconds),
        output_budget_(options.work_dir, options.output_budget_bytes) {}

  WorkerExitCode run() {
    started_seconds_ = clock_.monotonic_seconds();
    last_checkpoint_seconds_ = started_seconds_;
    std::error_code ignored;
    std::filesystem::create_directories(options_.work_dir, ignored);
    // A metadata.json left by an earlier run in this directory would claim that this one has finished.
    std::filesystem::remove(path(artifact::kMetadata), ignored);

    std::vector<std::string> resume_notes;
    const bool resumed = try_resume(resume_notes);
    open_log(/*append=*/resumed);
    log_->info("live2-sim {} job '{}' attempt {} on {} threads", LIVE2_VERSION, options_.identity.job_id,
               options_.identity.attempt, options_.threads);
    log_->info("parameters: {}", json_text(sim::resolved_params_json(config_)));
    for (const std::string& note : resume_notes) log_->warn("{}", note);

    if (resumed) {
      checkpoint_published_ = true;
      log_->info("resuming from the checkpoint at step {}", simulation_->current_step());
    } else if (OutputStatus started = start_fresh(); !started) {
      return fail(started.message());
    }
    start_step_ = simulation_->current_step();
    progress_.emplace(clock_, config_.num_particles, config_.steps, start_step_, options_.identity.attempt,
                      sim::estimate_runtime_seconds(config_, options_.threads));
    if (OutputStatus reported = report_progress(); !reported) return fail(reported.message());
    return run_steps();
  }

  // Ends the attempt as failed: a run that became numerically unstable, an artifact that cannot be written or
  // published, or an exception from the engine (out of memory). No metadata.json, whose presence means "completed";
  // progress and log are published so the failure can be read. The last line on stderr is `live2-sim: <message>`,
  // the one sentence the executor shows as the job's reason (docs/sim-worker.md).
  WorkerExitCode fail(std::string message) {
    std::replace(message.begin(), message.end(), '\n', ' ');
    if (log_) {
      log_->error("failed: {}", message);
      log_->flush();
    }
    std::vector<std::string> names = {artifact::kProgress, artifact::kLog};
    // Best effort: the failure itself may be that nothing can be written or published.
    if (log_) {
      if (auto guide = write_guide("failed: " + message, published_while_running()); guide) {
        names.insert(names.end(), guide.value().begin(), guide.value().end());
      }
    }
    for (const std::string& name : names) {
      if (std::filesystem::exists(path(name))) (void)sink_.publish(name, path(name), /*final=*/true);
    }
    fmt::print(stderr, "live2-sim: {}\n", message);
    return WorkerExitCode::failed;
  }

 private:
  std::filesystem::path path(const std::string& name) const { return options_.work_dir / name; }

  bool is_analysis_step(int64_t step) const {
    return is_multiple(step, config_.analysis_interval) || step == config_.steps;
  }
  bool is_snapshot_step(int64_t step) const {
    return is_multiple(step, config_.snapshot_interval) || step == config_.steps;
  }

  // Resumes only from a checkpoint together with a results.h5 holding every snapshot up to that step: resuming
  // without them would silently lose snapshots, so starting over is the correct fallback.
  bool try_resume(std::vector<std::string>& notes) {
    if (!sink_.fetch(artifact::kCheckpoint, path(artifact::kCheckpoint))) return false;
    std::ifstream in(path(artifact::kCheckpoint), std::ios::binary);
    auto loaded = sim::Simulation::load_checkpoint(in, config_, options_.threads);
    if (!loaded.ok()) {
      notes.push_back("the checkpoint cannot be used (" + loaded.error().message + "); starting over");
      return false;
    }
    std::unique_ptr<sim::Simulation> simulation = std::move(loaded).value();
    const int64_t checkpoint_step = simulation->current_step();
    if (!sink_.fetch(artifact::kResults, path(artifact::kResults))) {
      notes.push_back("results.h5 of the earlier attempt is missing; starting over");
      return false;
    }
    OutputResult<ResultsFile> results = ResultsFile::reopen_for_resume(path(artifact::kResults), checkpoint_step);
    if (!results) {
      notes.push_back("results.h5 of the earlier attempt cannot be reopened (" + results.message() +
                      "); starting over");
      return false;
    }
    std::vector<int64_t> expected;
    for (int64_t step = 0; step <= checkpoint_step; step += config_.snapshot_interval) expected.push_back(step);
    if (checkpoint_step == config_.steps && expected.back() != checkpoint_step) expected.push_back(checkpoint_step);
    if (results.value().snapshot_steps() != expected) {
      notes.push_back(fmt::format(
          "results.h5 does not hold every snapshot up to the checkpoint at step {}; starting over", checkpoint_step));
      return false;
    }
    // The trajectory is rebuilt from the snapshots kept: the same floats, so the same frames as an uninterrupted run.
    TrajectoryFile trajectory(path(artifact::kTrajectory), simulation->box_size());
    OutputStatus rebuilt = trajectory.truncate();
    for (int64_t step : expected) {
      if (!rebuilt) break;
      OutputResult<sim::Snapshot> snapshot = results.value().read_snapshot(step);
      rebuilt = snapshot ? trajectory.append(snapshot.value()) : snapshot.status();
    }
    if (!rebuilt) {
      notes.push_back("the trajectory cannot be rebuilt from results.h5 (" + rebuilt.message() + "); starting over");
      return false;
    }
    sink_.fetch(artifact::kLog, path(artifact::kLog));  // continue the earlier attempt's log when there is one
    simulation_ = std::move(simulation);
    results_.emplace(std::move(results.value()));
    trajectory_.emplace(std::move(trajectory));
    return true;
  }

  void open_log(bool append) {
    auto file_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path(artifact::kLog).string(), !append);
    auto stderr_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    log_ = std::make_shared<spdlog::logger>("live2-sim", spdlog::sinks_init_list{file_sink, stderr_sink});
    log_->set_pattern("%Y-%m-%dT%H:%M:%SZ %l %v", spdlog::pattern_time_type::utc);
    log_->flush_on(spdlog::level::warn);
  }

  OutputStatus start_fresh() {
    simulation_ = std::make_unique<sim::Simulation>(config_, options_.threads);
    ResultsRootAttributes attributes;
    attributes.live2_version = LIVE2_VERSION;
    attributes.mode = std::string(sim::mode_name(config_.mode));
    attributes.seed = config_.seed;
    attributes.num_particles = config_.num_particles;
    attributes.steps = config_.steps;
    attributes.dt = config_.dt();
    attributes.dt_fs = config_.dt_fs;
    attributes.chemistry_scale = config_.chemistry_scale;
    attributes.model_version = sim::kModelVersion;
    attributes.temperature = config_.temperature;
    attributes.box_size = simulation_->box_size();
    attributes.params_json = json_text(sim::resolved_params_json(config_));
    OutputResult<ResultsFile> results = ResultsFile::create(path(artifact::kResults), attributes);
    if (!results) return results.status();
    results_.emplace(std::move(results.value()));
    trajectory_.emplace(path(artifact::kTrajectory), simulation_->box_size());
    if (OutputStatus emptied = trajectory_->truncate(); !emptied) return emptied;
    return record_step_events(0);
  }

  // Analysis (and a live metrics.csv update when due), snapshot and periodic checkpoint due at `step`, in that order (a
  // checkpoint at a step always follows that step's records, so a run resumed from it starts with the next step's).
  OutputStatus record_step_events(int64_t step) {
    const bool analysed = is_analysis_step(step);
    if (analysed) {
      const sim::MetricsRow row = simulation_->analyze();
      if (!std::isfinite(row.potential_energy) || !std::isfinite(row.kinetic_energy)) {
        log_->warn("step {}: energies are not finite (kinetic {}, potential {}); the run has become unstable", step,
                   row.kinetic_energy, row.potential_energy);
      }
      // The last step's file is written with the other reports and published as final.
      if (step < config_.steps) {
        if (OutputStatus updated = live_metrics_.publish_if_due(simulation_->metrics_history()); !updated) {
          return updated;
        }
      }
    }
    if (is_snapshot_step(step)) {
      const sim::Snapshot snapshot = simulation_->snapshot();
      if (OutputStatus written = results_->write_snapshot(snapshot); !written) return written;
      if (OutputStatus appended = trajectory_->append(snapshot); !appended) return appended;
      results_unpublished_ = true;
    }
    const bool checkpoint_due =
        clock_.monotonic_seconds() - last_checkpoint_seconds_ >= options_.checkpoint_interval_seconds;
    if (analysed && checkpoint_due && step < config_.steps) return write_checkpoint();
    return {};
  }

  WorkerExitCode run_steps() {
    int64_t chunk_steps = std::max<int64_t>(1, 100'000 / config_.num_particles);
    int64_t step = simulation_->current_step();
    while (step < config_.steps) {
      if (stop_requested_.load()) return interrupt();
      const int64_t target = std::min({next_multiple_after(step, config_.analysis_interval),
                                       next_multiple_after(step, config_.snapshot_interval), config_.steps,
                                       progress_->next_percent_boundary(step), step + chunk_steps});
      const double before = clock_.monotonic_seconds();
      if (const std::optional<sim::Instability> unstable = simulation_->advance(target - step)) {
        return fail(unstable->message);
      }
      chunk_steps = next_chunk_steps(chunk_steps, target - step, clock_.monotonic_seconds() - before);
      step = target;
      if (OutputStatus recorded = record_step_events(step); !recorded) return fail(recorded.message());
      if (OutputStatus within = output_budget_.check(step); !within) return fail(within.message());
      if (progress_->report_due(step)) {
        if (OutputStatus reported = report_progress(); !reported) return fail(reported.message());
      }
    }
    return finish();
  }

  // Sizes the next chunk from the last one's rate so that the stop flag is checked every target_chunk_seconds.
  int64_t next_chunk_steps(int64_t current, int64_t advanced, double seconds) const {
    constexpr int64_t kMaxChunkSteps = 1'000'000;
    if (seconds <= 0) return std::min(kMaxChunkSteps, current * 2);
    const double steps_per_second = static_cast<double>(advanced) / seconds;
    return std::clamp<int64_t>(static_cast<int64_t>(steps_per_second * options_.target_chunk_seconds), 1,
                               kMaxChunkSteps);
  }

  OutputStatus report_progress() {
    const ProgressReport report = progress_->report(simulation_->current_step());
    if (OutputStatus written = write_file_atomically(path(artifact::kProgress), json_file_text(progress_json(report)));
        !written) {
      return written;
    }
    log_->info("{}", progress_log_line(report));
    log_->flush();
    if (OutputStatus published = sink_.publish(artifact::kProgress, path(artifact::kProgress), false); !published) {
      return published;
    }
    return sink_.publish(artifact::kLog, path(artifact::kLog), false);
  }

  // results.h5 goes out before the checkpoint: a published checkpoint then always has a published results.h5
  // holding at least its snapshots. results.h5 changes only with a snapshot (its tables are written at the end), so
  // it goes out again only after one: then a checkpoint costs the state, not the whole history of snapshots.
  OutputStatus write_checkpoint() {
    const double started_seconds = clock_.monotonic_seconds();
    int64_t bytes = 0;
    if (results_unpublished_) {
      if (OutputStatus flushed = results_->flush(); !flushed) return flushed;
      if (OutputStatus published = sink_.publish(artifact::kResults, path(artifact::kResults), false); !published) {
        return published;
      }
      results_unpublished_ = false;
      bytes += file_bytes(artifact::kResults);
    }
    if (OutputStatus saved = save_checkpoint_file(); !saved) return saved;
    log_->info("checkpoint at step {}", simulation_->current_step());
    if (OutputStatus published = sink_.publish(artifact::kCheckpoint, path(artifact::kCheckpoint), false);
        !published) {
      return published;
    }
    checkpoint_published_ = true;
    last_checkpoint_seconds_ = clock_.monotonic_seconds();
    bytes += file_bytes(artifact::kCheckpoint);
    checkpoint_cost_.record(bytes, last_checkpoint_seconds_ - started_seconds);
    return {};
  }

  int64_t file_bytes(const std::string& name) const {
    std::error_code error;
    const auto size = std::filesystem::file_size(path(name), error);
    return error ? 0 : static_cast<int64_t>(size);
  }

  // Whether a final checkpoint is expected to be written and published within the stop window, projected from this
  // attempt's slowest checkpoint (the state is about as large as the last one; results.h5 counts when a snapshot
  // has not gone out yet). Without an earlier checkpoint to fall back on, or a measurement, it is always tried.
  bool final_checkpoint_fits(std::string& why_not) const {
    if (!checkpoint_published_) return true;
    const int64_t bytes = file_bytes(artifact::kCheckpoint) + (results_unpublished_ ? file_bytes(artifact::kResults) : 0);
    const std::optional<double> seconds = checkpoint_cost_.projected_seconds(bytes);
    if (!seconds || *seconds <= options_.stop_window_seconds) return true;
    why_not = fmt::format("a checkpoint of {} bytes is expected to take {:.1f} s, more than the {:.0f} s stop window",
                          bytes, *seconds, options_.stop_window_seconds);
    return false;
  }

  OutputStatus save_checkpoint_file() {
    return write_file_atomically(path(artifact::kCheckpoint),
                                 [this](std::ostream& out) { simulation_->save_checkpoint(out); });
  }

  // The container is stopped stop_window_seconds after SIGTERM at the latest (ECS: 30 s; Batch cannot lengthen it), so
  // the checkpoint comes first and the reports after it; metrics.csv, the largest report and not needed to resume
  // (the checkpoint holds the metrics history), goes last.
  WorkerExitCode interrupt() {
    const int64_t step = simulation_->current_step();
    log_->warn("stop requested (SIGTERM) at step {}: writing a checkpoint and exiting", step);
    if (std::string why_not; final_checkpoint_fits(why_not)) {
      if (OutputStatus saved = write_checkpoint(); !saved) return fail(saved.message());
      // SIGTERM means a cancel as well as a stop to be retried (server shutdown, Spot reclaim): the worker cannot
      // tell which, so the log says what happens in either case.
      log_->warn("interrupted after a checkpoint at step {}; if the job is retried (it is not after a cancel), the "
                 "next attempt resumes from it",
                 step);
    } else {
      log_->warn("interrupted at step {} without a new checkpoint ({}); if the job is retried (it is not after a "
                 "cancel), the next attempt resumes from the last one",
                 step, why_not);
    }
    if (OutputStatus reported = report_progress(); !reported) return fail(reported.message());
    if (OutputStatus updated = live_metrics_.publish_now(simulation_->metrics_history()); !updated) {
      return fail(updated.message());
    }
    log_->flush();
    if (OutputStatus published = sink_.publish(artifact::kLog, path(artifact::kLog), false); !published) {
      return fail(published.message());
    }
    // Last: the report and README of what exists, useful when the stop was a cancel (a next attempt rewrites them).
    auto guide = write_guide(fmt::format("stopped at step {} (cancelled, or to be resumed by a next attempt)", step),
                             published_while_running());
    if (!guide) return fail(guide.message());
    for (const std::string& name : guide.value()) {
      if (OutputStatus published = sink_.publish(name, path(name), false); !published) return fail(published.message());
    }
    return WorkerExitCode::interrupted;
  }

  WorkerExitCode finish() {
    // Whole milliseconds, the clock's resolution: the difference of two double seconds would print as 0.07600000000093132.
    const double runtime_seconds = std::round((clock_.monotonic_seconds() - started_seconds_) * 1000.0) / 1000.0;
    RunSummary summary;
    summary.parameters = sim::resolved_params_json(config_);
    summary.seed = config_.seed;
    summary.threads = options_.threads;
    summary.attempt = options_.identity.attempt;
    summary.resumed_from_step = start_step_;
    summary.runtime_seconds = runtime_seconds;
    summary.particle_steps_per_second = runtime_seconds > 0 ? static_cast<double>(config_.num_particles) *
                                                                  (config_.steps - start_step_) / runtime_seconds
                                                            : 0;
    summary.metrics = simulation_->metrics_history();
    summary.species = simulation_->species();
    summary.reactions = simulation_->reactions();
    const std::vector<sim::SpeciesCountRecord> species_counts = simulation_->species_counts();
    const NetworkInput network{summary.species, summary.reactions, config_.steps, config_.dt()};

    for (OutputStatus status : {results_->write_metrics(summary.metrics), results_->write_species(summary.species),
                                results_->write_reactions(summary.reactions),
                                results_->write_species_counts(species_counts)}) {
      if (!status) return fail(status.message());
    }
    results_->close();
    for (OutputStatus status :
         {save_checkpoint_file(), live_metrics_.write(summary.metrics),
          write_file_atomically(path(artifact::kMolecules), json_file_text(molecules_json(summary.species))),
          write_file_atomically(path(artifact::kReactions), json_file_text(reactions_json(summary.reactions))),
          write_file_atomically(path(artifact::kSpeciesCountsCsv), species_counts_csv(species_counts)),
          write_file_atomically(path(artifact::kReactionNetworkJson), json_file_text(reaction_network_json(network))),
          write_file_atomically(path(artifact::kReactionNetworkGraphml), reaction_network_graphml(network)),
          write_file_atomically(path(artifact::kSummary), json_file_text(summary_json(summary))),
          render_final_image(simulation_->snapshot(), simulation_->box_size(), path(artifact::kFinalImage))}) {
      if (!status) return fail(status.message());
    }
    if (OutputStatus within = output_budget_.check(config_.steps); !within) return fail(within.message());
    log_->info("finished {} steps of {} atoms in {:.1f} s ({:.3g} particle-steps/s); {} species, {} reaction equations",
               config_.steps - start_step_, config_.num_particles, runtime_seconds, summary.particle_steps_per_second,
               summary.species.size(), summary.reactions.size());
    log_->flush();

    std::vector<std::string> artifacts = {
        artifact::kResults,           artifact::kTrajectory,           artifact::kCheckpoint,
        artifact::kMetricsCsv,        artifact::kSpeciesCountsCsv,     artifact::kMolecules,
        artifact::kReactions,         artifact::kReactionNetworkJson,  artifact::kReactionNetworkGraphml,
        artifact::kSummary,           artifact::kFinalImage,           artifact::kProgress,
        artifact::kLog};
    std::vector<std::string> listed = artifacts;
    listed.push_back(artifact::kMetadata);
    auto guide = write_guide("completed", listed);
    if (!guide) return fail(guide.message());
    artifacts.insert(artifacts.end(), guide.value().begin(), guide.value().end());
    for (const std::string& name : artifacts) {
      if (OutputStatus published = sink_.publish(name, path(name), true); !published) return fail(published.message());
    }
    if (OutputStatus written = write_metadata(artifacts); !written) return fail(written.message());
    return WorkerExitCode::finished;
  }

  OutputResult<std::vector<std::string>> write_guide(const std::string& outcome, std::vector<std::string> names) {
    return write_run_guide({options_.identity.job_id, outcome, simulation_.get(), &config_, std::move(names)},
                           options_.work_dir);
  }

  // What a stopped or failed run has published so far (results.h5 goes out with each checkpoint).
  std::vector<std::string> published_while_running() const {
    std::vector<std::string> names = {artifact::kProgress, artifact::kLog, artifact::kMetricsCsv};
    if (checkpoint_published_) names.insert(names.end(), {artifact::kResults, artifact::kCheckpoint});
    std::error_code ignored;
    std::erase_if(names, [&](const std::string& name) { return !std::filesystem::exists(path(name), ignored); });
    return names;
  }

  OutputStatus write_metadata(const std::vector<std::string>& artifacts) {
    const RunEnding ending{static_cast<int>(WorkerExitCode::finished), "completed", format_iso8601_ms(clock_.now_ms())};
    OutputResult<boost::json::object> metadata =
        build_run_metadata(options_.identity, ending, options_.work_dir, artifacts);
    if (!metadata) return metadata.status();
    const std::string text = json_file_text(metadata.value());
    if (OutputStatus written = write_file_atomically(path(artifact::kMetadata), text); !written) return written;
    return sink_.publish(artifact::kMetadata, path(artifact::kMetadata), true);
  }

  const JobRunOptions& options_;
  const sim::SimulationConfig& config_;
  ArtifactSink& sink_;
  const std::atomic<bool>& stop_requested_;
  const Clock& clock_;

  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<sim::Simulation> simulation_;
  std::optional<ResultsFile> results_;
  std::optional<TrajectoryFile> trajectory_;
  std::optional<ProgressTracker> progress_;
  LiveMetricsCsv live_metrics_;
  OutputBudget output_budget_;
  double started_seconds_ = 0;
  double last_checkpoint_seconds_ = 0;
  CheckpointCost checkpoint_cost_;
  bool checkpoint_published_ = false;  // the sink holds a checkpoint of this job (this attempt's or an earlier one's)
  bool results_unpublished_ = true;    // results.h5 holds a snapshot the sink's copy lacks
  int64_t start_step_ = 0;
};

}  // namespace

WorkerExitCode run_simulation_job(const JobRunOptions& options, ArtifactSink& sink,
                                  const std::atomic<bool>& stop_requested, const Clock& clock) {
  JobRun run(options, sink, stop_requested, clock);
  try {
    return run.run();
  } catch (const std::exception& error) {
    return run.fail(error.what());
  }
}

}  // namespace live2::worker
