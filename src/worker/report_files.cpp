#include "worker/report_files.h"

#include <fmt/format.h>

#include <algorithm>

#include "worker/table_columns.h"

namespace live2::worker {
namespace {

template <typename Row>
boost::json::object row_json(const Row& row, const std::vector<TableColumn<Row>>& columns) {
  boost::json::object object;
  for (const TableColumn<Row>& column : columns) {
    std::visit([&](auto member) { object[column.name] = row.*member; }, column.member);
  }
  return object;
}

template <typename Row>
boost::json::array rows_json(const std::vector<Row>& rows, const std::vector<TableColumn<Row>>& columns) {
  boost::json::array array;
  array.reserve(rows.size());
  for (const Row& row : rows) array.push_back(row_json(row, columns));
  return array;
}

std::vector<sim::SpeciesRecord> most_abundant_species(std::vector<sim::SpeciesRecord> species, size_t count) {
  std::sort(species.begin(), species.end(), [](const sim::SpeciesRecord& a, const sim::SpeciesRecord& b) {
    if (a.final_count != b.final_count) return a.final_count > b.final_count;
    if (a.max_count != b.max_count) return a.max_count > b.max_count;
    return a.key < b.key;
  });
  if (species.size() > count) species.resize(count);
  return species;
}

template <typename Row>
std::string csv_header(const std::vector<TableColumn<Row>>& columns) {
  std::string header;
  for (size_t i = 0; i < columns.size(); ++i) {
    header += (i == 0 ? "" : ",");
    header += columns[i].name;
  }
  return header + '\n';
}

// Numbers print so they read back exactly; strings (species keys) hold no comma or quote.
template <typename Row>
std::string csv_line(const Row& row, const std::vector<TableColumn<Row>>& columns) {
  std::string line;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) line += ',';
    std::visit([&](auto member) { line += fmt::format("{}", row.*member); }, columns[i].member);
  }
  return line + '\n';
}

}  // namespace

std::string metrics_csv_header() { return csv_header(metrics_columns()); }
std::string metrics_csv_line(const sim::MetricsRow& row) { return csv_line(row, metrics_columns()); }

std::string species_counts_csv(const std::vector<sim::SpeciesCountRecord>& rows) {
  std::string text = csv_header(species_count_columns());
  for (const sim::SpeciesCountRecord& row : rows) text += csv_line(row, species_count_columns());
  return text;
}

boost::json::array molecules_json(const std::vector<sim::SpeciesRecord>& species) {
  return rows_json(species, species_columns());
}

boost::json::array reactions_json(const std::vector<sim::ReactionRecord>& reactions) {
  return rows_json(reactions, reaction_columns());
}

boost::json::object summary_json(const RunSummary& summary) {
  boost::json::object object;
  object["model_version"] = sim::kModelVersion;
  object["parameters"] = summary.parameters;
  object["seed"] = summary.seed;
  object["threads"] = summary.threads;
  object["attempt"] = summary.attempt;
  object["resumed_from_step"] = summary.resumed_from_step;
  object["runtime_seconds"] = summary.runtime_seconds;
  object["particle_steps_per_second"] = summary.particle_steps_per_second;
  object["final_metrics"] = summary.metrics.empty()
                                ? boost::json::value(nullptr)
                                : boost::json::value(row_json(summary.metrics.back(), metrics_columns()));
  object["species_count"] = summary.species.size();
  object["reaction_count"] = summary.reactions.size();
  object["top_species"] = molecules_json(most_abundant_species(summary.species, kSummaryTopCount));
  const size_t top_reactions = std::min(summary.reactions.size(), kSummaryTopCount);
  object["top_reactions"] = reactions_json(
      std::vector<sim::ReactionRecord>(summary.reactions.begin(), summary.reactions.begin() + top_reactions));
  return object;
}

}  // namespace live2::worker
