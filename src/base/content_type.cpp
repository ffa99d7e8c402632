#include "base/content_type.h"

#include <boost/algorithm/string/predicate.hpp>

#include <array>
#include <utility>

namespace live2 {

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
    if (boost::algorithm::iends_with(file_name, extension)) return std::string(type);
  }
  return "application/octet-stream";
}

}  // namespace live2
