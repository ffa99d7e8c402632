// FakeHttpServer: a tiny HTTP/1.1 server on 127.0.0.1 (free port) for tests of the AWS layer: it answers every
// request with what the test's handler returns and keeps connections open (keep-alive), counting them so tests can
// check connection reuse. Requests are handled one connection per thread. Stops in the destructor.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace live2::aws::testing {

struct FakeRequest {
  std::string method;
  std::string target;  // path and query as sent
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct FakeResponse {
  int status = 200;
  std::string body;
  std::map<std::string, std::string> headers = {};
  int delay_ms = 0;  // before answering (timeout tests)
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  explicit FakeHttpServer(Handler handler);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::string base_url() const;  // http://127.0.0.1:<port>
  int connections_accepted() const { return connections_accepted_.load(); }
  std::vector<FakeRequest> requests() const;

 private:
  void accept_loop();
  void serve_connection(int socket);

  Handler handler_;
  int listen_socket_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_accepted_{0};
  mutable std::mutex mutex_;
  std::vector<FakeRequest> requests_;
  std::vector<int> open_sockets_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace live2::aws::testing
