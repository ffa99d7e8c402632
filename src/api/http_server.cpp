#include "api/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "api/http_framing.h"
#include "api/json_responses.h"
#include "api/tls_context.h"

namespace live2::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;

// What one request may make the server hold besides its body (max_body_bytes): its header section, and the chunk
// framing of a chunked body (chunk-size lines with their extensions, and the trailer section). A connection's read
// buffer holds at most both, so an unterminated line cannot grow it either.
constexpr uint32_t kMaxHeaderBytes = 16 * 1024;
constexpr uint64_t kMaxFramingBytes = 16 * 1024;
constexpr size_t kMaxBufferedBytes = kMaxHeaderBytes + kMaxFramingBytes;
constexpr size_t kReadBytes = 4096;
constexpr size_t kBodyReadBytes = 16 * 1024;
constexpr int64_t kDrainTimeoutMs = 2'000;
constexpr size_t kMaxDrainBytes = 64 * 1024 * 1024;
// Connections past max_connections get a 503 from a few extra slots; beyond those they are closed unanswered, so a
// flood of connections cannot take the descriptors the rest of the process needs.
constexpr int64_t kRefusalSlots = 64;
// An event stream whose client does not read: what waits for the socket is bounded, past it the stream ends.
constexpr size_t kMaxQueuedStreamBytes = 1 << 20;
// Out of descriptors, accept() fails at once for as long as the connection waits in the backlog: wait this long
// before trying again instead of spinning.
constexpr int64_t kAcceptBackoffMs = 100;
// With TLS, browsers that saw it once keep to HTTPS for this long (two years, Mozilla's recommendation). Not for
// subdomains: live2 does not know what else runs under its name.
constexpr std::string_view kStrictTransportSecurity = "max-age=63072000";

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

bool out_of_descriptors(const beast::error_code& ec) {
  return ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
         ec == net::error::no_buffer_space || ec == net::error::no_memory;
}

// The answer to a request refused before it reaches the handler; the connection closes after it.
Response refusal(int status, ErrorCode code, std::string_view message) {
  Response response = error_response(status, code, message);
  response.close_connection = true;
  return response;
}

// Beast's parse errors as answers; the parser's messages are fixed English phrases.
Response refusal_for_parse_error(const beast::error_code& ec) {
  if (ec == http::error::header_limit) {
    return refusal(431, ErrorCode::header_too_large,
                   "the request header is over " + std::to_string(kMaxHeaderBytes) + " bytes");
  }
  return refusal(400, ErrorCode::bad_request, "the request is not valid HTTP/1.1: " + ec.message());
}

Response framing_too_large() {
  return refusal(413, ErrorCode::payload_too_large,
                 "the chunk framing of the request (chunk-size lines with extensions, "
                 "trailers) is over " +
                     std::to_string(kMaxFramingBytes) + " bytes");
}

Result<tcp::endpoint> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    return Error::make(ErrorCode::invalid_listen, "listen address must be HOST:PORT: " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "*") host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  unsigned port = 0;
  const std::string port_text = listen.substr(colon + 1);
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  boost::system::error_code address_error;
  const auto address = net::ip::make_address(host, address_error);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535 || address_error) {
    return Error::make(ErrorCode::invalid_listen, "listen address must be IP:PORT (or localhost:PORT): " + listen);
  }
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

}  // namespace

class Connection;

// Owns the io_context and the connection registry. Connections and handlers refer to it by plain pointer: it
// outlives them, because destroying `io` (declared after the registry) destroys every pending handler first.
class HttpServer::Impl {
 public:
  Impl(const HttpServerOptions& options, RequestHandler handler)
      : options(options), handler(std::move(handler)), acceptor(net::make_strand(io)) {}
  ~Impl() { shutdown(0); }

  Status listen(const tcp::endpoint& endpoint);
  void run_threads();
  void shutdown(int64_t grace_ms);

  void register_session(uint64_t id, const std::shared_ptr<Connection>& session);
  void unregister_session(uint64_t id);

