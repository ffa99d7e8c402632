#include "api/http_framing.h"

#include <algorithm>
#include <span>

namespace live2::api {
namespace {

std::string_view trim_whitespace(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool equals_ignoring_case(std::string_view text, std::string_view lower_case) {
  return std::equal(text.begin(), text.end(), lower_case.begin(), lower_case.end(), [](char a, char b) {
    return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
  });
}

// The codings of every Transfer-Encoding field in order; empty list elements are skipped (RFC 9110 section 5.6.1).
std::vector<std::string_view> transfer_codings(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::string_view> codings;
  for (const auto& [name, value] : headers) {
    if (name != "transfer-encoding") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto coding = trim_whitespace(rest.substr(0, comma));
      if (!coding.empty()) codings.push_back(coding);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return codings;
}

Error bad_framing(std::string message) { return Error::make(ErrorCode::bad_request, std::move(message)); }

}  // namespace

Status check_request_framing(unsigned http_version, const std::vector<std::pair<std::string, std::string>>& headers) {
  const bool has_transfer_encoding =
      std::any_of(headers.begin(), headers.end(), [](const auto& field) { return field.first == "transfer-encoding"; });
  const auto content_lengths =
      std::count_if(headers.begin(), headers.end(), [](const auto& field) { return field.first == "content-length"; });
  if (has_transfer_encoding) {
    if (http_version < 11) return bad_framing("Transfer-Encoding is not allowed in an HTTP/1.0 request");
    if (content_lengths > 0) return bad_framing("a request must not have both Transfer-Encoding and Content-Length");
    const auto codings = transfer_codings(headers);
    if (codings.empty() || !equals_ignoring_case(codings.back(), "chunked")) {
      return bad_framing("chunked must be the final transfer coding of a request");
    }
    const auto before_final = std::span(codings).first(codings.size() - 1);
    if (std::any_of(before_final.begin(), before_final.end(),
                    [](std::string_view coding) { return equals_ignoring_case(coding, "chunked"); })) {
      return bad_framing("chunked may be applied only once");
    }
    if (!before_final.empty()) {
      return Error::make(ErrorCode::not_implemented, "the only transfer coding this server accepts is chunked");
    }
    return Status::success();
  }
  if (content_lengths > 1) return bad_framing("a request must not have more than one Content-Length");
  for (const auto& [name, value] : headers) {
    if (name == "content-length" &&
        (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
      return bad_framing("Content-Length must be one decimal number");
    }
  }
  return Status::success();
}

bool has_obs_fold(std::string_view header_section) {
  return header_section.find("\n ") != std::string_view::npos || header_section.find("\n\t") != std::string_view::npos;
}

}  // namespace live2::api
