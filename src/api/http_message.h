// Request and Response: plain HTTP messages between the Beast server (http_server.cpp) and everything else in
// src/api, so routing and handlers compile without Beast and are tested without sockets.
// A Response carries a body in one of three forms: `body` text, a `file` streamed from disk, or an `event_stream`
// (Server-Sent Events) that pushes chunks until it finishes. A response may be held back until something happened.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace live2::api {

struct Request {
  std::string method;                                        // "GET", "POST", ...
  std::string target;                                        // origin form as received: "/api/v1/jobs?limit=5"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case, in arrival order
  std::string body;
  bool body_too_large = false;  // the server stopped reading at the body limit; `body` is empty
  std::string remote_address;

  // First header with that (lower-case) name.
  std::optional<std::string_view> header(std::string_view lower_case_name) const;
};

// Receives the chunks of a streamed response. Implemented by the server's connection; thread-safe.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Queues a chunk for the client; returns false once the connection is gone (the stream should stop sending).
  virtual bool send(std::string chunk) = 0;
  // Ends the response after the queued chunks.
  virtual void finish() = 0;
};

// A response body produced over time (SSE). The server calls open() once the response header is on its way, and
// close() exactly once when the connection ends or the server shuts down (after close(), send() is pointless), also
// for a stream it never opens (the answer to HEAD carries no body).
class EventStream {
 public:
  virtual ~EventStream() = default;
  virtual void open(std::shared_ptr<StreamSink> sink) = 0;
  virtual void close() = 0;
  // Sent by the server whenever the stream was quiet for heartbeat_interval_ms (keeps proxies from timing out).
  virtual std::string heartbeat_chunk() const = 0;
  virtual int64_t heartbeat_interval_ms() const = 0;
};

struct Response {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type and Content-Length
  std::string body;
  std::optional<std::filesystem::path> file;  // when set, the body is this file's content
  std::shared_ptr<EventStream> event_stream;  // when set, the body is this stream (chunked)
  bool close_connection = false;
  // When set, the server writes the response only once `hold` has called its argument (from any thread): with
  // nullopt to send this response, with another to send that one instead. The API holds an answer to a write until
  // the write is on disk.
  std::function<void(std::function<void(std::optional<Response> instead)> release)> hold;

  void set_header(std::string name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;  // case-insensitive
};

}  // namespace live2::api
