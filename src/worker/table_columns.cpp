#include "worker/table_columns.h"

namespace live2::worker {

using sim::Quantity;

const std::vector<TableColumn<sim::MetricsRow>>& metrics_columns() {
  static const std::vector<TableColumn<sim::MetricsRow>> columns = {
      {"step", &sim::MetricsRow::step, Quantity::number},
      {"time", &sim::MetricsRow::time, Quantity::time},
      {"temperature", &sim::MetricsRow::temperature, Quantity::temperature},
      {"kinetic_energy", &sim::MetricsRow::kinetic_energy, Quantity::energy},
      {"potential_energy", &sim::MetricsRow::potential_energy, Quantity::energy},
      {"pressure", &sim::MetricsRow::pressure, Quantity::pressure_2d},
      {"n_bonds", &sim::MetricsRow::n_bonds, Quantity::number},
      {"n_molecules", &sim::MetricsRow::n_molecules, Quantity::number},
      {"n_species", &sim::MetricsRow::n_species, Quantity::number},
      {"new_species", &sim::MetricsRow::new_species, Quantity::number},
      {"largest_molecule", &sim::MetricsRow::largest_molecule, Quantity::number},
      {"bonds_formed", &sim::MetricsRow::bonds_formed, Quantity::number},
      {"bonds_broken", &sim::MetricsRow::bonds_broken, Quantity::number},
  };
  return columns;
}

const std::vector<TableColumn<sim::SpeciesRecord>>& species_columns() {
  static const std::vector<TableColumn<sim::SpeciesRecord>> columns = {
      {"key", &sim::SpeciesRecord::key, Quantity::text},
      {"formula", &sim::SpeciesRecord::formula, Quantity::text},
      {"atoms", &sim::SpeciesRecord::atoms, Quantity::number},
      {"bonds", &sim::SpeciesRecord::bonds, Quantity::number},
      {"first_seen_step", &sim::SpeciesRecord::first_seen_step, Quantity::number},
      {"final_count", &sim::SpeciesRecord::final_count, Quantity::number},
      {"max_count", &sim::SpeciesRecord::max_count, Quantity::number},
  };
  return columns;
}

const std::vector<TableColumn<sim::ReactionRecord>>& reaction_columns() {
  static const std::vector<TableColumn<sim::ReactionRecord>> columns = {
      {"equation", &sim::ReactionRecord::equation, Quantity::text},
      {"formula_equation", &sim::ReactionRecord::formula_equation, Quantity::text},
      {"count", &sim::ReactionRecord::count, Quantity::number},
      {"recrossings", &sim::ReactionRecord::recrossings, Quantity::number},
      {"first_step", &sim::ReactionRecord::first_step, Quantity::number},
  };
  return columns;
}

const std::vector<TableColumn<sim::SpeciesCountRecord>>& species_count_columns() {
  static const std::vector<TableColumn<sim::SpeciesCountRecord>> columns = {
      {"step", &sim::SpeciesCountRecord::step, Quantity::number},
      {"time", &sim::SpeciesCountRecord::time, Quantity::time},
      {"key", &sim::SpeciesCountRecord::key, Quantity::text},
      {"count", &sim::SpeciesCountRecord::count, Quantity::number},
  };
  return columns;
}

}  // namespace live2::worker
