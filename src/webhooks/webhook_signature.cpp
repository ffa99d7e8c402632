#include "webhooks/webhook_signature.h"

#include <boost/json.hpp>
#include <charconv>

#include "base/hashing.h"
#include "base/json_text.h"
#include "base/time_format.h"

namespace live2::webhooks {
namespace {

std::string signed_text(int64_t unix_s, std::string_view raw_body) {
  std::string text = std::to_string(unix_s);
  text.push_back('.');
  text.append(raw_body);
  return text;
}

}  // namespace

std::string webhook_signature_header(std::string_view secret, int64_t unix_s, std::string_view raw_body) {
  return "t=" + std::to_string(unix_s) + ",v1=" + hmac_sha256_hex(secret, signed_text(unix_s, raw_body));
}

bool verify_webhook_signature(std::string_view secret, std::string_view header, std::string_view raw_body,
                              int64_t now_unix_s, int64_t tolerance_s) {
  std::optional<int64_t> timestamp;
  std::string_view signature;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    const std::string_view part = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (part.starts_with("t=")) {
      int64_t value = 0;
      const std::string_view digits = part.substr(2);
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (error == std::errc() && end == digits.data() + digits.size()) timestamp = value;
    } else if (part.starts_with("v1=")) {
      signature = part.substr(3);
    }
  }
  if (!timestamp || signature.empty()) return false;
  if (*timestamp < now_unix_s - tolerance_s || *timestamp > now_unix_s + tolerance_s) return false;
  return constant_time_equals(signature, hmac_sha256_hex(secret, signed_text(*timestamp, raw_body)));
}

Result<std::string> webhook_body(const WebhookDelivery& delivery, int64_t now_ms) {
  boost::system::error_code error;
  boost::json::value job = boost::json::parse(delivery.payload_json, error);
  if (error) return Error::make(ErrorCode::corrupt_payload, "the stored job object is not JSON: " + error.message());
  boost::json::object body;
  body["event"] = delivery.event;
  body["job"] = std::move(job);
  body["delivered_at"] = format_iso8601_ms(now_ms);
  return json_text(body);
}

}  // namespace live2::webhooks
