// The columns of the worker's four tables (metrics, species, reactions, species counts), listed once, in artifact
// order, each with its unit. results.h5 (with a `units` attribute per dataset), metrics.csv, species_counts.csv,
// molecules.json, reactions.json and summary.json all derive their layout from these lists, so a column added here
// appears everywhere under the same name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/simulation.h"
#include "sim/units.h"

namespace live2::worker {

template <typename Row>
struct TableColumn {
  std::string_view name;
  std::variant<int64_t Row::*, double Row::*, std::string Row::*> member;
  sim::Quantity unit;
};

const std::vector<TableColumn<sim::MetricsRow>>& metrics_columns();
const std::vector<TableColumn<sim::SpeciesRecord>>& species_columns();
const std::vector<TableColumn<sim::ReactionRecord>>& reaction_columns();
const std::vector<TableColumn<sim::SpeciesCountRecord>>& species_count_columns();

}  // namespace live2::worker
