#include "artifacts/artifact_store.h"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <cctype>
#include <string_view>
#include <utility>

namespace live2 {

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
