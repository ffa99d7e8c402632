#include "artifacts/artifact_store.h"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <cctype>
#include <string_view>
#include <utility>

#include "core/run.h"

namespace live2 {

ArtifactScope default_scope_for(const Job& job) {
  return job.job_type == kDatasetJobType ? ArtifactScope{"", false} : ArtifactScope{};
}

bool is_safe_relative_key(std::string_view key) {
  if (key.empty() || key.front() == '/' || key.find('\0') != std::string_view::npos) return false;
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view part = key.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

Result<ArtifactScope> scope_under(std::string_view prefix) {
  auto invalid = [&](const std::string& why) {
    return Error::make(ErrorCode::bad_request,
                       "prefix must be a folder of the job's artifacts such as runs/3/: " + why);
  };
  if (prefix.size() > kMaxArtifactPrefixBytes)
    return invalid("longer than " + std::to_string(kMaxArtifactPrefixBytes) + " bytes");
  if (prefix.empty() || !prefix.ends_with('/')) return invalid("it must end with '/'");
  if (!is_safe_relative_key(prefix.substr(0, prefix.size() - 1))) {
    return invalid("empty, '.' and '..' parts are not allowed");
  }
  if (std::any_of(prefix.begin(), prefix.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f || c == '\\'; })) {
    return invalid("control characters and '\\' are not allowed");
  }
  return ArtifactScope{std::string(prefix), true};
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
