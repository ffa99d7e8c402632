#include "artifacts/artifact_store.h"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <cctype>
#include <string_view>
#include <utility>

namespace live2 {

std::string content_type_for(const std::string& name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kByExtension{{
      {".h5", "application/x-hdf5"},
      {".json", "application/json"},
      {".csv", "text/csv; charset=utf-8"},
      {".log", "text/plain; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".png", "image/png"},
      {".svg", "image/svg+xml"},
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
  }};
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& [extension, type] : kByExtension) {
    if (lower.ends_with(extension)) return std::string(type);
  }
  return "application/octet-stream";
}

std::string_view content_disposition_for(std::string_view content_type) {
  static constexpr std::array<std::string_view, 4> kPassiveTypes{"image/png", "application/json", "text/csv",
                                                                 "text/plain"};
  const std::string_view media_type = content_type.substr(0, content_type.find(';'));
  const bool passive = std::find(kPassiveTypes.begin(), kPassiveTypes.end(), media_type) != kPassiveTypes.end();
  return passive ? "inline" : "attachment";
}

std::string origin_of(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) return {};
  return std::string(parsed->scheme()) + "://" + std::string(parsed->encoded_host_and_port());
}

}  // namespace live2
