// run_simulation_job: one attempt of a simulation job, from validated config to published artifacts.
//
// Resumes when the sink has a usable checkpoint and a results.h5 that agrees with it (else starts over and
// says why in simulation.log); advances in chunks of about `target_chunk_seconds` so `stop_requested` (set by
// the SIGTERM handler) is seen at least every second; analyses every analysis_interval steps, snapshots every
// snapshot_interval steps (and both at the last step), rewrites metrics.csv at analysis steps at most every
// `metrics_update_interval_seconds` (live_metrics_csv.h), reports progress every 1 % and at least every 10 s,
// checkpoints every `checkpoint_interval_seconds` at an analysis step (results.h5 goes out with a checkpoint only when
// it holds a new snapshot). On stop: a checkpoint when it is expected to be published within `stop_window_seconds`
// (else the last periodic one stands), then progress, log and metrics.csv; return interrupted. At the end: every artifact, metadata.json last. Artifact order and content:
// docs/sim-worker.md. With an output budget, the working directory is measured after every write that grows it
// and the run fails (no metadata.json) as soon as it holds more. Blocking; the caller owns the sink, the flag and
// the clock.
#pragma once

#include <atomic>
#include <filesystem>

#include "base/clock.h"
#include "sim/params.h"
#include "worker/artifact_sink.h"
#include "worker/run_metadata.h"
#include "worker/worker_contract.h"

namespace live2::worker {

struct JobRunOptions {
  sim::SimulationConfig config;
  RunIdentity identity;
  int threads = 1;
  std::filesystem::path work_dir;  // artifacts are written here, then published through the sink
  double checkpoint_interval_seconds = 120;  // also the most compute a stop can lose (docs/sim-worker.md)
  double stop_window_seconds = 25;           // SIGTERM to exit: ECS kills the container 30 s after SIGTERM
  double metrics_update_interval_seconds = 2;  // live metrics.csv: at most this often while running
  double target_chunk_seconds = 0.25;
  int64_t output_budget_bytes = 0;  // the most the working directory may hold; 0: no budget
};

WorkerExitCode run_simulation_job(const JobRunOptions& options, ArtifactSink& sink,
                                  const std::atomic<bool>& stop_requested, const Clock& clock);

}  // namespace live2::worker
