#include "support/http_client.h"

#include "support/api_exchange_recorder.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace live2::testing {
namespace {

struct Exchange {
  HttpResponse response;
  const std::function<bool(std::string_view)>* on_chunk = nullptr;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  exchange->response.body.append(data, bytes);
  if (exchange->on_chunk && !(*exchange->on_chunk)(std::string_view(data, bytes))) return 0;  // aborts the transfer
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    exchange->response.headers.clear();  // a 100 Continue or redirect precedes the real header block
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  exchange->response.headers[name] = std::string(value);
  return bytes;
}

void initialise_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResponse perform(const HttpRequest& request, const std::function<bool(std::string_view)>* on_chunk,
                     const std::string& ca_file) {
  initialise_curl_once();
  Exchange exchange;
  exchange.on_chunk = on_chunk;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  if (!ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &exchange);
  if (request.method == "HEAD") curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : request.headers) {
    header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  }
  // Without this curl announces "Expect: 100-continue" for large bodies and may wait for the server's answer.
  if (request.headers.find("Expect") == request.headers.end()) header_list = curl_slist_append(header_list, "Expect:");
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list);

  const CURLcode code = curl_easy_perform(handle);
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &exchange.response.status);
  curl_slist_free_all(header_list);
  const bool stopped_by_caller = code == CURLE_WRITE_ERROR && on_chunk != nullptr;
  if (code != CURLE_OK && !stopped_by_caller) exchange.response.transport_error = curl_easy_strerror(code);
  record_exchange(request, exchange.response, stopped_by_caller);
  return std::move(exchange.response);
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpResponse http_request(const HttpRequest& request, const std::string& ca_file) {
  return perform(request, nullptr, ca_file);
}

HttpResponse http_get(const std::string& url, const std::map<std::string, std::string>& headers) {
  return http_request(HttpRequest{"GET", url, headers, "", 10'000});
}

HttpResponse http_post_json(const std::string& url, const std::string& json_body,
                            const std::map<std::string, std::string>& headers) {
  HttpRequest request{"POST", url, headers, json_body, 10'000};
  request.headers.emplace("Content-Type", "application/json");
  return http_request(request);
}

HttpResponse http_stream(const HttpRequest& request, const std::function<bool(std::string_view chunk)>& on_chunk,
                         const std::string& ca_file) {
  return perform(request, &on_chunk, ca_file);
}

std::map<std::string, std::string> bearer(const std::string& api_key) {
  return {{"Authorization", "Bearer " + api_key}};
}

}  // namespace live2::testing
