// report.html: a run's chemistry on one self-contained page (inline CSS and an inline SVG chart; no script, no
// external fetch), so it opens offline from a download and shows the same when the API serves it sandboxed:
// the species table (formula, structure key, first seen, final and max count), the top reactions, the counts of the
// most abundant species over time, and when each species first appeared. Built from whatever the run has: at the
// end of a run, or of a cancelled or failed one (then marked as partial). Pure function; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/simulation.h"

namespace live2::worker {

struct RunReport {
  std::string job_id;
  std::string outcome;  // "completed", or why the run ended early ("cancelled at step 1200", "failed: ...")
  boost::json::object parameters;  // sim::resolved_params_json: {"simulation_config": {"mode", "config"}}
  int64_t last_step = 0;
  std::vector<sim::SpeciesRecord> species;
  std::vector<sim::ReactionRecord> reactions;           // any order; the page sorts by count
  std::vector<sim::SpeciesCountRecord> species_counts;  // empty: the chart plots n_species from `metrics` instead
  std::vector<sim::MetricsRow> metrics;
};

// Sizes that bound the page however large the run (the full tables are in molecules.json and reactions.json).
inline constexpr size_t kReportMaxSpeciesRows = 500;
inline constexpr size_t kReportTopReactions = 20;
inline constexpr size_t kReportChartSpecies = 8;
inline constexpr size_t kReportFirstAppearances = 30;

std::string report_html(const RunReport& report);

}  // namespace live2::worker
