#include "webhooks/webhook_transport.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

namespace live2::webhooks {
namespace {

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

bool same_address(const curl_sockaddr& candidate, const IpAddress& pinned) {
  if (candidate.family == AF_INET && !pinned.is_v6) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&candidate.addr);
    return std::memcmp(&v4->sin_addr, pinned.bytes.data(), 4) == 0;
  }
  if (candidate.family == AF_INET6 && pinned.is_v6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&candidate.addr);
    return std::memcmp(&v6->sin6_addr, pinned.bytes.data(), 16) == 0;
  }
  return false;
}

// Defence in depth behind CURLOPT_CONNECT_TO: a socket is only ever opened to the checked address.
curl_socket_t open_pinned_socket(void* pinned, curlsocktype, curl_sockaddr* candidate) {
  if (!same_address(*candidate, *static_cast<const IpAddress*>(pinned))) return CURL_SOCKET_BAD;
  return socket(candidate->family, candidate->socktype, candidate->protocol);
}

// libcurl calls this about once a second and whenever data moves; a non-zero return aborts the transfer.
int check_abort(void* abort, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return abort != nullptr && static_cast<const std::atomic<bool>*>(abort)->load() ? 1 : 0;
}

// The receiver's answer is not used; reading it keeps the connection well-behaved.
size_t discard_body(char*, size_t size, size_t count, void*) { return size * count; }

Error transfer_error(CURLcode code, const char* detail) {
  const std::string message = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Error::make(ErrorCode::timeout, message);
    case CURLE_COULDNT_CONNECT:
      return Error::make(ErrorCode::connection_failed, message);
    case CURLE_ABORTED_BY_CALLBACK:
      return Error::make(ErrorCode::aborted, "the attempt was abandoned because the service is stopping");
    default:
      return Error::make(ErrorCode::network_error, message);
  }
}

}  // namespace

Result<int> CurlWebhookTransport::post(const WebhookRequest& request) {
  CurlHandle curl(curl_easy_init());
  if (!curl) return Error::make(ErrorCode::network_error, "curl_easy_init failed");
  const PinnedWebhookTarget& target = request.target;
  // "::ADDRESS:PORT": whatever host and port the URL names, connect to the checked address. CONNECT_TO rather than
  // CURLOPT_RESOLVE, whose HOST:PORT key cannot spell an IPv6 literal host (its colons end the key), so such a URL
  // never matched and curl refused the entry. An IPv6 address needs its brackets here.
  const std::string address =
      target.address.is_v6 ? fmt::format("[{}]", target.address.to_string()) : target.address.to_string();
  Slist connect_to(curl_slist_append(nullptr, fmt::format("::{}:{}", address, target.port).c_str()));
  Slist headers(curl_slist_append(nullptr, "Content-Type: application/json"));
  for (const auto& [name, value] : request.headers) {
    headers.reset(curl_slist_append(headers.release(), (name + ": " + value).c_str()));
  }
  headers.reset(curl_slist_append(headers.release(), "Expect:"));  // no 100-continue round trip
  char error_text[CURL_ERROR_SIZE] = {};
  IpAddress pinned = target.address;

  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, target.url.c_str());
  curl_easy_setopt(handle, CURLOPT_CONNECT_TO, connect_to.get());
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, open_pinned_socket);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, &pinned);
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "live2-webhooks/" LIVE2_VERSION);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard_body);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);
  if (request.abort != nullptr) {
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, check_abort);
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(request.abort));
  }

  if (CURLcode code = curl_easy_perform(handle); code != CURLE_OK) return transfer_error(code, error_text);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  return static_cast<int>(status);
}

}  // namespace live2::webhooks
