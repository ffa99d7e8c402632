// The worker's artifact names (docs/simulation-contract.md, "Artifacts"): part of the contract with the API,
// the artifact stores and users' scripts. Each is also the file's path relative to the worker's directory.
#pragma once

namespace live2::sim::artifact {

inline constexpr const char* kResults = "results.h5";
inline constexpr const char* kSummary = "summary.json";
inline constexpr const char* kMetricsCsv = "metrics.csv";
inline constexpr const char* kMolecules = "molecules.json";
inline constexpr const char* kReactions = "reactions.json";
inline constexpr const char* kLog = "simulation.log";
inline constexpr const char* kProgress = "progress.json";
inline constexpr const char* kCheckpoint = "checkpoint/state.bin";
inline constexpr const char* kFinalImage = "final.png";
inline constexpr const char* kMetadata = "metadata.json";
// Not written by the worker: where the executor puts params too large for the JOB_PARAMS variable.
inline constexpr const char* kParams = "params.json";

}  // namespace live2::sim::artifact
