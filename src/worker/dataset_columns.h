// The columns of dataset.csv and of dataset.h5's /runs group, derived once from a DatasetTable so both files (and
// dataset_summary.json's outcomes) list the same columns in the same order: run_index, one per swept field (named
// as in the sweep), seed, status, then the outcomes final_molecules, species, bonds, count_<key> for the dataset's
// top species, first_step_<name> for the named species (dataset_table.h), runtime_s. A cell is empty where the
// run did not complete (and a first step where the species never appeared). Pure; thread safe.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "worker/dataset_table.h"

namespace live2::worker {

using DatasetCell = std::variant<std::monostate, int64_t, uint64_t, double, std::string>;

struct DatasetColumn {
  std::string name;
  std::string unit;           // the `units` text (sim/units.h forms: "1", "K", "s", "" for text)
  bool outcome = false;       // summarised per sweep point in dataset_summary.json
  bool text = false;          // a text column (status, a swept field with text values)
  std::vector<DatasetCell> cells;  // one per row, in run order
};

std::vector<DatasetColumn> dataset_columns(const DatasetTable& table);

// The unit of a swept config field's values, e.g. "K" for temperature; "1" for counts and fractions.
std::string sweep_field_unit(const std::string& field);

}  // namespace live2::worker
