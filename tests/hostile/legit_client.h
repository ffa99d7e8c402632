// LegitClient: the well-behaved user who keeps working while the hostile tests attack the server. On its own thread
// it submits a small simulation every `interval_ms` (each on a fresh connection, with a short timeout), and keeps
// the id of every job the server accepted (202) and every answer that would be a server fault (a 5xx other than
// 503). Timeouts, 429 and 503 are allowed while an attack runs: the client just tries again later.
// It comes through a trusted reverse proxy (127.0.0.1, LIVE2_TRUSTED_PROXIES) from kLegitAddress, as a user behind
// a proxy would: limits per client address that the attackers (who connect as 127.0.0.1) trip are not its own.
// start()/stop() from one owner thread; accepted()/faults() after stop().
#pragma once

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace live2::hostile {

// A run of a second or less: the jobs the legitimate client submits.
std::string small_job_body();

// The legitimate side's client address (TEST-NET-1: only ever a header value, never connected to).
inline constexpr const char* kLegitAddress = "192.0.2.10";

// Bearer `api_key`, sent through the proxy from kLegitAddress.
std::map<std::string, std::string> legit_headers(const std::string& api_key);

class LegitClient {
 public:
  LegitClient(std::string base_url, std::string api_key, long interval_ms = 500);
  ~LegitClient();
  LegitClient(const LegitClient&) = delete;
  LegitClient& operator=(const LegitClient&) = delete;

  void start();
  void stop();

  // One submission now, on the caller's thread; returns the HTTP status (0 when no answer) and keeps a 202's id.
  long submit_once(long timeout_ms);

  const std::vector<std::string>& accepted() const { return accepted_; }
  const std::vector<std::string>& faults() const { return faults_; }
  int attempts() const { return attempts_; }

 private:
  const std::string base_url_;
  const std::string api_key_;
  const long interval_ms_;
  std::atomic<bool> running_{false};
  std::thread thread_;
  std::vector<std::string> accepted_;
  std::vector<std::string> faults_;
  int attempts_ = 0;
};

}  // namespace live2::hostile
