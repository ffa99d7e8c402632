#include "base/http_transport.h"

#include <boost/algorithm/string/predicate.hpp>
#include <curl/curl.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <mutex>

namespace live2 {
namespace {

void initialise_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void append(Slist& list, const std::string& line) { list.reset(curl_slist_append(list.release(), line.c_str())); }

// What libcurl's callbacks fill in during one exchange.
struct Transfer {
  CURL* handle = nullptr;
  const HttpExchange* exchange = nullptr;
  HttpResponse response;
  std::FILE* file = nullptr;
  bool file_failed = false;
  bool stopped_by_caller = false;
  bool stalled = false;
  curl_off_t bytes_moved = 0;  // both directions, as of the last progress call
  std::chrono::steady_clock::time_point last_moved = std::chrono::steady_clock::now();

  ~Transfer() {
    if (file != nullptr) std::fclose(file);
  }

  bool success_status() const {
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    return status >= 200 && status < 300;
  }

  bool open_file() {
    if (file == nullptr) file = std::fopen(exchange->response_file->c_str(), "wb");
    file_failed = file == nullptr;
    return !file_failed;
  }
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    transfer.response.headers.clear();  // a new response (after 100 Continue)
    return size * count;
  }
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
    transfer.response.headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
  }
  return size * count;
}

// Returning fewer bytes than given makes libcurl end the transfer with CURLE_WRITE_ERROR.
size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const HttpExchange& exchange = *transfer.exchange;
  const std::string_view chunk(data, size * count);
  if (exchange.discard_body) return chunk.size();
  if (transfer.success_status()) {
    if (exchange.on_body) {
      transfer.stopped_by_caller = !exchange.on_body(chunk);
      return transfer.stopped_by_caller ? 0 : chunk.size();
    }
    if (exchange.response_file) {
      if (!transfer.open_file()) return 0;
      return std::fwrite(chunk.data(), 1, chunk.size(), transfer.file);
    }
  }
  transfer.response.body.append(chunk);
  return chunk.size();
}

// Defence in depth behind CURLOPT_CONNECT_TO: a socket is only ever opened to the pinned address.
curl_socket_t open_pinned_socket(void* pinned, curlsocktype, curl_sockaddr* candidate) {
  const std::optional<IpBytes> address = ip_address_of(candidate->addr);
  if (address != static_cast<const PinnedAddress*>(pinned)->address) return CURL_SOCKET_BAD;
  return socket(candidate->family, candidate->socktype, candidate->protocol);
}

// libcurl calls this about once a second and whenever data moves; non-zero ends the transfer. A stall is measured
// here rather than with CURLOPT_LOW_SPEED_TIME, whose speed is an average over several seconds: after a burst it
// noticed a dead connection only some five seconds late, and only to the second.
int on_progress(void* user, curl_off_t, curl_off_t received, curl_off_t, curl_off_t sent) {
  auto& transfer = *static_cast<Transfer*>(user);
  const HttpExchange& exchange = *transfer.exchange;
  if (exchange.abort != nullptr && exchange.abort->load()) return 1;
  if (exchange.stall_timeout_ms <= 0) return 0;
  const auto now = std::chrono::steady_clock::now();
  if (received + sent != transfer.bytes_moved) {
    transfer.bytes_moved = received + sent;
    transfer.last_moved = now;
    return 0;
  }
  transfer.stalled = now - transfer.last_moved >= std::chrono::milliseconds(exchange.stall_timeout_ms);
  return transfer.stalled ? 1 : 0;
}

Error transfer_error(CURL* handle, CURLcode code, const char* detail) {
  std::string message = curl_easy_strerror(code);
  if (detail[0] != '\0') message += std::string(": ") + detail;
  long sent_bytes = 0;
  curl_easy_getinfo(handle, CURLINFO_REQUEST_SIZE, &sent_bytes);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Error::make(ErrorCode::dns_failed, message);
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
      return Error::make(ErrorCode::connection_failed, message);
    case CURLE_OPERATION_TIMEDOUT:  // the connect, whole-request or stall timeout: was anything sent yet?
      return Error::make(sent_bytes == 0 ? ErrorCode::connection_failed : ErrorCode::timeout, message);
    case CURLE_ABORTED_BY_CALLBACK:
      return Error::make(ErrorCode::aborted, "the exchange was abandoned because the caller is stopping");
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
      return Error::make(ErrorCode::invalid_response, message);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error::make(ErrorCode::invalid_input, message);
    default:
      return Error::make(ErrorCode::network_error, message);
  }
}