  const HttpServerOptions options;
  const RequestHandler handler;
  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> next_session_id{1};
  std::atomic<int64_t> served_connections{0};
  std::atomic<int64_t> refused_connections{0};  // being answered 503 (over max_connections)
  int port = 0;

 private:
  void accept_next();
  void admit(tcp::socket socket);
  void open_session(tcp::socket socket, std::atomic<int64_t>& slot, std::optional<Response> refused);
  void back_off_accepting(const beast::error_code& ec);

  std::mutex sessions_mutex_;
  std::condition_variable sessions_gone_;
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> sessions_;
  bool shut_down_ = false;

 public:
  net::io_context io;
  // The io threads run until shutdown() stops them, not until the io_context runs out of work: during a shutdown a
  // connection may wait on something outside the io_context (a response held for durability, an event stream's
  // next post), and its handler must still find a thread to run on.
  net::executor_work_guard<net::io_context::executor_type> keep_running{io.get_executor()};
  tcp::acceptor acceptor;
  net::steady_timer accept_backoff{acceptor.get_executor()};

 private:
  std::vector<std::thread> threads_;
};

// What the server's registry sees of a connection, whatever its stream.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void begin_shutdown() = 0;
};

// One connection over `Stream`: PlainStream, or TlsStream (HTTPS: a TLS handshake first, under the first request's
// header deadline). Everything runs on the connection's strand; other threads reach it only through net::post.
// A request's header is copied into `request_` as soon as it is parsed, so fields that arrive later (a chunked
// body's trailers, which Beast adds to the same field list) never reach the handler.
template <typename Stream>
class Session final : public Connection, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

 public:
  // `slot` counts this connection while it lives (the server's served or refused connections). `tls_context` is the
  // context `stream` was made with (null for plain HTTP), kept for the stream's lifetime.
  Session(Stream&& stream, std::shared_ptr<net::ssl::context> tls_context, HttpServer::Impl* server,
          std::atomic<int64_t>& slot)
      : tls_context_(std::move(tls_context)), stream_(std::move(stream)), server_(server),
        id_(server_->next_session_id++), slot_(slot), heartbeat_timer_(stream_.get_executor()) {
    boost::system::error_code ignored;
    auto remote = tcp_layer().socket().remote_endpoint(ignored);
    remote_address_ = ignored ? std::string() : remote.address().to_string();
  }

  ~Session() {
    --slot_;
    server_->unregister_session(id_);
  }

  void start() {
    server_->register_session(id_, shared_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->handshake_then([self] { self->read_header(self->accepted_at_); });
    });
  }

  // Answers `response` without reading a request, then closes (the server is at its connection limit).
  void start_refused(Response response) {
    server_->register_session(id_, shared_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this(), response = std::move(response)]() mutable {
      self->handshake_then([self, response = std::move(response)]() mutable {
        self->drain_before_close_ = true;  // the client's request may still be arriving
        self->respond(std::move(response), 11, false);
      });
    });
  }

  // Server shutdown: idle connections close now, busy ones after their response, streams end now.
  void begin_shutdown() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (self->state_ == State::idle || self->state_ == State::reading_header) self->close();
      if (self->state_ == State::streaming) self->end_stream();
    });
  }

  // StreamSink side, called from any thread.
  void post_chunk(std::string chunk) {
    net::post(stream_.get_executor(), [self = shared_from_this(), chunk = std::move(chunk)]() mutable {
      if (self->state_ == State::streaming) self->queue_chunk(std::move(chunk));
    });
  }
  void post_finish() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::streaming) self->end_stream();
    });
  }
  bool gone() const { return gone_.load(); }

 private:
  enum class State { idle, reading_header, reading_body, handling, writing, streaming, closed };

  beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }

  // HTTPS: the handshake comes first and counts against the first request's header deadline (a shutdown closes a
  // connection still in it, as one reading a header). Plain HTTP: `next` at once.
  template <typename Next>
  void handshake_then(Next next) {
    if constexpr (kTls) {
      tcp_layer().expires_at(accepted_at_ + milliseconds(server_->options.header_timeout_ms));
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = shared_from_this(), next = std::move(next)](beast::error_code ec) mutable {
                                if (!ec) return next();
                                spdlog::info(R"({{"event":"tls_handshake_failed","remote":"{}","reason":"{}"}})",
                                             self->remote_address_, ec.message());
                                self->close();
                              });
    } else {
      next();
    }
  }

  void wait_for_next_request() {
    if (stopping_) return close();
    if (buffer_.size() > 0) return read_header(std::chrono::steady_clock::now());  // pipelined, already buffered
    state_ = State::idle;
    if (buffer_.capacity() > kReadBytes) buffer_.shrink_to_fit();  // an idle connection keeps no body-sized buffer
    tcp_layer().expires_after(milliseconds(server_->options.idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(kReadBytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                              if (ec) return self->close();
                              self->buffer_.commit(bytes);
                              self->read_header(std::chrono::steady_clock::now());
                            });
  }

  // The header deadline covers the whole header from `started` (its first byte, or the connection's start for the
  // first request), however slowly it trickles in.
  void read_header(std::chrono::steady_clock::time_point started) {
    state_ = State::reading_header;
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(static_cast<uint64_t>(server_->options.max_body_bytes));
    head_ = false;
    header_bytes_ = 0;
    header_deadline_ = started + milliseconds(server_->options.header_timeout_ms);
    parse_header();
  }

  // Parses the header as it arrives; a small request usually arrives in one read and is handled at once, without a
  // trip through the io_context. The parser (not eager) stops after the header, and consumes the request line and
  // complete field lines as they come, each field with its continuation lines, so obs-fold is found in what it
  // consumed. Its own header limit applies to what it has not consumed yet; the total is counted here.
  void parse_header() {
    beast::error_code ec;
    const size_t used = parser_->put(buffer_.data(), ec);
    if (ec && ec != http::error::need_more && ec != http::error::body_limit) {
      return refuse(refusal_for_parse_error(ec), ec.message());
    }
    if (has_obs_fold(std::string_view(static_cast<const char*>(buffer_.data().data()), used))) {
      return refuse(refusal(400, ErrorCode::bad_request, "a header field continues on the next line (obs-fold)"),
                    "obs-fold");
    }
    buffer_.consume(used);
    header_bytes_ += used;
    if (header_bytes_ + (ec == http::error::need_more ? buffer_.size() : 0) >= kMaxHeaderBytes) {
      return refuse(refusal_for_parse_error(http::error::header_limit), "header over the limit");
    }
    if (ec != http::error::need_more) return on_header(ec == http::error::body_limit);
    tcp_layer().expires_at(header_deadline_);
    stream_.async_read_some(buffer_.prepare(kReadBytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                              if (ec) return self->close();
                              self->buffer_.commit(bytes);
                              self->parse_header();
                            });
  }

  void on_header(bool body_too_large) {
    const auto& header = parser_->get();
    request_ = Request{};
    request_.method = std::string(header.method_string());
    request_.target = std::string(header.target());
    request_.headers.reserve(16);
    for (const auto& field : header) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request_.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request_.remote_address = remote_address_;
    version_ = header.version();
    keep_alive_ = header.keep_alive();
    head_ = header.method() == http::verb::head;
    if (Status framing = check_request_framing(header.version(), request_.headers); !framing) {
      const int status = framing.error().code == ErrorCode::not_implemented ? 501 : 400;
      return refuse(refusal(status, framing.error().code, framing.error().message), framing.error().message);
    }
    if (body_too_large || parser_->is_done()) return handle(body_too_large);

    state_ = State::reading_body;
    body_phase_bytes_ = 0;
    parser_->eager(true);
    tcp_layer().expires_after(milliseconds(server_->options.idle_timeout_ms));  // one deadline for the whole body
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
      http::async_write(stream_, *interim, [self = shared_from_this(), interim](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  // Parses what is buffered, then reads more until the request is complete. The reads are done here, not with
  // http::async_read_some, which keeps reading for as long as the parser asks for more: the framing limit is checked
  // after every read.
  void read_body() {
    if (buffer_.size() > 0) {
      beast::error_code ec;
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (request_read(used, ec)) return;
    }
    const size_t room = buffer_.max_size() - buffer_.size();
    if (room == 0) return refuse(framing_too_large(), "an unterminated chunk line or trailer section");
    stream_.async_read_some(buffer_.prepare(std::min(room, kBodyReadBytes)),
                            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                              if (ec) return self->close();  // the deadline passed or the client went away
                              self->buffer_.commit(bytes);
                              self->read_body();
                            });
  }

  // Accounts for `used` more bytes of the body phase; true when the request is over (handled or refused), false
  // when more must be read.
  bool request_read(size_t used, beast::error_code ec) {
    body_phase_bytes_ += used;
    if (ec == http::error::body_limit) {
      handle(true);
    } else if (ec && ec != http::error::need_more) {
      refuse(refusal_for_parse_error(ec), ec.message());
    } else if (body_phase_bytes_ - parser_->get().body().size() > kMaxFramingBytes) {
      refuse(framing_too_large(), "chunk framing over the limit");
    } else if (parser_->is_done()) {
      handle(false);
    } else {
      return false;
    }
    return true;
  }

  // A request refused before the handler: the answer, then the connection closes (its framing is not trustworthy).
  void refuse(Response response, std::string_view reason) {
    spdlog::warn(R"({{"event":"http_rejected","remote":"{}","status":{},"reason":"{}"}})", remote_address_,
                 response.status, reason);
    parser_.reset();
    drain_before_close_ = true;
    respond(std::move(response), version_, false);
  }

  void handle(bool body_too_large) {
    state_ = State::handling;
    request_.body_too_large = body_too_large;
    if (!body_too_large) request_.body = std::move(parser_->get().body());
    parser_.reset();

    Response response;
    try {
      response = server_->handler(request_);
    } catch (const std::exception& bug) {
      spdlog::error(R"({{"event":"handler_exception","what":"{}"}})", bug.what());
      response = error_response(500, ErrorCode::internal, "internal error");
    }
    request_ = Request{};
    drain_before_close_ = body_too_large;
    respond(std::move(response), version_, keep_alive_ && !body_too_large);
  }

  void respond(Response response, unsigned version, bool keep_alive) {
    if (response.hold) return hold_then_respond(std::move(response), version, keep_alive);
    const bool keep = keep_alive && !response.close_connection && !server_->stopping;
    if (response.event_stream) {
      return head_ ? send_stream_header_only(std::move(response), version) : start_stream(std::move(response), version);
    }
    if (response.file) return send_file(std::move(response), version, keep);
    auto out = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status), version);
    fill_header(out->base(), response);
    out->body() = std::move(response.body);
    out->keep_alive(keep);
    out->prepare_payload();
    send(out, keep);
  }

  // The connection waits (state `handling`, so a shutdown lets it finish) until the hold releases the response.
  void hold_then_respond(Response response, unsigned version, bool keep_alive) {
    auto hold = std::move(response.hold);
    response.hold = nullptr;
    hold([self = shared_from_this(), response = std::move(response), version,
          keep_alive](std::optional<Response> instead) mutable {
      if (instead) response = std::move(*instead);
      net::post(self->stream_.get_executor(), [self, response = std::move(response), version, keep_alive]() mutable {
        if (self->state_ != State::closed) self->respond(std::move(response), version, keep_alive);
      });
    });
  }

  static void fill_header(http::response_header<>& header, const Response& response) {
    if (!response.content_type.empty()) header.set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) header.set(name, value);
  }

  // The answer to HEAD is the header GET would get (Content-Length included) and no body: only the serializer's
  // header is written.
  template <typename Message>
  void send(const std::shared_ptr<Message>& message, bool keep_alive) {
    state_ = State::writing;
    if constexpr (kTls) message->set(http::field::strict_transport_security, kStrictTransportSecurity);
    tcp_layer().expires_after(milliseconds(server_->options.idle_timeout_ms));
    auto on_written = [self = shared_from_this(), message, keep_alive](beast::error_code ec, std::size_t) {
      if (!ec && !keep_alive && self->drain_before_close_) return self->drain_then_close();
      if (ec || !keep_alive) return self->close();
      self->wait_for_next_request();
    };
    if (!head_) return http::async_write(stream_, *message, std::move(on_written));
    auto serializer = std::make_shared<http::response_serializer<typename Message::body_type>>(*message);
    http::async_write_header(stream_, *serializer,
                             [serializer, on_written = std::move(on_written)](beast::error_code ec, std::size_t bytes) {
                               on_written(ec, bytes);
                             });
  }

  // After refusing a body unread, the client may still be sending it. Closing with unread data would reset the
  // connection and could destroy the answer in the client's buffer, so read and discard for a while first.
  void drain_then_close() {
    beast::error_code ignored;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp_layer().expires_after(milliseconds(kDrainTimeoutMs));
    drain_buffer_.resize(16 * 1024);
    drain_some();
  }

  void drain_some() {
    stream_.async_read_some(net::buffer(drain_buffer_), [self = shared_from_this()](beast::error_code ec,
                                                                                     std::size_t bytes) {
      self->drained_bytes_ += bytes;
      if (ec || self->drained_bytes_ > kMaxDrainBytes) return self->close();
      self->drain_some();
    });
  }

  void send_file(Response response, unsigned version, bool keep_alive) {
    http::file_body::value_type file;
    beast::error_code ec;
    file.open(response.file->c_str(), beast::file_mode::scan, ec);
    if (ec) {
      auto missing = std::make_shared<http::response<http::string_body>>(http::status::not_found, version);
      missing->set(http::field::content_type, "application/json; charset=utf-8");
      missing->body() = R"({"error":{"code":"not_found","message":"the file is gone","details":[]}})";
      missing->keep_alive(keep_alive);
      missing->prepare_payload();
      return send(missing, keep_alive);
    }
    auto out = std::make_shared<http::response<http::file_body>>(
        std::piecewise_construct, std::make_tuple(std::move(file)),
        std::make_tuple(static_cast<http::status>(response.status), version));
    fill_header(out->base(), response);
    out->keep_alive(keep_alive);
    out->prepare_payload();
    send(out, keep_alive);
  }

  // HEAD of a stream: the header GET would get, and the stream is released without being opened.
  void send_stream_header_only(Response response, unsigned version) {
    response.event_stream->close();
    auto out = std::make_shared<http::response<http::empty_body>>(static_cast<http::status>(response.status), version);
    fill_header(out->base(), response);
    out->keep_alive(false);
    out->chunked(true);
    send(out, false);
  }

  // Streams are chunked and end the connection afterwards (a client that reads SSE does not reuse it).
  void start_stream(Response response, unsigned version) {
    state_ = State::streaming;
    event_stream_ = response.event_stream;
    stream_header_ = std::make_shared<http::response<http::empty_body>>(static_cast<http::status>(response.status),
                                                                        version);
    fill_header(stream_header_->base(), response);
    if constexpr (kTls) stream_header_->set(http::field::strict_transport_security, kStrictTransportSecurity);
    stream_header_->keep_alive(false);
    stream_header_->chunked(true);
    serializer_.emplace(*stream_header_);
    tcp_layer().expires_never();
    writing_ = true;
    http::async_write_header(stream_, *serializer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->close();
      self->event_stream_->open(std::make_shared<SessionSink>(self));
      self->arm_heartbeat();
      self->write_next_chunk();
    });
  }

  void arm_heartbeat() {
    heartbeat_timer_.expires_after(milliseconds(event_stream_->heartbeat_interval_ms()));
    heartbeat_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->state_ != State::streaming) return;
      if (self->chunks_.empty() && !self->writing_) {
        self->queue_chunk(self->event_stream_->heartbeat_chunk());
      }
      self->arm_heartbeat();
    });
  }

  void queue_chunk(std::string chunk) {
    queued_stream_bytes_ += chunk.size();
    if (queued_stream_bytes_ > kMaxQueuedStreamBytes) {
      spdlog::warn(R"({{"event":"stream_reader_too_slow","remote":"{}","queued_bytes":{}}})", remote_address_,
                   queued_stream_bytes_);
      return close();
    }
    chunks_.push_back(std::move(chunk));
    write_next_chunk();
  }

  void write_next_chunk() {
    if (writing_ || state_ != State::streaming) return;
    if (chunks_.empty()) {
      if (stream_ending_) finish_stream_write();
      return;
    }
    writing_ = true;
    current_chunk_ = std::move(chunks_.front());
    chunks_.pop_front();
    queued_stream_bytes_ -= current_chunk_.size();
    tcp_layer().expires_after(milliseconds(server_->options.idle_timeout_ms));
    net::async_write(stream_, http::make_chunk(net::buffer(current_chunk_)),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->writing_ = false;
                       self->tcp_layer().expires_never();
                       if (ec) return self->close();
                       self->heartbeat_timer_.cancel();
                       self->arm_heartbeat();
                       self->write_next_chunk();
                     });
  }

  void end_stream() {
    stream_ending_ = true;
    write_next_chunk();
  }

  void finish_stream_write() {
    writing_ = true;
    tcp_layer().expires_after(milliseconds(server_->options.idle_timeout_ms));
    net::async_write(stream_, http::make_chunk_last(),
                     [self = shared_from_this()](beast::error_code, std::size_t) {
                       self->writing_ = false;
                       self->close();
                     });
  }

  void close() {
    if (state_ == State::closed) return;
    const bool was_streaming = state_ == State::streaming;
    state_ = State::closed;
    gone_ = true;
    heartbeat_timer_.cancel();
    if (was_streaming && event_stream_) event_stream_->close();
    event_stream_.reset();
    beast::error_code ignored;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp_layer().close();
  }

  class SessionSink final : public StreamSink {
   public:
    explicit SessionSink(const std::shared_ptr<Session>& session) : session_(session) {}
    bool send(std::string chunk) override {
      auto session = session_.lock();
      if (!session || session->gone()) return false;
      session->post_chunk(std::move(chunk));
      return true;
    }
    void finish() override {
      if (auto session = session_.lock()) session->post_finish();
    }

   private:
    std::weak_ptr<Session> session_;
  };

  const std::shared_ptr<net::ssl::context> tls_context_;  // before stream_, which uses it
  Stream stream_;
  HttpServer::Impl* server_;
  const uint64_t id_;
  std::atomic<int64_t>& slot_;
  std::string remote_address_;
  const std::chrono::steady_clock::time_point accepted_at_ = std::chrono::steady_clock::now();
  beast::flat_buffer buffer_{kMaxBufferedBytes};
  std::optional<http::request_parser<http::string_body>> parser_;
  State state_ = State::reading_header;
  // The request being read
  Request request_;
  std::chrono::steady_clock::time_point header_deadline_;
  size_t header_bytes_ = 0;        // consumed so far by the parser in the header phase
  uint64_t body_phase_bytes_ = 0;  // consumed after the header: body, chunk framing and trailers
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool stopping_ = false;
  std::atomic<bool> gone_{false};
  bool drain_before_close_ = false;
  std::vector<char> drain_buffer_;
  size_t drained_bytes_ = 0;
  // Streaming
  std::shared_ptr<EventStream> event_stream_;
  std::shared_ptr<http::response<http::empty_body>> stream_header_;
  std::optional<http::response_serializer<http::empty_body>> serializer_;
  std::deque<std::string> chunks_;
  size_t queued_stream_bytes_ = 0;  // in chunks_
  std::string current_chunk_;
  bool writing_ = false;
  bool stream_ending_ = false;
  net::steady_timer heartbeat_timer_;
};

