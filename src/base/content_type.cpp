#include "base/content_type.h"

#include <array>
#include <utility>

namespace live2 {
namespace {

bool ends_with_ignoring_case(std::string_view text, std::string_view lowercase_suffix) {
  if (text.size() < lowercase_suffix.size()) return false;
  const std::string_view tail = text.substr(text.size() - lowercase_suffix.size());
  for (size_t i = 0; i < tail.size(); ++i) {
    const char c = tail[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != lowercase_suffix[i]) return false;
  }
  return true;
}

}  // namespace

std::string content_type_for(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kByExtension{{
      {".h5", "application/x-hdf5"},
      {".json", "application/json"},
      {".csv", "text/csv; charset=utf-8"},
      {".log", "text/plain; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".png", "image/png"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".wasm", "application/wasm"},
  }};
  for (const auto& [extension, type] : kByExtension) {
    if (ends_with_ignoring_case(file_name, extension)) return std::string(type);
  }
  return "application/octet-stream";
}

}  // namespace live2
