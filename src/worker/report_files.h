// The text artifacts built from a run: metrics.csv (also while running, see live_metrics_csv.h), species_counts.csv,
// molecules.json, reactions.json and summary.json (the reaction network: reaction_network.h). Pure functions from data to file content; the worker writes them.
// Field names come from table_columns.h, so the JSON, CSV and HDF5 tables agree.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/simulation.h"

namespace live2::worker {

// metrics.csv is the header line followed by one line per row; numbers print so they read back exactly.
std::string metrics_csv_header();
std::string metrics_csv_line(const sim::MetricsRow& row);

// species_counts.csv: "step,time,key,count", one line per species present at each analysis.
std::string species_counts_csv(const std::vector<sim::SpeciesCountRecord>& rows);

// An array of {key, formula, atoms, bonds, first_seen_step, final_count, max_count}, one per species.
boost::json::array molecules_json(const std::vector<sim::SpeciesRecord>& species);
// An array of {equation, formula_equation, count, recrossings, first_step}, one per reaction (species keys).
boost::json::array reactions_json(const std::vector<sim::ReactionRecord>& reactions);

struct RunSummary {
  boost::json::object parameters;  // resolved_params_json(config)
  uint64_t seed = 0;
  int threads = 0;
  int attempt = 1;
  int64_t resumed_from_step = 0;         // 0 for a run that started from scratch
  double runtime_seconds = 0;            // wall time of this attempt
  double particle_steps_per_second = 0;  // over the steps this attempt computed
  std::vector<sim::MetricsRow> metrics;  // the whole history; the last row is reported as final metrics
  std::vector<sim::SpeciesRecord> species;
  std::vector<sim::ReactionRecord> reactions;  // sorted by count desc (Simulation::reactions order)
};

inline constexpr size_t kSummaryTopCount = 20;

// {model_version, parameters, seed, threads, attempt, resumed_from_step, runtime_seconds, particle_steps_per_second,
//  final_metrics, species_count, reaction_count, top_species (by final_count, then max_count, then key),
//  top_reactions (by count)}.
boost::json::object summary_json(const RunSummary& summary);

}  // namespace live2::worker
