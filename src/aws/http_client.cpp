#include "aws/http_client.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <mutex>

namespace live2::aws {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

void initialise_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// What libcurl's callbacks fill in during one exchange.
struct Exchange {
  CURL* handle = nullptr;
  const HttpRequest* request = nullptr;
  HttpResponse response;
  std::FILE* file = nullptr;
  bool file_failed = false;

  ~Exchange() {
    if (file != nullptr) std::fclose(file);
  }
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    exchange.response.headers.clear();  // a new response (after 100 Continue or a redirect)
    return size * count;
  }
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
    exchange.response.headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  long status = 0;
  curl_easy_getinfo(exchange.handle, CURLINFO_RESPONSE_CODE, &status);
  if (exchange.request->response_file && status >= 200 && status < 300) {
    if (exchange.file == nullptr) {
      exchange.file = std::fopen(exchange.request->response_file->c_str(), "wb");
      if (exchange.file == nullptr) {
        exchange.file_failed = true;
        return 0;  // aborts the transfer
      }
    }
    return std::fwrite(data, 1, bytes, exchange.file);
  }
  exchange.response.body.append(data, bytes);
  return bytes;
}

Error transport_error(CURLcode code, const char* detail) {
  const bool never_sent = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
                          code == CURLE_COULDNT_RESOLVE_PROXY;
  std::string message = curl_easy_strerror(code);
  if (detail != nullptr && detail[0] != '\0') message += std::string(": ") + detail;
  return Error::make(never_sent ? ErrorCode::connection_failed : ErrorCode::network_error, message);
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const HttpHeader& entry : headers) {
    if (iequals(entry.name, name)) return entry.value;
  }
  return {};
}

// Idle easy handles. Each keeps its own connection cache, so taking a handle back out reuses its connections.
struct CurlHttpClient::HandlePool {
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

CurlHttpClient::CurlHttpClient(CurlHttpClientOptions options)
    : options_(options), pool_(std::make_unique<HandlePool>()) {
  initialise_curl_once();
}

CurlHttpClient::~CurlHttpClient() = default;

Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  CURL* handle = pool_->take();
  if (handle == nullptr) return Error::make(ErrorCode::internal, "curl_easy_init failed");
  Exchange exchange;
  exchange.handle = handle;
  exchange.request = &request;

  curl_slist* headers = nullptr;
  bool has_content_type = false;
  for (const HttpHeader& header : request.headers) {
    has_content_type = has_content_type || iequals(header.name, "Content-Type");
    const std::string line = header.value.empty() ? header.name + ";" : header.name + ": " + header.value;
    headers = curl_slist_append(headers, line.c_str());
  }
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  if (!has_content_type) headers = curl_slist_append(headers, "Content-Type:");  // libcurl's POST default is unsigned

  char error_detail[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_detail);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(request.timeout_ms > 0 ? request.timeout_ms : options_.total_timeout_ms));
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &exchange);
  if (request.fresh_connection) curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, 1L);
  if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET" || !request.body.empty()) {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method != "GET" && request.method != "DELETE") {
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  const CURLcode code = curl_easy_perform(handle);
  curl_slist_free_all(headers);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  pool_->give_back(handle, static_cast<size_t>(options_.max_idle_handles));

  if (exchange.file_failed) {
    return Error::make(ErrorCode::io_error, "cannot write " + request.response_file->string());
  }
  if (code != CURLE_OK) return transport_error(code, error_detail);
  exchange.response.status = static_cast<int>(status);
  if (request.response_file && status >= 200 && status < 300 && exchange.file == nullptr) {
    exchange.file = std::fopen(request.response_file->c_str(), "wb");  // an empty object is still a file
  }
  if (request.response_file && status >= 200 && status < 300 &&
      (exchange.file == nullptr || std::fflush(exchange.file) != 0)) {
    return Error::make(ErrorCode::io_error, "cannot write " + request.response_file->string());
  }
  return std::move(exchange.response);
}

}  // namespace live2::aws