Status HttpServer::Impl::listen(const tcp::endpoint& endpoint) {
  beast::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::make(ErrorCode::bind_failed, "cannot listen on " + endpoint.address().to_string() + ":" +
                                                   std::to_string(endpoint.port()) + ": " + ec.message());
  }
  port = acceptor.local_endpoint().port();
  accept_next();
  return Status::success();
}

void HttpServer::Impl::accept_next() {
  acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (out_of_descriptors(ec)) return back_off_accepting(ec);
    if (!ec) admit(std::move(socket));
    accept_next();
  });
}

// Open connections keep being served meanwhile; new ones wait in the listen backlog.
void HttpServer::Impl::back_off_accepting(const beast::error_code& ec) {
  spdlog::warn(R"({{"event":"accept_backoff","reason":"{}","connections":{},"wait_ms":{}}})", ec.message(),
               served_connections.load(), kAcceptBackoffMs);
  accept_backoff.expires_after(milliseconds(kAcceptBackoffMs));
  accept_backoff.async_wait([this](beast::error_code wait_error) {
    if (!wait_error && !stopping) accept_next();
  });
}

void HttpServer::Impl::admit(tcp::socket socket) {
  if (served_connections.fetch_add(1) < options.max_connections) {
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    return open_session(std::move(socket), served_connections, std::nullopt);
  }
  --served_connections;
  if (refused_connections.fetch_add(1) >= kRefusalSlots) {
    --refused_connections;
    return;  // the socket closes unanswered
  }
  open_session(std::move(socket), refused_connections,
               refusal(503, ErrorCode::unavailable, "the server is at its connection limit; try again shortly"));
}

