#include "worker/download_readme.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/units.h"
#include "worker/table_columns.h"
#include "worker/worker_contract.h"

namespace live2::worker {
namespace {

constexpr size_t kNameWidth = 26;  // the longest name, reaction_network.graphml, and a space

struct Entry {
  std::string_view name, description;
};

const Entry kArtifacts[] = {
    {artifact::kReadme, "This file."},
    {artifact::kReport,
     "The run at a glance: species table, top reactions, species over time, first appearances. One self-contained "
     "page without script: opens in any browser, offline."},
    {artifact::kSummary,
     "JSON. The resolved parameters, seed, threads, attempt, runtime_seconds (wall clock, s), "
     "particle_steps_per_second, the final metrics row, species and reaction counts, the top 20 species and "
     "reactions."},
    {artifact::kMetricsCsv, "CSV, one row per analysis step (every analysis_interval steps, and the last). Columns:"},
    {artifact::kSpeciesCountsCsv,
     "CSV, the molecules of each species present at each analysis step (a species absent then has no row). "
     "Columns:"},
    {artifact::kMolecules,
     "JSON array, one object per species ever seen: key (the structure key: the molecule's graph, so isomers are "
     "apart), formula (Hill order), atoms, bonds, first_seen_step, final_count and max_count (molecules)."},
    {artifact::kReactions,
     "JSON array, one object per reaction: equation (species keys), formula_equation (Hill formulas), count (times "
     "it happened), recrossings (times it was undone at once, not in count), first_step."},
    {artifact::kReactionNetworkJson,
     "JSON. The reaction network: species, and reactions with count, first_time_ps, rate_per_ps and its 95 % "
     "interval (rate_ci95_per_ps, exact Poisson) over duration_ps."},
    {artifact::kReactionNetworkGraphml,
     "GraphML. The same network as a directed bipartite graph (species and reaction nodes), for Cytoscape, Gephi or "
     "networkx."},
    {artifact::kTrajectory,
     "Extended XYZ, one frame per snapshot: element, position (angstrom), velocity (angstrom/ps) and molecule id of "
     "every atom; Time in ps and the step in each frame's comment line; 2-D, so z = 0. Opens in OVITO, VMD or ASE."},
    {artifact::kResults,
     "HDF5, everything in one file: /metrics and /species_counts as in the CSV files, /snapshots/<step>/ "
     "(positions, velocities, types, bonds, molecule ids), /species and /reactions as in the JSON files; every "
     "dataset has a `units` attribute, the parameters are root attributes."},
    {artifact::kFinalImage, "PNG picture of the last snapshot: atoms coloured by element, bonds drawn."},
    {artifact::kLog, "Text. The worker's log: start, checkpoints, progress, how the run ended (UTC timestamps)."},
    {artifact::kProgress,
     "JSON. The worker's last progress report (step, percent, ETA in s); for the service, not for analysis."},
    {artifact::kCheckpoint,
     "Binary. The engine's whole state at the last checkpoint, to resume an interrupted attempt; only live2-sim "
     "reads it."},
    {artifact::kMetadata,
     "JSON. Present only when the run completed: what produced it (live2 version, job, attempt) and the size and "
     "SHA-256 of every other artifact."},
    {artifact::kParams, "JSON. The job's params, when they were too large to hand to the worker in its environment."},
};

// What each column means; its unit comes from table_columns.h.
const Entry kColumnMeanings[] = {
    {"step", "step number, from 0"},
    {"time", "simulated time (step x dt)"},
    {"temperature", "measured from the kinetic energy"},
    {"kinetic_energy", "total"},
    {"potential_energy", "total"},
    {"pressure", "virial pressure (2-D: energy per area)"},
    {"n_bonds", "bonds present"},
    {"n_molecules", "molecules present"},
    {"n_species", "distinct species present"},
    {"new_species", "species seen for the first time at this row"},
    {"largest_molecule", "atoms in the largest molecule"},
    {"bonds_formed", "bonds formed since the previous row"},
    {"bonds_broken", "bonds broken since the previous row"},
    {"key", "the species' structure key (as in molecules.json)"},
    {"count", "molecules of that species"},
};

// Known files in the order of kArtifacts (the ones a person reads first), then any others by name.
std::vector<std::string> in_documented_order(std::vector<std::string> names) {
  auto rank = [](const std::string& name) {
    for (size_t i = 0; i < std::size(kArtifacts); ++i) {
      if (kArtifacts[i].name == name) return i;
    }
    return std::size(kArtifacts);
  };
  std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    return std::pair(rank(a), a) < std::pair(rank(b), b);
  });
  return names;
}

template <size_t N>
std::string_view lookup(const Entry (&entries)[N], std::string_view name) {
  for (const Entry& entry : entries) {
    if (entry.name == name) return entry.description;
  }
  return {};
}

// `text` wrapped at 118 columns: its first line starts at `start_column`, the others are indented by `indent`.
std::string wrapped(std::string_view text, size_t start_column, size_t indent) {
  constexpr size_t kLineWidth = 118;
  std::string out;
  size_t column = start_column;
  bool line_empty = true;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    if (!line_empty && column + 1 + word.size() > kLineWidth) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    line_empty = false;
    start = end + 1;
  }
  return out;
}

// One line per column: name, unit ("1" for a count, `<factor> <unit>` for a model quantity), meaning.
template <typename Row>
std::string column_lines(const std::vector<TableColumn<Row>>& columns) {
  std::string out;
  for (const TableColumn<Row>& column : columns) {
    const std::string unit = sim::unit_text(column.unit);
    const std::string_view meaning = column_meaning(column.name);
    out += fmt::format("{:<{}}{:<18} {:<28} {}\n", "", kNameWidth + 2, column.name, unit.empty() ? "text" : unit,
                       meaning.empty() ? "(docs/simulation.md of live2)" : meaning);
  }
  return out;
}

}  // namespace

std::string_view artifact_description(std::string_view name) { return lookup(kArtifacts, name); }

std::string_view column_meaning(std::string_view column) { return lookup(kColumnMeanings, column); }

std::string download_readme(std::string_view job_id, std::string_view outcome,
                            const std::vector<std::string>& artifact_names) {
  const std::string units = fmt::format(
      "What each file of this run holds, and its units. The model computes in reduced units (docs/simulation.md of "
      "live2): one time unit is {}, one length unit {}, one energy unit {} (k_B x 300 K); masses are in amu and "
      "temperatures in kelvin. A column's unit below reads \"<factor> <unit>\" (multiply by the factor), or 1 for a "
      "pure number such as a count. Steps count from 0; a species is one molecular graph (isomers are different "
      "species).",
      sim::unit_text(sim::Quantity::time), sim::unit_text(sim::Quantity::length), sim::unit_text(sim::Quantity::energy));
  std::string out = fmt::format("live2 run {}: {}\n\n{}\n\n", job_id, outcome, wrapped(units, 0, 0));
  for (const std::string& name : in_documented_order(artifact_names)) {
    std::string_view description = artifact_description(name);
    if (description.empty()) description = "(described in docs/sim-worker.md of live2)";
    const std::string label = fmt::format("{:<{}} ", name, kNameWidth - 1);
    out += label + wrapped(description, label.size(), kNameWidth) + "\n";
    if (name == artifact::kMetricsCsv) out += column_lines(metrics_columns());
    if (name == artifact::kSpeciesCountsCsv) out += column_lines(species_count_columns());
  }
  return out;
}

}  // namespace live2::worker
