// The dataset table of `live2-sim combine` (docs/api.md, "Datasets"): one row per run of a generate_dataset job,
// built from the dataset's plan (sweep values and seed of each run: core/dataset_plan.h) and the runs' artifacts,
// fetched through the sink into `work_dir/runs/<index>/`: metadata.json (present = the run completed),
// metrics.csv (checked here, read again by the dataset.h5 writer),
// summary.json (the final molecules, species, bonds and the runtime) and species_counts.csv (each species' count
// at the last analysis step, and the first analysis step at which each named species was present).
// dataset_runs.json, when the executor wrote one, says how a run without metadata.json ended (failed or cancelled).
// A completed run whose summary or counts cannot be read becomes a failed row saying so: one damaged run does not
// cost the dataset. Holds the outcomes only (a few numbers per run), never a run's time series. Not thread safe.
#pragma once

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dataset_plan.h"
#include "worker/artifact_sink.h"
#include "worker/output_status.h"

namespace live2::worker {

// The named closed-shell species whose first appearance each row records, with the Hill formula species keys
// carry (sim/molecule_graph.h). The key does not tell isomers apart: "HCN" is the first step any CHN species was
// present.
struct NamedSpecies {
  std::string_view name;   // as in the column, first_step_<name>
  std::string_view hill;   // as in species keys, "<hill>#<hash>"
};
inline constexpr std::array<NamedSpecies, 8> kNamedSpecies = {{{"H2O", "H2O"},
                                                               {"CH4", "CH4"},
                                                               {"NH3", "H3N"},
                                                               {"H2", "H2"},
                                                               {"N2", "N2"},
                                                               {"CO2", "CO2"},
                                                               {"HCN", "CHN"},
                                                               {"H2CO", "CH2O"}}};
// count_<key> columns: the dataset's most abundant species by their final counts summed over the runs.
inline constexpr size_t kDatasetTopSpecies = 10;

inline constexpr std::string_view kRunCompleted = "completed";
inline constexpr std::string_view kRunFailed = "failed";
inline constexpr std::string_view kRunCancelled = "cancelled";

struct DatasetRow {
  int64_t run_index = 0;
  boost::json::object sweep;  // the run's swept values, {"temperature": 300}
  uint64_t seed = 0;
  std::string status;  // completed, failed or cancelled
  std::string damage;  // why a run that left metadata.json counts as failed (its artifacts cannot be read)
  // Present when the run completed.
  std::optional<int64_t> final_molecules, species, bonds;
  std::optional<double> runtime_s;
  std::map<std::string, int64_t> final_counts;  // species key -> count at the run's last analysis step
  std::map<std::string, int64_t> first_steps;   // NamedSpecies::name -> first step it was present
};

struct DatasetTable {
  std::vector<std::string> sweep_fields;  // in the order of the sweep
  int64_t replicas = 1;
  std::vector<DatasetRow> rows;           // in run order
  std::vector<std::string> top_species;   // at most kDatasetTopSpecies keys, by summed final count desc, then key
};

// The relative artifact name of a run's file: "runs/<index>/<name>".
std::string run_artifact(int64_t index, std::string_view name);

// Fails only when dataset_runs.json exists but is not the documented document.
OutputResult<DatasetTable> read_dataset_table(const DatasetPlan& plan, ArtifactSink& sink,
                                              const std::filesystem::path& work_dir);

}  // namespace live2::worker
