#include "client/http_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace live2::client {
namespace {

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Exchange {
  CURL* handle = nullptr;
  HttpResponse response;
  const HttpTransport::ChunkHandler* on_chunk = nullptr;  // null: keep the body
  bool stopped_by_handler = false;
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) exchange.response.headers.clear();  // a new response (after 100 Continue)
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    exchange.response.headers[name] = std::string(value);
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  std::string_view chunk(data, size * count);
  long status = 0;
  curl_easy_getinfo(exchange.handle, CURLINFO_RESPONSE_CODE, &status);
  if (exchange.on_chunk == nullptr || status < 200 || status >= 300) {
    exchange.response.body.append(chunk);
    return chunk.size();
  }
  if (!(*exchange.on_chunk)(chunk)) {
    exchange.stopped_by_handler = true;
    return 0;  // makes libcurl abort the transfer
  }
  return chunk.size();
}

Result<HttpResponse> perform(const HttpRequest& request, const HttpTransport::ChunkHandler* on_chunk) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Error::make(ErrorCode::connection_failed, "curl_easy_init failed");
  Exchange exchange;
  exchange.handle = curl.get();
  exchange.on_chunk = on_chunk;

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const auto& [name, value] : request.headers) {
    headers.reset(curl_slist_append(headers.release(), (name + ": " + value).c_str()));
  }
  headers.reset(curl_slist_append(headers.release(), "Expect:"));
  char error_text[CURL_ERROR_SIZE] = {};

  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (!request.body.empty() || request.method == "POST") {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  if (request.idle_timeout_ms > 0) {
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, static_cast<long>((request.idle_timeout_ms + 999) / 1000));
  }
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "live2-cli/" LIVE2_VERSION);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);

  const CURLcode code = curl_easy_perform(handle);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  exchange.response.status = static_cast<int>(status);
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && exchange.stopped_by_handler)) {
    const std::string detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
    return Error::make(ErrorCode::connection_failed, request.method + " " + request.url + ": " + detail);
  }
  return std::move(exchange.response);
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

Result<HttpResponse> CurlHttpTransport::send(const HttpRequest& request) { return perform(request, nullptr); }

Result<HttpResponse> CurlHttpTransport::stream(const HttpRequest& request, const ChunkHandler& on_chunk) {
  return perform(request, &on_chunk);
}

}  // namespace live2::client
