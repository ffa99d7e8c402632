// The response headers that keep what live2 serves from acting with its origin's authority in a browser (the
// dashboard keeps its API key in that origin's sessionStorage; docs/security.md, docs/api.md):
//  - every response: `X-Content-Type-Options: nosniff`, so a JSON, text or CSV body is never sniffed into a page;
//  - a response without a policy of its own gets the API's Content-Security-Policy: it may load nothing and no page
//    may frame it;
//  - artifact downloads (/files/...) are sandboxed (an opaque origin with scripts, forms and plugins off), saved
//    rather than shown unless their type is passive (content_disposition_for), and never send a Referer. An HTML
//    artifact (the worker's report.html) is shown, in the same sandbox: no script runs and nothing is fetched, only
//    its inline styles and data: images apply.
// The dashboard's own policy is built by DashboardFiles. Static strings only: this runs on every request.
// Stateless; thread-safe.
#pragma once

#include <string_view>

#include "api/http_message.h"

namespace live2::api {

inline constexpr std::string_view kApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
inline constexpr std::string_view kArtifactContentSecurityPolicy =
    "sandbox; default-src 'none'; frame-ancestors 'none'";
inline constexpr std::string_view kArtifactPageContentSecurityPolicy =
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

// nosniff, and kApiContentSecurityPolicy unless the response already has a Content-Security-Policy.
void add_baseline_security_headers(Response& response);

// The sandboxing policy, the Content-Disposition for `content_type` (inline for HTML, under the page policy) and
// `Referrer-Policy: no-referrer`.
void add_artifact_download_headers(Response& response, std::string_view content_type);

}  // namespace live2::api
