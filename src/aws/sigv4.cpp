#include "aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "base/hashing.h"

namespace live2::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &size);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trims and collapses every run of whitespace (including folded header lines) into one space.
std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

struct CanonicalHeaders {
  std::string block;           // "name:value\n" lines
  std::string signed_headers;  // "a;b;c"
};

CanonicalHeaders canonicalize_headers(const std::vector<HttpHeader>& headers) {
  std::map<std::string, std::string> merged;  // sorted by lowercase name; repeated headers joined with ','
  for (const HttpHeader& header : headers) {
    std::string& value = merged[lowercase(header.name)];
    if (!value.empty()) value.push_back(',');
    value += canonical_header_value(header.value);
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : merged) {
    out.block += name + ":" + value + "\n";
    if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
    out.signed_headers += name;
  }
  return out;
}

void set_header(std::vector<HttpHeader>& headers, std::string name, std::string value) {
  const std::string key = lowercase(name);
  std::erase_if(headers, [&](const HttpHeader& header) { return lowercase(header.name) == key; });
  headers.push_back({std::move(name), std::move(value)});
}

std::string credential_scope(const SigningOptions& options) {
  return amz_date(options.time_ms).substr(0, 8) + "/" + options.region + "/" + options.service + "/aws4_request";
}

SignatureParts finish_signature(const SignableRequest& request, const CanonicalHeaders& headers,
                                const AwsCredentials& credentials, const SigningOptions& options) {
  SignatureParts parts;
  parts.canonical_request = request.method + "\n" + canonical_path(request.path, options.normalize_path) + "\n" +
                            canonical_query_string(request.query) + "\n" + headers.block + "\n" +
                            headers.signed_headers + "\n" + request.payload_sha256;
  const std::string date_time = amz_date(options.time_ms);
  parts.string_to_sign = std::string(kAlgorithm) + "\n" + date_time + "\n" + credential_scope(options) + "\n" +
                         sha256_hex(parts.canonical_request);
  std::string key = hmac_sha256("AWS4" + credentials.secret_access_key, date_time.substr(0, 8));
  key = hmac_sha256(key, options.region);
  key = hmac_sha256(key, options.service);
  key = hmac_sha256(key, "aws4_request");
  const std::string signature = hmac_sha256(key, parts.string_to_sign);
  parts.signature = hex_encode(signature);
  return parts;
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xf]);
    }
  }
  return out;
}

std::string canonical_path(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  if (!normalize) return uri_encode(path, true);
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out += uri_encode(segments[i], false);
  }
  if (!segments.empty() && path.back() == '/') out.push_back('/');
  return out;
}

std::string canonical_query_string(const QueryParameters& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) encoded.emplace_back(uri_encode(name, false), uri_encode(value, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name + "=" + value;
  }
  return out;
}

std::string amz_date(int64_t time_ms) {
  const std::time_t seconds = static_cast<std::time_t>(time_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[17];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

SignatureParts sign_request_headers(SignableRequest& request, const AwsCredentials& credentials,
                                    const SigningOptions& options) {
  set_header(request.headers, "X-Amz-Date", amz_date(options.time_ms));
  if (options.add_content_sha256_header) set_header(request.headers, "x-amz-content-sha256", request.payload_sha256);
  const bool has_token = !credentials.session_token.empty();
  if (has_token && !options.omit_session_token) {
    set_header(request.headers, "X-Amz-Security-Token", credentials.session_token);
  }
  std::erase_if(request.headers, [](const HttpHeader& header) { return lowercase(header.name) == "authorization"; });
  const CanonicalHeaders headers = canonicalize_headers(request.headers);
  SignatureParts parts = finish_signature(request, headers, credentials, options);
  request.headers.push_back({"Authorization", std::string(kAlgorithm) + " Credential=" +
                                                  credentials.access_key_id + "/" + credential_scope(options) +
                                                  ", SignedHeaders=" + headers.signed_headers +
                                                  ", Signature=" + parts.signature});
  if (has_token && options.omit_session_token) {
    set_header(request.headers, "X-Amz-Security-Token", credentials.session_token);
  }
  return parts;
}

SignatureParts presign_request_query(SignableRequest& request, const AwsCredentials& credentials,
                                     const SigningOptions& options, int64_t expires_s) {
  const CanonicalHeaders headers = canonicalize_headers(request.headers);
  request.query.emplace_back("X-Amz-Algorithm", std::string(kAlgorithm));
  request.query.emplace_back("X-Amz-Credential", credentials.access_key_id + "/" + credential_scope(options));
  request.query.emplace_back("X-Amz-Date", amz_date(options.time_ms));
  request.query.emplace_back("X-Amz-Expires", std::to_string(expires_s));
  request.query.emplace_back("X-Amz-SignedHeaders", headers.signed_headers);
  const bool has_token = !credentials.session_token.empty();
  if (has_token && !options.omit_session_token) request.query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  SignatureParts parts = finish_signature(request, headers, credentials, options);
  if (has_token && options.omit_session_token) request.query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  return parts;
}

std::string presigned_url(const std::string& base_url, const SignableRequest& request, const SignatureParts& parts,
                          bool normalize_path) {
  return base_url + canonical_path(request.path, normalize_path) + "?" + canonical_query_string(request.query) +
         "&X-Amz-Signature=" + parts.signature;
}

}  // namespace live2::aws
