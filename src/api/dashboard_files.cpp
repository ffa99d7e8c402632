#include "api/dashboard_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "api/json_responses.h"
#include "base/content_type.h"

namespace live2::api {
namespace {

constexpr std::string_view kNoDashboardPage =
    "live2 is running.\n\n"
    "The web dashboard is not built (npm --prefix web ci && npm --prefix web run build, or set LIVE2_WEB_DIR).\n"
    "The REST API is at /api/v1 (docs/api.md); /health and /metrics need no key.\n"
    "Example: curl -H \"Authorization: Bearer $LIVE2_API_KEY\" http://HOST:PORT/api/v1/jobs\n";

bool inside(const std::filesystem::path& root, const std::filesystem::path& candidate) {
  auto root_it = root.begin();
  auto it = candidate.begin();
  for (; root_it != root.end(); ++root_it, ++it) {
    if (it == candidate.end() || *it != *root_it) return false;
  }
  return true;
}

}  // namespace

std::string dashboard_content_security_policy(std::string_view artifact_origin) {
  // An origin comes from the operator's settings; one that is no plain scheme://host:port could inject directives.
  const bool plain = std::all_of(artifact_origin.begin(), artifact_origin.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '/';
  });
  // The artifact origin is both an image source (the final picture) and fetched from (the run report's files).
  const std::string extra = plain && !artifact_origin.empty() ? fmt::format(" {}", artifact_origin) : "";
  return fmt::format(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:{0}; connect-src 'self'{0}; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      extra);
}

DashboardFiles::DashboardFiles(std::optional<std::filesystem::path> web_dir, std::string_view artifact_origin)
    : content_security_policy_(dashboard_content_security_policy(artifact_origin)) {
  std::error_code ec;
  if (!web_dir) return;
  auto canonical = std::filesystem::canonical(*web_dir, ec);
  if (!ec && std::filesystem::is_regular_file(canonical / "index.html", ec)) web_dir_ = canonical;
}

Response DashboardFiles::serve(std::string_view decoded_path) const {
  if (!web_dir_) {
    if (decoded_path != "/") return error_response(404, ErrorCode::not_found, "no such page; the API is at /api/v1");
    Response page;
    page.content_type = "text/plain; charset=utf-8";
    page.body = std::string(kNoDashboardPage);
    return page;
  }
  std::filesystem::path file = *web_dir_ / "index.html";
  const std::filesystem::path relative = std::filesystem::path(decoded_path).relative_path();
  if (!relative.empty()) {
    std::error_code ec;
    auto candidate = std::filesystem::weakly_canonical(*web_dir_ / relative, ec);
    if (!ec && inside(*web_dir_, candidate) && std::filesystem::is_regular_file(candidate, ec)) file = candidate;
  }
  Response response;
  response.content_type = content_type_for(file.filename().string());
  response.file = file;
  // Built assets carry a content hash in their names; index.html must be revalidated to pick up a new build.
  response.set_header("Cache-Control", file.filename() == "index.html" ? "no-cache" : "public, max-age=3600");
  response.set_header("Content-Security-Policy", content_security_policy_);
  response.set_header("Referrer-Policy", "no-referrer");
  return response;
}

}  // namespace live2::api
