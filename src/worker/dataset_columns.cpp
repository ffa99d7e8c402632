#include "worker/dataset_columns.h"

#include <fmt/format.h>

#include "sim/units.h"

namespace live2::worker {
namespace {

namespace json = boost::json;

DatasetCell sweep_cell(const json::value* value) {
  if (!value) return std::monostate{};
  if (value->is_number()) return value->to_number<double>();
  if (value->is_bool()) return std::string(value->get_bool() ? "true" : "false");
  if (value->is_string()) return std::string(value->get_string());
  return std::monostate{};
}

template <typename Value>
DatasetCell optional_cell(const std::optional<Value>& value) {
  if (!value) return std::monostate{};
  return *value;
}

}  // namespace

std::string sweep_field_unit(const std::string& field) {
  if (field == "temperature" || field.ends_with(".temperature")) return "K";
  if (field == "dt_fs") return "fs";
  if (field == "density") return "1/(" + sim::unit_text(sim::Quantity::length) + ")^2";
  if (field == "friction" || field == "attempt_rate") return "1/(" + sim::unit_text(sim::Quantity::time) + ")";
  if (field.ends_with(".period")) return sim::unit_text(sim::Quantity::time);
  return sim::unit_text(sim::Quantity::number);
}

std::vector<DatasetColumn> dataset_columns(const DatasetTable& table) {
  const std::string number = sim::unit_text(sim::Quantity::number);
  std::vector<DatasetColumn> columns;
  const auto add = [&](std::string name, std::string unit, bool outcome, auto cell_of) {
    DatasetColumn column{std::move(name), std::move(unit), outcome, false, {}};
    column.cells.reserve(table.rows.size());
    for (const DatasetRow& row : table.rows) {
      column.cells.push_back(cell_of(row));
      column.text = column.text || std::holds_alternative<std::string>(column.cells.back());
    }
    columns.push_back(std::move(column));
  };
  add("run_index", number, false, [](const DatasetRow& row) -> DatasetCell { return row.run_index; });
  for (const std::string& field : table.sweep_fields) {
    add(field, sweep_field_unit(field), false,
        [&](const DatasetRow& row) { return sweep_cell(row.sweep.if_contains(field)); });
  }
  add("seed", number, false, [](const DatasetRow& row) -> DatasetCell { return row.seed; });
  add("status", "", false, [](const DatasetRow& row) -> DatasetCell { return row.status; });
  add("final_molecules", number, true, [](const DatasetRow& row) { return optional_cell(row.final_molecules); });
  add("species", number, true, [](const DatasetRow& row) { return optional_cell(row.species); });
  add("bonds", number, true, [](const DatasetRow& row) { return optional_cell(row.bonds); });
  for (const std::string& key : table.top_species) {
    add("count_" + key, number, true, [&](const DatasetRow& row) -> DatasetCell {
      if (row.status != kRunCompleted) return std::monostate{};
      const auto it = row.final_counts.find(key);
      return it == row.final_counts.end() ? int64_t{0} : it->second;
    });
  }
  for (const NamedSpecies& named : kNamedSpecies) {
    const std::string name(named.name);
    add("first_step_" + name, number, true, [&](const DatasetRow& row) -> DatasetCell {
      const auto it = row.first_steps.find(name);
      if (it == row.first_steps.end()) return std::monostate{};
      return it->second;
    });
  }
  add("runtime_s", "s", true, [](const DatasetRow& row) { return optional_cell(row.runtime_s); });
  // A swept field with mixed values (numbers and text) is text throughout.
  for (DatasetColumn& column : columns) {
    if (!column.text) continue;
    for (DatasetCell& cell : column.cells) {
      if (const double* value = std::get_if<double>(&cell)) cell = fmt::format("{}", *value);
    }
  }
  return columns;
}

}  // namespace live2::worker
