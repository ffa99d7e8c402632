#include "artifacts/artifact_store.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <utility>

namespace live2 {

std::string content_type_for(const std::string& name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kByExtension{{
      {".h5", "application/x-hdf5"},
      {".json", "application/json"},
      {".csv", "text/csv; charset=utf-8"},
      {".log", "text/plain; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".png", "image/png"},
      {".svg", "image/svg+xml"},
  }};
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& [extension, type] : kByExtension) {
    if (lower.ends_with(extension)) return std::string(type);
  }
  return "application/octet-stream";
}

}  // namespace live2
