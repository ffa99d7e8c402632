// ResultsFile: writer of results.h5, the run's main artifact (layout: docs/simulation-contract.md and
// docs/sim-worker.md). Root attributes (with the model's units) and /elements are written at creation; snapshot
// groups /snapshots/<step, 10 digits> are appended as the run produces them and flushed so the file is valid after
// every snapshot; the tables (/metrics, /species, /reactions, /species_counts: one group each, one 1-D dataset per
// column) are (re)written at the end. Every dataset carries a `units` attribute (sim/units.h).
// A resumed run reopens the file and drops the snapshots newer than its checkpoint, so the finished file holds
// exactly the datasets an uninterrupted run writes. Not thread safe; one owner.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/simulation.h"
#include "worker/hdf5_handle.h"
#include "worker/output_status.h"

namespace live2::worker {

struct ResultsRootAttributes {
  std::string live2_version;
  std::string mode;
  uint64_t seed = 0;
  int64_t num_particles = 0;
  int64_t steps = 0;
  double dt = 0;     // model time units (0.08 ps)
  double dt_fs = 0;  // the same step in femtoseconds, as the parameters give it
  double temperature = 0;
  double chemistry_scale = 0;
  int64_t model_version = 0;
  double box_size = 0;
  std::string params_json;
};

class ResultsFile {
 public:
  // Creates (or truncates) the file and writes the root attributes.
  static OutputResult<ResultsFile> create(const std::filesystem::path& path, const ResultsRootAttributes& attributes);
  // Opens an existing file for a resumed run and deletes every snapshot group whose step is > keep_through_step.
  static OutputResult<ResultsFile> reopen_for_resume(const std::filesystem::path& path, int64_t keep_through_step);

  // Steps of the snapshot groups present, ascending.
  std::vector<int64_t> snapshot_steps() const;

  OutputStatus write_snapshot(const sim::Snapshot& snapshot);
  // The snapshot at `step` as written (the trajectory of a resumed run is rebuilt from these).
  OutputResult<sim::Snapshot> read_snapshot(int64_t step) const;
  OutputStatus write_metrics(const std::vector<sim::MetricsRow>& rows);
  OutputStatus write_species(const std::vector<sim::SpeciesRecord>& rows);
  OutputStatus write_reactions(const std::vector<sim::ReactionRecord>& rows);
  OutputStatus write_species_counts(const std::vector<sim::SpeciesCountRecord>& rows);

  // Pushes everything written so far to disk (the file is then readable by others as it stands).
  OutputStatus flush();
  // Closes the file; the object is unusable afterwards. Also done by the destructor.
  void close();

 private:
  ResultsFile(H5Handle file, H5Handle snapshots);
  H5Handle file_;
  H5Handle snapshots_;
};

// The snapshot group name for a step: 10 digits, zero padded ("0000012500").
std::string snapshot_group_name(int64_t step);

}  // namespace live2::worker
