#include "support/api_exchange_recorder.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace live2::testing {
namespace {

// Bodies past this size are recorded by length only: the check validates shapes, and no JSON answer is this big.
constexpr size_t kMaxRecordedBodyBytes = 4 << 20;
// A raw connection that sends more than this (a flood) is not recorded: its answers could not be paired reliably.
constexpr size_t kMaxRawSentBytes = 1 << 20;

struct RawConnection {
  int port = 0;
  std::string sent;
  bool flooded = false;  // sent more than kMaxRawSentBytes
  size_t answered = 0;   // requests in `sent` already paired with an answer
};

struct Recorder {
  std::mutex mutex;
  std::vector<std::string> base_urls;  // "http://127.0.0.1:<port>/"
  std::unordered_map<int, RawConnection> raw;
  std::ofstream out;
};

Recorder& recorder() {
  static Recorder instance;
  return instance;
}

const char* record_dir() {
  static const char* dir = std::getenv("LIVE2_API_RECORD_DIR");
  return dir != nullptr && *dir != '\0' ? dir : nullptr;
}

// Text bodies (JSON, plain text, event streams) are recorded; file downloads by length only.
boost::json::value body_or_null(std::string_view body, std::string_view content_type) {
  const bool text = content_type.starts_with("application/json") || content_type.starts_with("text/");
  if (!text || body.size() > kMaxRecordedBodyBytes) return nullptr;
  return boost::json::string(body);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string header_of(const std::map<std::string, std::string>& headers, const std::string& lower_case_name) {
  for (const auto& [name, value] : headers) {
    if (lower(name) == lower_case_name) return value;
  }
  return {};
}

// What the base URL of a registered server leaves of `url`, or nothing when no registered server is addressed.
std::optional<std::string> target_of(const Recorder& state, const std::string& url) {
  for (const auto& base_url : state.base_urls) {
    if (url.starts_with(base_url)) return url.substr(base_url.size() - 1);
  }
  return std::nullopt;
}

void write_line_locked(Recorder& state, const boost::json::object& line) {
  if (!state.out.is_open()) {
    std::filesystem::create_directories(record_dir());
    const std::string name = std::string(program_invocation_short_name) + "-" + std::to_string(getpid()) + ".jsonl";
    state.out.open(std::filesystem::path(record_dir()) / name, std::ios::app);
  }
  state.out << boost::json::serialize(line) << '\n' << std::flush;
}

void append_locked(Recorder& state, const HttpRequest& request, const std::string& target, const HttpResponse& response,
                   bool stopped_early) {
  const std::string request_type = header_of(request.headers, "content-type");
  const std::string response_type = response.header("content-type");
  boost::json::object headers;
  for (const auto& [name, value] : response.headers) headers[name] = value;
  boost::json::object line{{"method", request.method},
                           {"target", target},
                           {"request_content_type", request_type},
                           {"request_body", body_or_null(request.body, request_type)},
                           {"status", response.status},
                           {"headers", std::move(headers)},
                           {"body", body_or_null(response.body, response_type)},
                           {"body_bytes", response.body.size()},
                           {"stopped_early", stopped_early},
                           {"transport_error", response.transport_error}};
  write_line_locked(state, line);
}

// One HTTP/1.1 message's start line and header fields; `rest` is what follows the blank line.
struct MessageHead {
  std::string start_line;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string_view rest;
};

std::optional<MessageHead> parse_head(std::string_view bytes) {
  const size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  MessageHead head;
  std::string_view block = bytes.substr(0, end + 2);
  head.rest = bytes.substr(end + 4);
  size_t line_end = block.find("\r\n");
  head.start_line = std::string(block.substr(0, line_end));
  for (size_t at = line_end + 2; at < block.size(); at = line_end + 2) {
    line_end = block.find("\r\n", at);
    const std::string_view line = block.substr(at, line_end - at);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    head.headers[lower(line.substr(0, colon))] = std::string(value);
  }
  return head;
}

// Splits a message body off `rest` by Content-Length or chunked coding; without either the body runs to the end.
// Returns the body and advances `rest` past it.
std::string take_body(const std::map<std::string, std::string>& headers, std::string_view& rest, bool has_body) {
  if (!has_body) return {};
  if (auto coding = headers.find("transfer-encoding");
      coding != headers.end() && lower(coding->second).find("chunked") != std::string::npos) {
    std::string body;
    while (true) {
      const size_t line_end = rest.find("\r\n");
      size_t size = 0;
      if (line_end == std::string_view::npos ||
          std::from_chars(rest.data(), rest.data() + line_end, size, 16).ec != std::errc()) {
        rest = {};
        return body;
      }
      rest.remove_prefix(line_end + 2);
      if (size == 0) {
        const size_t trailer_end = rest.find("\r\n");
        rest.remove_prefix(trailer_end == std::string_view::npos ? rest.size() : trailer_end + 2);
        return body;
      }
      body.append(rest.substr(0, size));
      rest.remove_prefix(std::min(rest.size(), size + 2));
    }
  }
  if (auto length = headers.find("content-length"); length != headers.end()) {
    size_t size = 0;
    std::from_chars(length->second.data(), length->second.data() + length->second.size(), size);
    std::string body(rest.substr(0, size));
    rest.remove_prefix(std::min(rest.size(), size));
    return body;
  }
  std::string body(rest);
  rest = {};
  return body;
}

struct RawRequest {
  HttpRequest request;
  std::string target;
};

std::vector<RawRequest> split_requests(std::string_view sent) {
  std::vector<RawRequest> requests;
  while (auto head = parse_head(sent)) {
    RawRequest raw;
    const std::string& line = head->start_line;
    const size_t first_space = line.find(' ');
    const size_t second_space = line.find(' ', first_space + 1);
    if (first_space != std::string::npos && second_space != std::string::npos) {
      raw.request.method = line.substr(0, first_space);
      raw.target = line.substr(first_space + 1, second_space - first_space - 1);
    }
    raw.request.headers = head->headers;
    sent = head->rest;
    const bool has_body = head->headers.contains("content-length") || head->headers.contains("transfer-encoding");
    raw.request.body = take_body(head->headers, sent, has_body);
    requests.push_back(std::move(raw));
  }
  return requests;
}

}  // namespace

void record_exchanges_with(const std::string& base_url) {
  if (record_dir() == nullptr) return;
  Recorder& state = recorder();
  std::lock_guard lock(state.mutex);
  state.base_urls.push_back(base_url + "/");
}

void record_exchange(const HttpRequest& request, const HttpResponse& response, bool stopped_early) {
  if (record_dir() == nullptr || response.status == 0) return;
  Recorder& state = recorder();
  std::lock_guard lock(state.mutex);
  if (auto target = target_of(state, request.url)) append_locked(state, request, *target, response, stopped_early);
}

void note_raw_connection(int fd, int port) {
  if (record_dir() == nullptr) return;
  Recorder& state = recorder();
  std::lock_guard lock(state.mutex);
  state.raw[fd] = RawConnection{port, {}};
}

void note_raw_sent(int fd, std::string_view bytes) {
  if (record_dir() == nullptr) return;
  Recorder& state = recorder();
  std::lock_guard lock(state.mutex);
  auto connection = state.raw.find(fd);
  if (connection == state.raw.end() || connection->second.flooded) return;
  RawConnection& raw = connection->second;
  raw.flooded = raw.sent.size() + bytes.size() > kMaxRawSentBytes;
  if (raw.flooded) raw.sent = {};
  else raw.sent.append(bytes);
}

void record_raw_received(int fd, std::string_view received) {
  if (record_dir() == nullptr) return;
  Recorder& state = recorder();
  std::lock_guard lock(state.mutex);
  auto connection = state.raw.find(fd);
  if (connection == state.raw.end()) return;
  RawConnection& raw = connection->second;
  if (!raw.flooded && target_of(state, "http://127.0.0.1:" + std::to_string(raw.port) + "/")) {
    const std::vector<RawRequest> requests = split_requests(raw.sent);
    while (auto head = parse_head(received)) {
      HttpResponse response;
      const std::string& line = head->start_line;
      if (!line.starts_with("HTTP/1.") || line.size() < 12) break;
      std::from_chars(line.data() + 9, line.data() + 12, response.status);
      received = head->rest;
      if (response.status < 200) continue;  // 100 Continue precedes the real answer
      const RawRequest unknown;
      const RawRequest& request = raw.answered < requests.size() ? requests[raw.answered] : unknown;
      ++raw.answered;
      response.headers = head->headers;
      response.body = take_body(head->headers, received,
                                request.request.method != "HEAD" && response.status != 204 && response.status != 304);
      append_locked(state, request.request, request.target, response, false);
    }
  }
}

void end_raw_connection(int fd) {
  if (record_dir() == nullptr) return;
  Recorder& state = recorder();
  std::lock_guard lock(state.mutex);
  state.raw.erase(fd);
}

void record_webhook_delivery(const std::map<std::string, std::string>& headers, std::string_view body) {
  if (record_dir() == nullptr) return;
  Recorder& state = recorder();
  std::lock_guard lock(state.mutex);
  boost::json::object header_object;
  for (const auto& [name, value] : headers) header_object[lower(name)] = value;
  write_line_locked(state, boost::json::object{{"webhook", true},
                                               {"headers", std::move(header_object)},
                                               {"request_body", boost::json::string(body)}});
}

}  // namespace live2::testing
