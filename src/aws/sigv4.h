// AWS Signature Version 4: signs a request with the Authorization header or as a presigned URL (query parameters).
// Pure functions of (request, credentials, options): no clock, no I/O, so the official test suite can drive them.
// Conventions the callers rely on:
//  - `path` is NOT percent-encoded ("/bucket/a b.txt"); the signer encodes it once (RFC 3986 unreserved kept, '/'
//    kept), which is both the S3 rule and what every other live2 path needs (they hold only unreserved characters).
//  - `query` holds decoded names and values; the canonical (sorted, encoded) query string is also the wire form.
//  - `normalize_path` removes "." / ".." segments and repeated slashes (every service but S3).
//  - `payload_sha256` is the hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" (S3 presigned URLs, streamed bodies).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "base/http_transport.h"

namespace live2::aws {

using HttpHeader = live2::HttpHeader;

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

struct SignableRequest {
  std::string method;
  std::string path;
  QueryParameters query;
  std::vector<HttpHeader> headers;  // must contain Host
  std::string payload_sha256;
};

struct SigningOptions {
  std::string region;
  std::string service;
  int64_t time_ms = 0;
  bool normalize_path = true;
  bool add_content_sha256_header = false;  // S3 header signing: sends and signs x-amz-content-sha256
  bool omit_session_token = false;         // token added after signing (a few services want it so)
};

// The intermediate results, exposed so tests can compare them with the suite byte for byte.
struct SignatureParts {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
};

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// Adds X-Amz-Date, x-amz-content-sha256 (when asked), X-Amz-Security-Token and Authorization to request.headers
// (replacing earlier values of those headers).
SignatureParts sign_request_headers(SignableRequest& request, const AwsCredentials& credentials,
                                    const SigningOptions& options);

// Adds X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders and -Security-Token to request.query and
// returns the signature; presigned_url() then appends X-Amz-Signature last, as the AWS SDKs print it.
// Signed headers are the request's own headers.
SignatureParts presign_request_query(SignableRequest& request, const AwsCredentials& credentials,
                                     const SigningOptions& options, int64_t expires_s);
// `base_url` is scheme://host[:port]; the result is what a browser or curl can GET.
std::string presigned_url(const std::string& base_url, const SignableRequest& request, const SignatureParts& parts,
                          bool normalize_path);

// Building blocks, public because the HTTP layer must put exactly the signed bytes on the wire.
std::string uri_encode(std::string_view text, bool keep_slash);
std::string canonical_path(std::string_view path, bool normalize);
std::string canonical_query_string(const QueryParameters& query);
std::string amz_date(int64_t time_ms);  // 20150830T123600Z

}  // namespace live2::aws
