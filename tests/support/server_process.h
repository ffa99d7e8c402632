// ServerProcess: the real `live2 serve` as a child process for integration tests. It listens on a free loopback
// port with its own data dir (a TempDir unless one is given), gets extra environment variables, and is ready when
// GET /health answers. With LIVE2_TLS_CERT_FILE in its environment it speaks HTTPS: base_url() is https and the
// readiness probe trusts that certificate file alone (tests use self-signed certificates). stop() sends SIGTERM and returns the exit code; the destructor stops a running server
// (SIGKILL if it does not exit within the grace period). The child's stdout+stderr go to `{data_dir}-serve.log` (a sibling
// file, so it survives restarts and is not an artifact).
// Also runs `live2 keys create` against the same data dir. Not thread-safe (one owner); the HTTP calls tests make
// against base_url() may come from any thread.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace live2::testing {

struct ServerOptions {
  std::map<std::string, std::string> env;        // e.g. {"LIVE2_TIER_HOBBY_REQUESTS_PER_MINUTE", "5"}
  std::optional<std::filesystem::path> data_dir; // default: a fresh TempDir owned by the ServerProcess
  std::vector<std::string> extra_args;           // appended to `live2 serve ...`
  long ready_timeout_ms = 15'000;
  std::optional<long> max_open_files = std::nullopt;  // RLIMIT_NOFILE (soft and hard) of the server, as `prlimit -n` sets it
};

// Where the build put `live2` and `live2-sim` (from CMake).
std::filesystem::path binary_dir();

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the server and waits for /health; throws std::runtime_error (with the log) when it does not come up.
  void start();
  // SIGTERM, then waits up to `grace_ms` (SIGKILL after that). Returns the exit code, or 128+signal.
  int stop(long grace_ms = 20'000);
  // SIGKILL (a crash: nothing is flushed or closed), then reaps the process.
  void kill_now();
  // stop() then start() on the same data dir and port.
  void restart();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // User plus system CPU time the running server has used so far (from /proc/<pid>/stat).
  double cpu_seconds() const;
  // The running server's resident set size in KiB (VmRSS of /proc/<pid>/status), and its peak since it started
  // (VmHWM).
  long rss_kib() const;
  long peak_rss_kib() const;

  int port() const { return port_; }
  std::string base_url() const;                       // http://127.0.0.1:<port> (https with LIVE2_TLS_CERT_FILE)
  std::string url(const std::string& path) const { return base_url() + path; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::string log_text() const;                       // everything the server printed so far

  // `live2 keys create --user U --tier T [--admin] --data-dir D`; returns the key (throws on failure).
  std::string create_key(const std::string& user, const std::string& tier = "research", bool admin = false) const;

 private:
  long status_kib(const std::string& field) const;  // a "Name:   N kB" line of /proc/<pid>/status
  std::string tls_certificate_file() const;         // LIVE2_TLS_CERT_FILE of its environment, empty for plain HTTP

  ServerOptions options_;
  std::unique_ptr<TempDir> owned_dir_;
  std::filesystem::path data_dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

struct CommandOutput {
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
};

// Runs a program with extra environment variables and returns its exit code and output. Throws if it cannot start.
CommandOutput run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});

// A loopback TCP port nobody listens on right now.
int free_loopback_port();

}  // namespace live2::testing
