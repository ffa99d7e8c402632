#include "api/security_headers.h"

#include "artifacts/artifact_store.h"

namespace live2::api {

void add_baseline_security_headers(Response& response) {
  if (!response.header("Content-Security-Policy")) {
    response.headers.emplace_back("Content-Security-Policy", kApiContentSecurityPolicy);
  }
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
}

void add_artifact_download_headers(Response& response, std::string_view content_type) {
  const bool page = content_type.substr(0, content_type.find(';')) == "text/html";
  response.set_header("Content-Security-Policy",
                      std::string(page ? kArtifactPageContentSecurityPolicy : kArtifactContentSecurityPolicy));
  response.set_header("Content-Disposition", page ? "inline" : std::string(content_disposition_for(content_type)));
  response.set_header("Referrer-Policy", "no-referrer");
}

}  // namespace live2::api
