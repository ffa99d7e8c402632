#include "client/sse_parser.h"

namespace live2::client {

bool SseParser::feed(std::string_view chunk, const std::function<bool(const SseEvent&)>& on_event) {
  for (char c : chunk) {
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') continue;  // the LF of a CRLF pair
    }
    if (c == '\r' || c == '\n') {
      after_cr_ = c == '\r';
      if (!end_line(on_event)) return false;
    } else {
      line_.push_back(c);
    }
  }
  return true;
}

bool SseParser::end_line(const std::function<bool(const SseEvent&)>& on_event) {
  std::string line;
  line.swap(line_);
  if (line.empty()) {  // a blank line dispatches the event
    if (!has_data_) {
      pending_ = SseEvent{};
      return true;
    }
    SseEvent event = std::move(pending_);
    pending_ = SseEvent{};
    has_data_ = false;
    return on_event(event);
  }
  if (line.front() == ':') return true;  // comment, e.g. a heartbeat
  const size_t colon = line.find(':');
  std::string_view field = std::string_view(line).substr(0, colon);
  std::string_view value = colon == std::string::npos ? std::string_view() : std::string_view(line).substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "event") {
    pending_.event = std::string(value);
  } else if (field == "data") {
    if (has_data_) pending_.data.push_back('\n');
    pending_.data.append(value);
    has_data_ = true;
  } else if (field == "id") {
    pending_.id = std::string(value);
  }
  return true;
}

}  // namespace live2::client
