#include "worker/table_csv_reader.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <string>
#include <type_traits>

#include "worker/table_columns.h"

namespace live2::worker {
namespace {

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    fields.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

template <typename Value>
bool parse_value(std::string_view text, Value& value) {
  if constexpr (std::is_same_v<Value, std::string>) {
    value = std::string(text);
    return true;
  } else {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
  }
}

template <typename Row>
OutputResult<std::vector<Row>> parse_table(std::string_view text, const std::vector<TableColumn<Row>>& columns,
                                           const char* table) {
  std::vector<Row> rows;
  // The position of each column in the file's lines.
  std::vector<size_t> positions;
  size_t line_number = 0;
  size_t field_count = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_number;
    if (line.empty()) continue;
    const std::vector<std::string_view> fields = split_fields(line);
    if (positions.empty()) {
      for (const TableColumn<Row>& column : columns) {
        size_t position = 0;
        while (position < fields.size() && fields[position] != column.name) ++position;
        if (position == fields.size()) {
          return OutputStatus::failure(fmt::format("{}: no column {}", table, column.name));
        }
        positions.push_back(position);
      }
      field_count = fields.size();
      continue;
    }
    if (fields.size() != field_count) {
      return OutputStatus::failure(fmt::format("{}: line {} has {} fields, the header {}", table, line_number,
                                               fields.size(), field_count));
    }
    Row row{};
    for (size_t c = 0; c < columns.size(); ++c) {
      const bool parsed =
          std::visit([&](auto member) { return parse_value(fields[positions[c]], row.*member); }, columns[c].member);
      if (!parsed) {
        return OutputStatus::failure(
            fmt::format("{}: line {}: {} is not a valid {}", table, line_number, fields[positions[c]], columns[c].name));
      }
    }
    rows.push_back(std::move(row));
  }
  if (positions.empty()) return OutputStatus::failure(fmt::format("{}: no header", table));
  return rows;
}

}  // namespace

OutputResult<std::vector<sim::MetricsRow>> parse_metrics_csv(std::string_view text) {
  return parse_table(text, metrics_columns(), "metrics.csv");
}

OutputResult<std::vector<sim::SpeciesCountRecord>> parse_species_counts_csv(std::string_view text) {
  return parse_table(text, species_count_columns(), "species_counts.csv");
}

}  // namespace live2::worker
