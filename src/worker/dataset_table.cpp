#include "worker/dataset_table.h"

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "worker/atomic_file.h"
#include "worker/table_csv_reader.h"
#include "worker/worker_contract.h"

namespace live2::worker {
namespace {

namespace json = boost::json;


std::optional<json::value> read_json_file(const std::filesystem::path& file) {
  const std::optional<std::string> text = read_text_file(file);
  if (!text) return std::nullopt;
  boost::system::error_code error;
  json::value value = json::parse(*text, error);
  if (error) return std::nullopt;
  return value;
}

// dataset_runs.json: {"runs": [{"index": 0, "status": "failed", "error": "..." | null}, ...]}: each run's status
// (its error is the runs' own business: GET .../runs shows it).
OutputResult<std::map<int64_t, std::string>> read_run_endings(ArtifactSink& sink,
                                                              const std::filesystem::path& work_dir) {
  std::map<int64_t, std::string> endings;
  const std::filesystem::path file = work_dir / artifact::kDatasetRuns;
  if (!sink.fetch(artifact::kDatasetRuns, file)) return endings;
  const auto malformed = [](const std::string& why) {
    return OutputStatus::failure(fmt::format("{}: {}", artifact::kDatasetRuns, why));
  };
  const std::optional<json::value> document = read_json_file(file);
  if (!document) return malformed("cannot be read as JSON");
  const json::value* runs = document->is_object() ? document->get_object().if_contains("runs") : nullptr;
  if (!runs || !runs->is_array()) return malformed("has no \"runs\" array");
  for (const json::value& entry : runs->get_array()) {
    const json::object* object = entry.if_object();
    const json::value* index = object ? object->if_contains("index") : nullptr;
    const json::value* status = object ? object->if_contains("status") : nullptr;
    if (!index || !index->is_int64() || !status || !status->is_string()) {
      return malformed("every entry needs an integer \"index\" and a string \"status\"");
    }
    const std::string_view text = status->get_string();
    if (text != kRunCompleted && text != kRunFailed && text != kRunCancelled) {
      return malformed(fmt::format("unknown status \"{}\"", text));
    }
    endings[index->get_int64()] = std::string(text);
  }
  return endings;
}

std::optional<int64_t> int64_field(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64() && value->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(value->get_uint64());
  }
  return std::nullopt;
}

std::string_view hill_formula_of(std::string_view key) { return key.substr(0, key.find('#')); }

// Reads the completed run's outcomes into `row`; the sentence saying what is missing otherwise.
OutputStatus read_outcomes(ArtifactSink& sink, const std::filesystem::path& run_dir, DatasetRow& row) {
  const std::string summary_name = run_artifact(row.run_index, artifact::kSummary);
  const std::string counts_name = run_artifact(row.run_index, artifact::kSpeciesCountsCsv);
  if (!sink.fetch(summary_name, run_dir / artifact::kSummary)) {
    return OutputStatus::failure(summary_name + " is missing");
  }
  const std::optional<json::value> summary = read_json_file(run_dir / artifact::kSummary);
  const json::value* final_metrics =
      summary && summary->is_object() ? summary->get_object().if_contains("final_metrics") : nullptr;
  const json::value* runtime = summary && summary->is_object() ? summary->get_object().if_contains("runtime_seconds")
                                                               : nullptr;
  if (!final_metrics || !final_metrics->is_object() || !runtime || !runtime->is_number()) {
    return OutputStatus::failure(summary_name + " has no final_metrics or runtime_seconds");
  }
  row.final_molecules = int64_field(final_metrics->get_object(), "n_molecules");
  row.species = int64_field(final_metrics->get_object(), "n_species");
  row.bonds = int64_field(final_metrics->get_object(), "n_bonds");
  row.runtime_s = runtime->to_number<double>();
  if (!row.final_molecules || !row.species || !row.bonds) {
    return OutputStatus::failure(summary_name + ": final_metrics lacks n_molecules, n_species or n_bonds");
  }

  if (!sink.fetch(counts_name, run_dir / artifact::kSpeciesCountsCsv)) {
    return OutputStatus::failure(counts_name + " is missing");
  }
  const std::optional<std::string> counts_text = read_text_file(run_dir / artifact::kSpeciesCountsCsv);
  if (!counts_text) return OutputStatus::failure(counts_name + " cannot be read");
  OutputResult<std::vector<sim::SpeciesCountRecord>> counts = parse_species_counts_csv(*counts_text);
  if (!counts) return OutputStatus::failure("runs/" + std::to_string(row.run_index) + "/" + counts.message());
  int64_t last_step = -1;
  for (const sim::SpeciesCountRecord& record : counts.value()) last_step = std::max(last_step, record.step);
  for (const sim::SpeciesCountRecord& record : counts.value()) {
    if (record.step == last_step) row.final_counts[record.key] += record.count;
    if (record.count <= 0) continue;
    const std::string_view formula = hill_formula_of(record.key);
    for (const NamedSpecies& named : kNamedSpecies) {
      if (formula != named.hill) continue;
      auto [it, inserted] = row.first_steps.emplace(std::string(named.name), record.step);
      if (!inserted) it->second = std::min(it->second, record.step);
    }
  }
  // dataset.h5 carries each completed run's metrics: a run without readable ones is not counted as completed.
  const std::string metrics_name = run_artifact(row.run_index, artifact::kMetricsCsv);
  if (!sink.fetch(metrics_name, run_dir / artifact::kMetricsCsv)) return OutputStatus::failure(metrics_name + " is missing");
  const std::optional<std::string> metrics_text = read_text_file(run_dir / artifact::kMetricsCsv);
  if (!metrics_text) return OutputStatus::failure(metrics_name + " cannot be read");
  if (OutputResult<std::vector<sim::MetricsRow>> metrics = parse_metrics_csv(*metrics_text); !metrics) {
    return OutputStatus::failure("runs/" + std::to_string(row.run_index) + "/" + metrics.message());
  }
  return {};
}

std::vector<std::string> most_abundant(const std::vector<DatasetRow>& rows) {
  std::map<std::string, int64_t> totals;
  for (const DatasetRow& row : rows) {
    for (const auto& [key, count] : row.final_counts) totals[key] += count;
  }
  std::vector<std::pair<std::string, int64_t>> ranked(totals.begin(), totals.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> keys;
  for (size_t i = 0; i < ranked.size() && i < kDatasetTopSpecies; ++i) keys.push_back(ranked[i].first);
  return keys;
}

}  // namespace

std::string run_artifact(int64_t index, std::string_view name) {
  return fmt::format("{}/{}/{}", artifact::kRunsDirectory, index, name);
}

OutputResult<DatasetTable> read_dataset_table(const DatasetPlan& plan, ArtifactSink& sink,
                                              const std::filesystem::path& work_dir) {
  OutputResult<std::map<int64_t, std::string>> endings = read_run_endings(sink, work_dir);
  if (!endings) return endings.status();
  DatasetTable table;
  table.sweep_fields = plan.sweep_fields;
  table.replicas = plan.replicas;
  table.rows.reserve(plan.runs.size());
  for (const PlannedRun& run : plan.runs) {
    DatasetRow row;
    row.run_index = run.index;
    row.seed = run.seed;
    row.sweep = json::parse(run.sweep_json).as_object();
    const std::filesystem::path run_dir = work_dir / artifact::kRunsDirectory / std::to_string(run.index);
    const auto ending = endings.value().find(run.index);
    if (sink.fetch(run_artifact(run.index, artifact::kMetadata), run_dir / artifact::kMetadata)) {
      row.status = kRunCompleted;
      if (OutputStatus read = read_outcomes(sink, run_dir, row); !read) {
        DatasetRow failed;
        failed.run_index = run.index;
        failed.seed = run.seed;
        failed.sweep = std::move(row.sweep);
        failed.status = kRunFailed;
        failed.damage = read.message();
        row = std::move(failed);
      }
    } else if (ending != endings.value().end() && ending->second != kRunCompleted) {
      row.status = ending->second;
    } else {
      row.status = kRunFailed;
    }
    table.rows.push_back(std::move(row));
  }
  table.top_species = most_abundant(table.rows);
  return table;
}

}  // namespace live2::worker