bool sends_body(const HttpExchange& exchange) {
  return !exchange.body.empty() ||
         (exchange.method != "GET" && exchange.method != "HEAD" && exchange.method != "DELETE");
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const HttpHeader& entry : headers) {
    if (boost::algorithm::iequals(entry.name, name)) return entry.value;
  }
  return {};
}

// Idle easy handles. Each keeps its own connection cache, so taking a handle back out reuses its connections.
struct CurlTransport::HandlePool {
  std::mutex mutex;
  std::vector<CURL*> idle;

  CURL* take() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        curl_easy_reset(handle);  // keeps the connection cache
        return handle;
      }
    }
    return curl_easy_init();
  }

  void give_back(CURL* handle, size_t max_idle) {
    std::lock_guard lock(mutex);
    if (idle.size() < max_idle) {
      idle.push_back(handle);
    } else {
      curl_easy_cleanup(handle);
    }
  }

  ~HandlePool() {
    for (CURL* handle : idle) curl_easy_cleanup(handle);
  }
};

CurlTransport::CurlTransport(CurlTransportOptions options)
    : options_(std::move(options)), pool_(std::make_unique<HandlePool>()) {
  initialise_curl_once();
}

CurlTransport::~CurlTransport() = default;

Result<HttpResponse> CurlTransport::send(const HttpExchange& exchange) {
  CURL* handle = pool_->take();
  if (handle == nullptr) return Error::make(ErrorCode::internal, "curl_easy_init failed");
  Transfer transfer;
  transfer.handle = handle;
  transfer.exchange = &exchange;

  Slist headers;
  bool has_content_type = false;
  for (const HttpHeader& header : exchange.headers) {
    has_content_type = has_content_type || boost::algorithm::iequals(header.name, "Content-Type");
    append(headers, header.value.empty() ? header.name + ";" : header.name + ": " + header.value);
  }
  append(headers, "Expect:");
  if (!has_content_type) append(headers, "Content-Type:");
  Slist connect_to;
  PinnedAddress pinned;
  char error_detail[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(handle, CURLOPT_URL, exchange.url.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_detail);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(exchange.timeout_ms));
  if (!options_.user_agent.empty()) curl_easy_setopt(handle, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  if (exchange.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, exchange.method.c_str());
    if (sends_body(exchange)) {
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(exchange.body.size()));
      // Never null: libcurl reads a null POSTFIELDS as "no body" and would not send Content-Length: 0.
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, exchange.body.empty() ? "" : exchange.body.data());
    }
  }
  if (exchange.fresh_connection || exchange.connect_to) curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, 1L);
  if (exchange.connect_to) {
    pinned = *exchange.connect_to;
    // "::ADDRESS:PORT": whatever host and port the URL names. CONNECT_TO rather than CURLOPT_RESOLVE, whose
    // HOST:PORT key cannot spell an IPv6 literal host; an IPv6 address needs its brackets here.
    const std::string address = ip_address_text(pinned.address);
    const bool v6 = address.find(':') != std::string::npos;
    append(connect_to, "::" + (v6 ? "[" + address + "]" : address) + ":" + std::to_string(pinned.port));
    curl_easy_setopt(handle, CURLOPT_CONNECT_TO, connect_to.get());
    curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, open_pinned_socket);
    curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, &pinned);
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(handle, CURLOPT_FORBID_REUSE, 1L);  // no later exchange may ride this pinned connection
  }
  if (exchange.abort != nullptr || exchange.stall_timeout_ms > 0) {
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &transfer);
  }

  const CURLcode code = curl_easy_perform(handle);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  transfer.response.status = static_cast<int>(status);
  Result<HttpResponse> result = std::move(transfer.response);
  if (transfer.file_failed) {
    result = Error::make(ErrorCode::io_error, "cannot write " + exchange.response_file->string());
  } else if (transfer.stalled) {
    const std::string detail = "nothing moved for " + std::to_string(exchange.stall_timeout_ms) + " ms";
    result = transfer_error(handle, CURLE_OPERATION_TIMEDOUT, detail.c_str());
  } else if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && transfer.stopped_by_caller)) {
    result = transfer_error(handle, code, error_detail);
  } else if (exchange.response_file && !exchange.on_body && !exchange.discard_body && status >= 200 &&
             status < 300 && (!transfer.open_file() || std::fflush(transfer.file) != 0)) {
    result = Error::make(ErrorCode::io_error, "cannot write " + exchange.response_file->string());
  }
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  pool_->give_back(handle, static_cast<size_t>(options_.max_idle_handles));
  return result;
}

}  // namespace live2
