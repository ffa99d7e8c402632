#include "worker/dataset_csv.h"

#include <fmt/format.h>

namespace live2::worker {
namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string cell_text(const DatasetCell& cell) {
  return std::visit(
      [](const auto& value) -> std::string {
        using Value = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<Value, std::monostate>) {
          return "";
        } else if constexpr (std::is_same_v<Value, std::string>) {
          return csv_field(value);
        } else {
          return fmt::format("{}", value);
        }
      },
      cell);
}

}  // namespace

std::string dataset_csv(const std::vector<DatasetColumn>& columns) {
  std::string text;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) text += ',';
    text += csv_field(columns[c].name);
  }
  text += '\n';
  const size_t rows = columns.empty() ? 0 : columns.front().cells.size();
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) text += ',';
      text += cell_text(columns[c].cells[r]);
    }
    text += '\n';
  }
  return text;
}

}  // namespace live2::worker