// `refused`: the answer to give without reading a request.
void HttpServer::Impl::open_session(tcp::socket socket, std::atomic<int64_t>& slot, std::optional<Response> refused) {
  auto launch = [&refused](const auto& session) {
    if (refused) return session->start_refused(std::move(*refused));
    session->start();
  };
  if (!options.tls) return launch(std::make_shared<Session<PlainStream>>(PlainStream(std::move(socket)), nullptr, this, slot));
  std::shared_ptr<net::ssl::context> context = options.tls->current();
  TlsStream stream(std::move(socket), *context);
  launch(std::make_shared<Session<TlsStream>>(std::move(stream), std::move(context), this, slot));
}

void HttpServer::Impl::run_threads() {
  const int count = std::max(1, options.io_threads);
  for (int i = 0; i < count; ++i) threads_.emplace_back([this] { io.run(); });
}

void HttpServer::Impl::register_session(uint64_t id, const std::shared_ptr<Connection>& session) {
  std::lock_guard lock(sessions_mutex_);
  sessions_[id] = session;
  if (stopping) session->begin_shutdown();
}

void HttpServer::Impl::unregister_session(uint64_t id) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.erase(id);
  if (sessions_.empty()) sessions_gone_.notify_all();
}

void HttpServer::Impl::shutdown(int64_t grace_ms) {
  std::vector<std::shared_ptr<Connection>> open_sessions;
  {
    std::lock_guard lock(sessions_mutex_);
    if (shut_down_) return;
    shut_down_ = true;
    stopping = true;
    for (auto& [id, weak] : sessions_) {
      if (auto session = weak.lock()) open_sessions.push_back(std::move(session));
    }
  }
  net::post(acceptor.get_executor(), [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
    accept_backoff.cancel();
  });
  for (auto& session : open_sessions) session->begin_shutdown();
  open_sessions.clear();  // a session's destructor takes sessions_mutex_
  {
    std::unique_lock lock(sessions_mutex_);
    sessions_gone_.wait_for(lock, milliseconds(grace_ms), [this] { return sessions_.empty(); });
    if (!sessions_.empty()) spdlog::warn(R"({{"event":"shutdown_cut_connections","count":{}}})", sessions_.size());
  }
  keep_running.reset();
  io.stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const HttpServerOptions& options, RequestHandler handler) {
  auto endpoint = parse_listen(options.listen);
  if (!endpoint) return endpoint.error();
  auto impl = std::make_unique<Impl>(options, std::move(handler));
  if (Status listening = impl->listen(*endpoint); !listening) return listening.error();
  impl->run_threads();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() = default;

int HttpServer::port() const { return impl_->port; }

void HttpServer::shutdown(int64_t grace_ms) { impl_->shutdown(grace_ms); }

}  // namespace live2::api
