// The worker contract (docs/simulation-contract.md, "Worker contract" and "Artifacts"): what an executor (local,
// AWS Batch) and the worker, live2-sim, agree on. The environment variables an executor sets, the worker's exit
// codes and the names of its artifacts. The one place these names are spelled; constants only.
#pragma once

namespace live2::worker {

// Environment variables an executor sets for the worker.
namespace env {
inline constexpr const char* kJobId = "JOB_ID";
inline constexpr const char* kUserId = "USER_ID";
inline constexpr const char* kJobParams = "JOB_PARAMS";  // the params JSON; absent when too large (see kParams)
inline constexpr const char* kS3Bucket = "S3_BUCKET";    // set: artifacts go to S3; unset: to the local --out dir
inline constexpr const char* kEnv = "ENV";               // deployment name, the first part of the artifact prefix
inline constexpr const char* kArtifactPrefix = "ARTIFACT_PREFIX";  // default "{ENV}/{USER_ID}/{JOB_ID}/"
inline constexpr const char* kOutputBudgetBytes = "OUTPUT_BUDGET_BYTES";
inline constexpr const char* kWorkerThreads = "WORKER_THREADS";  // AWS Batch: one per whole vCPU of the task
inline constexpr const char* kAwsRegion = "AWS_REGION";
inline constexpr const char* kBatchJobId = "AWS_BATCH_JOB_ID";            // set by AWS Batch
inline constexpr const char* kBatchJobAttempt = "AWS_BATCH_JOB_ATTEMPT";  // set by AWS Batch, 1-based
// Set: the worker runs ONE run of a dataset (docs/sim-worker.md, "One run of a dataset"): JOB_ID and the params are
// the dataset's, the run is plan_run(params, index), its artifacts go under runs/<index>/. RUN_INDEX wins over
// AWS_BATCH_JOB_ARRAY_INDEX, which AWS Batch sets in every child of an array job.
inline constexpr const char* kRunIndex = "RUN_INDEX";
inline constexpr const char* kBatchArrayIndex = "AWS_BATCH_JOB_ARRAY_INDEX";
}  // namespace env

// The worker's process exit codes.
enum class WorkerExitCode : int { finished = 0, failed = 1, invalid_params = 64, interrupted = 75 };
constexpr int exit_code_of(WorkerExitCode code) { return static_cast<int>(code); }

// Artifact names. Each is also the file's path relative to the worker's directory and to the job's prefix.
namespace artifact {
inline constexpr const char* kResults = "results.h5";
inline constexpr const char* kSummary = "summary.json";
inline constexpr const char* kMetricsCsv = "metrics.csv";
inline constexpr const char* kMolecules = "molecules.json";
inline constexpr const char* kReactions = "reactions.json";
inline constexpr const char* kTrajectory = "trajectory.extxyz";
inline constexpr const char* kSpeciesCountsCsv = "species_counts.csv";
inline constexpr const char* kReactionNetworkJson = "reaction_network.json";
inline constexpr const char* kReactionNetworkGraphml = "reaction_network.graphml";
inline constexpr const char* kLog = "simulation.log";
inline constexpr const char* kProgress = "progress.json";
inline constexpr const char* kCheckpoint = "checkpoint/state.bin";
inline constexpr const char* kFinalImage = "final.png";
inline constexpr const char* kMetadata = "metadata.json";
inline constexpr const char* kReport = "report.html";  // the run's chemistry on one self-contained page
inline constexpr const char* kReadme = "README.txt";   // what each file of the download holds, and its units
// Not written by the worker: where the executor puts params too large for the JOB_PARAMS variable.
inline constexpr const char* kParams = "params.json";
// A dataset's files at its root, written by `live2-sim combine` (docs/api.md, "Datasets"); metadata.json comes last.
inline constexpr const char* kDatasetCsv = "dataset.csv";
inline constexpr const char* kDatasetH5 = "dataset.h5";
inline constexpr const char* kDatasetSummary = "dataset_summary.json";
// Written by the executor before it starts combine, when it knows how each run ended (optional).
inline constexpr const char* kDatasetRuns = "dataset_runs.json";
// Each run's artifacts sit under this prefix of the dataset's: "runs/<index>/".
inline constexpr const char* kRunsDirectory = "runs";
}  // namespace artifact

}  // namespace live2::worker
