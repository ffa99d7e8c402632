#include "api/metrics_table.h"

#include <boost/json.hpp>

#include <charconv>
#include <vector>

namespace live2::api {
namespace {

namespace json = boost::json;

std::vector<std::string_view> split_cells(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    cells.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return cells;
    start = comma + 1;
  }
}

json::value cell_value(std::string_view cell) {
  const char* begin = cell.data();
  const char* end = cell.data() + cell.size();
  int64_t integer = 0;
  if (auto [stop, ec] = std::from_chars(begin, end, integer); ec == std::errc() && stop == end) return integer;
  double number = 0;
  if (auto [stop, ec] = std::from_chars(begin, end, number); ec == std::errc() && stop == end) return number;
  return json::string(cell);
}

}  // namespace

Result<json::object> metrics_csv_to_json(std::string_view job_id, std::string_view csv_text) {
  json::array columns;
  json::array rows;
  size_t column_count = 0;
  size_t line_number = 0;
  size_t start = 0;
  while (start < csv_text.size()) {
    size_t end = csv_text.find('\n', start);
    if (end == std::string_view::npos) end = csv_text.size();
    std::string_view line = csv_text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    ++line_number;
    const auto cells = split_cells(line);
    if (line_number == 1) {
      for (auto cell : cells) columns.emplace_back(json::string(cell));
      column_count = cells.size();
      continue;
    }
    if (cells.size() != column_count) {
      return Error::make(ErrorCode::invalid_metrics, "metrics.csv row " + std::to_string(line_number) + " has " +
                                                         std::to_string(cells.size()) + " cells, the header has " +
                                                         std::to_string(column_count));
    }
    json::array row;
    row.reserve(cells.size());
    for (auto cell : cells) row.push_back(cell_value(cell));
    rows.emplace_back(std::move(row));
  }
  if (columns.empty()) return Error::make(ErrorCode::invalid_metrics, "metrics.csv has no header row");
  return json::object{{"job_id", job_id}, {"columns", std::move(columns)}, {"rows", std::move(rows)}};
}

}  // namespace live2::api
