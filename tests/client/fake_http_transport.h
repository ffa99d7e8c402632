// A scripted HttpTransport for ApiClient unit tests: answers each call with the next canned response (or error) and
// records the requests. Streams hand the canned body to the chunk handler in small pieces. Not thread-safe.
#pragma once

#include <deque>
#include <vector>

#include "client/http_transport.h"

namespace live2::client {

class FakeHttpTransport final : public HttpTransport {
 public:
  std::deque<Result<HttpResponse>> answers;
  std::vector<HttpRequest> requests;

  void answer(int status, std::string body, std::map<std::string, std::string> headers = {}) {
    answers.push_back(HttpResponse{status, std::move(headers), std::move(body)});
  }

  Result<HttpResponse> send(const HttpRequest& request) override { return next(request); }

  Result<HttpResponse> stream(const HttpRequest& request, const ChunkHandler& on_chunk) override {
    Result<HttpResponse> response = next(request);
    if (!response || response->status < 200 || response->status >= 300) return response;
    std::string body = std::move(response->body);
    response->body.clear();
    for (size_t at = 0; at < body.size(); at += 7) {
      if (!on_chunk(std::string_view(body).substr(at, 7))) break;
    }
    return response;
  }

 private:
  Result<HttpResponse> next(const HttpRequest& request) {
    requests.push_back(request);
    if (answers.empty()) return Error::make(ErrorCode::connection_failed, "no scripted answer left");
    Result<HttpResponse> out = std::move(answers.front());
    answers.pop_front();
    return out;
  }
};

}  // namespace live2::client
