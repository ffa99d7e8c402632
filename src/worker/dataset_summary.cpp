#include "worker/dataset_summary.h"

#include <algorithm>

#include "worker/replica_statistics.h"

namespace live2::worker {
namespace {

namespace json = boost::json;

json::value optional_number(const std::optional<double>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::object statistics_json(const ReplicaStatistics& statistics) {
  return {{"n", statistics.n},
          {"mean", statistics.n > 0 ? json::value(statistics.mean) : json::value(nullptr)},
          {"stddev", optional_number(statistics.stddev)},
          {"ci95_low", optional_number(statistics.ci95_low)},
          {"ci95_high", optional_number(statistics.ci95_high)}};
}

std::optional<double> number_of(const DatasetCell& cell) {
  if (const auto* value = std::get_if<int64_t>(&cell)) return static_cast<double>(*value);
  if (const auto* value = std::get_if<uint64_t>(&cell)) return static_cast<double>(*value);
  if (const auto* value = std::get_if<double>(&cell)) return *value;
  return std::nullopt;
}

}  // namespace

json::object dataset_summary_json(const std::string& dataset_id, const DatasetTable& table,
                                  const std::vector<DatasetColumn>& columns) {
  json::object runs{{"total", table.rows.size()}};
  for (std::string_view status : {kRunCompleted, kRunFailed, kRunCancelled}) {
    runs[status] = std::count_if(table.rows.begin(), table.rows.end(),
                                 [&](const DatasetRow& row) { return row.status == status; });
  }
  json::array sweep_fields;
  for (const std::string& field : table.sweep_fields) sweep_fields.emplace_back(field);
  json::array outcomes;
  for (const DatasetColumn& column : columns) {
    if (column.outcome) outcomes.push_back(json::object{{"name", column.name}, {"unit", column.unit}});
  }

  json::array points;
  const size_t replicas = static_cast<size_t>(std::max<int64_t>(1, table.replicas));
  for (size_t first = 0; first < table.rows.size(); first += replicas) {
    const size_t end = std::min(table.rows.size(), first + replicas);
    json::array run_indices;
    int64_t completed = 0;
    for (size_t r = first; r < end; ++r) {
      run_indices.emplace_back(table.rows[r].run_index);
      completed += table.rows[r].status == kRunCompleted ? 1 : 0;
    }
    json::object point_outcomes;
    for (const DatasetColumn& column : columns) {
      if (!column.outcome) continue;
      std::vector<double> samples;
      for (size_t r = first; r < end; ++r) {
        if (table.rows[r].status != kRunCompleted) continue;
        if (const std::optional<double> value = number_of(column.cells[r])) samples.push_back(*value);
      }
      point_outcomes[column.name] = statistics_json(replica_statistics(samples));
    }
    points.push_back(json::object{{"sweep", table.rows[first].sweep},
                                  {"run_indices", std::move(run_indices)},
                                  {"completed", completed},
                                  {"outcomes", std::move(point_outcomes)}});
  }
  return {{"dataset_id", dataset_id},
          {"sweep_fields", std::move(sweep_fields)},
          {"replicas", table.replicas},
          {"runs", std::move(runs)},
          {"outcomes", std::move(outcomes)},
          {"points", std::move(points)}};
}

}  // namespace live2::worker
