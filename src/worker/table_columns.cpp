#include "worker/table_columns.h"

namespace live2::worker {

const std::vector<TableColumn<sim::MetricsRow>>& metrics_columns() {
  static const std::vector<TableColumn<sim::MetricsRow>> columns = {
      {"step", &sim::MetricsRow::step},
      {"time", &sim::MetricsRow::time},
      {"temperature", &sim::MetricsRow::temperature},
      {"kinetic_energy", &sim::MetricsRow::kinetic_energy},
      {"potential_energy", &sim::MetricsRow::potential_energy},
      {"pressure", &sim::MetricsRow::pressure},
      {"n_bonds", &sim::MetricsRow::n_bonds},
      {"n_molecules", &sim::MetricsRow::n_molecules},
      {"n_species", &sim::MetricsRow::n_species},
      {"new_species", &sim::MetricsRow::new_species},
      {"largest_molecule", &sim::MetricsRow::largest_molecule},
      {"bonds_formed", &sim::MetricsRow::bonds_formed},
      {"bonds_broken", &sim::MetricsRow::bonds_broken},
  };
  return columns;
}

const std::vector<TableColumn<sim::SpeciesRecord>>& species_columns() {
  static const std::vector<TableColumn<sim::SpeciesRecord>> columns = {
      {"key", &sim::SpeciesRecord::key},
      {"formula", &sim::SpeciesRecord::formula},
      {"atoms", &sim::SpeciesRecord::atoms},
      {"bonds", &sim::SpeciesRecord::bonds},
      {"first_seen_step", &sim::SpeciesRecord::first_seen_step},
      {"final_count", &sim::SpeciesRecord::final_count},
      {"max_count", &sim::SpeciesRecord::max_count},
  };
  return columns;
}

const std::vector<TableColumn<sim::ReactionRecord>>& reaction_columns() {
  static const std::vector<TableColumn<sim::ReactionRecord>> columns = {
      {"equation", &sim::ReactionRecord::equation},
      {"count", &sim::ReactionRecord::count},
      {"first_step", &sim::ReactionRecord::first_step},
  };
  return columns;
}

}  // namespace live2::worker
