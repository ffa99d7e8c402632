#include "aws/aws_client.h"

#include <boost/url/parse.hpp>

#include <algorithm>

#include "aws/aws_error.h"
#include "base/hashing.h"
#include "base/time_format.h"

namespace live2::aws {
namespace {

std::string host_of(const std::string& base_url) {
  auto url = boost::urls::parse_uri(base_url);
  if (!url) return {};
  return std::string(url->encoded_host_and_port());
}

std::string wire_url(const std::string& base_url, const SignableRequest& request, bool normalize_path) {
  std::string url = base_url;
  url += canonical_path(request.path, normalize_path);
  if (!request.query.empty()) {
    url += '?';
    url += canonical_query_string(request.query);
  }
  return url;
}

}  // namespace

AwsClient::AwsClient(ServiceDescription service, AwsClientOptions options, const Environment& environment,
                     AwsContext context)
    : service_(std::move(service)),
      options_(std::move(options)),
      endpoint_(resolve_endpoint(service_.service_id, service_.endpoint_prefix, options_.region, environment)),
      context_(context),
      rate_limiter_(context.clock, context.sleeper, options_.rate_limit) {}

SigningOptions AwsClient::signing_options() const {
  SigningOptions signing;
  signing.region = options_.region;
  signing.service = service_.signing_name;
  signing.time_ms = context_.clock.now_ms() + clock_offset_ms_.load();
  signing.normalize_path = !service_.is_s3;
  signing.add_content_sha256_header = service_.is_s3;
  return signing;
}

SignableRequest AwsClient::signable(const AwsRequest& request, const std::string& base_url) const {
  SignableRequest signable{request.method, request.path, request.query, request.headers, {}};
  signable.headers.push_back({"Host", host_of(base_url)});
  return signable;
}

Result<HttpResponse> AwsClient::send_once(const AwsRequest& request) {
  Result<AwsCredentials> credentials = context_.credentials.get();
  if (!credentials.ok()) return credentials.error();
  const std::string& base_url = request.endpoint.empty() ? endpoint_.url : request.endpoint;
  SignableRequest signed_request = signable(request, base_url);
  signed_request.payload_sha256 = sha256_hex(request.body.view());
  const SigningOptions signing = signing_options();
  sign_request_headers(signed_request, *credentials, signing);

  HttpRequest http{request.method, wire_url(base_url, signed_request, signing.normalize_path),
                   std::move(signed_request.headers), request.body, request.response_file, request.timeout_ms,
                   !request.idempotent};
  Result<HttpResponse> response = context_.http.send(http);
  if (!response.ok()) return response;
  if (response->status >= 200 && response->status < 300) return response;
  Error error = error_from_response(*response);
  if (is_clock_skew(error)) {
    if (std::optional<int64_t> service_ms = parse_http_date_ms(response->header("Date"))) {
      clock_offset_ms_ = *service_ms - context_.clock.now_ms();
    }
  }
  return error;
}

Result<HttpResponse> AwsClient::send(const AwsRequest& request) {
  bool refreshed_credentials = false;
  bool corrected_clock = false;
  for (int attempt = 1;; ++attempt) {
    rate_limiter_.acquire(request.priority);
    Result<HttpResponse> response = send_once(request);
    if (response.ok()) {
      rate_limiter_.on_success();
      return response;
    }
    const Error& error = response.error();
    // Expired credentials are refused before anything runs: fresh ones, and the same request again, once.
    if (is_expired_credentials(error) && !refreshed_credentials) {
      refreshed_credentials = true;
      context_.credentials.invalidate();
      continue;
    }
    // A refused signature time is corrected from the answer's Date (send_once): the same request again, once.
    if (is_clock_skew(error) && !corrected_clock) {
      corrected_clock = true;
      continue;
    }
    if (is_throttling(error)) rate_limiter_.on_throttled();
    if (attempt >= options_.retry.max_attempts || !is_retryable(error, request.idempotent)) return response;
    context_.sleeper.sleep_ms(backoff_delay_ms(options_.retry, attempt, context_.random));
  }
}

Result<PresignedUrl> AwsClient::presign(const AwsRequest& request, int64_t expires_s) {
  Result<AwsCredentials> credentials = context_.credentials.get();
  if (!credentials.ok()) return credentials.error();
  SigningOptions signing = signing_options();
  int64_t lifetime_s = expires_s;
  if (credentials->expires_at_ms) {
    lifetime_s = std::min(lifetime_s, (*credentials->expires_at_ms - signing.time_ms) / 1000);
  }
  if (lifetime_s <= 0) return Error::make(ErrorCode::credentials_error, "the signing credentials have expired");
  const std::string& base_url = request.endpoint.empty() ? endpoint_.url : request.endpoint;
  SignableRequest signed_request = signable(request, base_url);
  signed_request.payload_sha256 = service_.is_s3 ? std::string(kUnsignedPayload) : sha256_hex(request.body.view());
  signing.add_content_sha256_header = false;
  const SignatureParts parts = presign_request_query(signed_request, *credentials, signing, lifetime_s);
  return PresignedUrl{presigned_url(base_url, signed_request, parts, signing.normalize_path), lifetime_s};
}

}  // namespace live2::aws
