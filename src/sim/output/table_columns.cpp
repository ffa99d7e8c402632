#include "sim/output/table_columns.h"

namespace live2::sim {

const std::vector<TableColumn<MetricsRow>>& metrics_columns() {
  static const std::vector<TableColumn<MetricsRow>> columns = {
      {"step", &MetricsRow::step},
      {"time", &MetricsRow::time},
      {"temperature", &MetricsRow::temperature},
      {"kinetic_energy", &MetricsRow::kinetic_energy},
      {"potential_energy", &MetricsRow::potential_energy},
      {"n_bonds", &MetricsRow::n_bonds},
      {"n_molecules", &MetricsRow::n_molecules},
      {"n_species", &MetricsRow::n_species},
      {"new_species", &MetricsRow::new_species},
      {"largest_molecule", &MetricsRow::largest_molecule},
      {"bonds_formed", &MetricsRow::bonds_formed},
      {"bonds_broken", &MetricsRow::bonds_broken},
  };
  return columns;
}

const std::vector<TableColumn<SpeciesRecord>>& species_columns() {
  static const std::vector<TableColumn<SpeciesRecord>> columns = {
      {"key", &SpeciesRecord::key},
      {"formula", &SpeciesRecord::formula},
      {"atoms", &SpeciesRecord::atoms},
      {"bonds", &SpeciesRecord::bonds},
      {"first_seen_step", &SpeciesRecord::first_seen_step},
      {"final_count", &SpeciesRecord::final_count},
      {"max_count", &SpeciesRecord::max_count},
  };
  return columns;
}

const std::vector<TableColumn<ReactionRecord>>& reaction_columns() {
  static const std::vector<TableColumn<ReactionRecord>> columns = {
      {"equation", &ReactionRecord::equation},
      {"count", &ReactionRecord::count},
      {"first_step", &ReactionRecord::first_step},
  };
  return columns;
}

}  // namespace live2::sim
