// SseParser: turns a text/event-stream body, fed in arbitrary chunks, into events (WHATWG Server-Sent Events:
// `event:` and `data:` fields, multi-line data joined with \n, comment lines ignored, LF, CR or CRLF line ends).
// One parser per stream; not thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace live2::client {

struct SseEvent {
  std::string event = "message";
  std::string data;
  std::string id;
};

class SseParser {
 public:
  // Calls `on_event` for every complete event in `chunk`; returns false as soon as `on_event` does.
  bool feed(std::string_view chunk, const std::function<bool(const SseEvent&)>& on_event);

 private:
  bool end_line(const std::function<bool(const SseEvent&)>& on_event);

  std::string line_;
  bool after_cr_ = false;
  SseEvent pending_;
  bool has_data_ = false;
};

}  // namespace live2::client
