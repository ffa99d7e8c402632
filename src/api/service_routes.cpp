// Service endpoints: GET /health, /ready, /api/v1/openapi.json (the contract), and GET /files/{key} (signed downloads
// of local artifacts). /metrics is added by ApiService, which owns the registry.
#include <boost/json.hpp>
#include <charconv>

#include "api/json_responses.h"
#include "api/openapi_document.h"
#include "api/routes.h"
#include "api/security_headers.h"
#include "artifacts/local_artifact_store.h"

namespace live2::api {
namespace {

namespace json = boost::json;

Response health() { return json_response(200, json::object{{"status", "ok"}, {"version", LIVE2_VERSION}}); }

Response ready(ApiContext& context) {
  if (Status store = context.parts.jobs.ping(); !store) {
    return error_response(503, ErrorCode::unavailable, "job store: " + store.error().message);
  }
  if (Status executor = context.executor.readiness(); !executor) {
    return error_response(503, ErrorCode::unavailable, "executor: " + executor.error().message);
  }
  if (Status artifacts = context.parts.artifacts.readiness(); !artifacts) {
    return error_response(503, ErrorCode::unavailable, "artifact store: " + artifacts.error().message);
  }
  return json_response(200, json::object{{"status", "ready"}, {"executor", context.executor.kind()}});
}

Response openapi_document() {
  Response response;
  response.content_type = std::string(kJsonContentType);
  response.body = std::string(openapi_json());
  return response;
}

Response download(ApiContext& context, ApiCall& call) {
  const LocalArtifactStore* files = context.parts.local_downloads;
  if (!files) return error_response(404, ErrorCode::not_found, "artifacts are not served by this server");
  const std::string& key = call.param("key");
  auto expires_text = call.query_value("expires");
  auto signature = call.query_value("signature");
  int64_t expires_unix_s = 0;
  if (!expires_text || !signature ||
      std::from_chars(expires_text->data(), expires_text->data() + expires_text->size(), expires_unix_s).ec !=
          std::errc()) {
    return error_response(403, ErrorCode::forbidden, "the download link is missing its expiry or signature");
  }
  auto file = files->resolve_download(key, expires_unix_s, *signature);
  if (!file) {
    if (file.error().code == ErrorCode::unauthorized)
      return error_response(403, ErrorCode::forbidden, file.error().message);
    return error_response(file.error());
  }
  Response response;
  response.content_type = content_type_for(key.substr(key.rfind('/') + 1));
  response.file = std::move(file).value();
  response.set_header("Cache-Control", std::string(kArtifactDownloadCacheControl));
  add_artifact_download_headers(response, response.content_type);
  return response;
}

}  // namespace

void add_service_routes(Router& router, ApiContext& context) {
  ApiContext* shared = &context;
  router.add("GET", "/health", Access::public_route, [](ApiCall&) { return health(); });
  router.add("GET", "/ready", Access::public_route, [shared](ApiCall&) { return ready(*shared); });
  router.add("GET", "/api/v1/openapi.json", Access::public_route, [](ApiCall&) { return openapi_document(); });
  router.add("GET", "/files/{key...}", Access::public_route,
             [shared](ApiCall& call) { return download(*shared, call); });
}

}  // namespace live2::api
