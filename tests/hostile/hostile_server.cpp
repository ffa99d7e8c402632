#include "hostile_server.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <set>
#include <thread>

#include "support/http_client.h"

namespace live2::hostile {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// Short deadlines, so the tests see connections that miss them closed within seconds. The attacker is a hobby user
// whose rate limit does not hide the server's own checks, and whose accepted jobs are tiny, few and two at a time.
// 127.0.0.1 is a trusted proxy, so the legitimate client's X-Forwarded-For is its address (legit_client.h).
std::map<std::string, std::string> suite_env() {
  return {{"LIVE2_HEADER_TIMEOUT_MS", "2000"},
          {"LIVE2_IDLE_TIMEOUT_MS", "5000"},
          {"LIVE2_SHUTDOWN_GRACE_MS", "5000"},
          {"LIVE2_MAX_CONCURRENT_JOBS", "2"},
          {"LIVE2_WORKER_THREADS", "1"},
          {"LIVE2_TIER_HOBBY_REQUESTS_PER_MINUTE", "1000000"},
          {"LIVE2_TIER_HOBBY_PARTICLE_STEPS_PER_JOB", "100000"},
          {"LIVE2_TIER_HOBBY_JOBS_PER_DAY", "10"},
          {"LIVE2_TRUSTED_PROXIES", "127.0.0.1"}};
}

double mib(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

bool is_terminal(const std::string& status) {
  return status == "completed" || status == "failed" || status == "cancelled";
}

// The rows of PRAGMA integrity_check on a read-only connection ("ok" when the file is sound).
std::string integrity_check(const std::filesystem::path& database) {
  sqlite3* db = nullptr;
  std::string result;
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    result = std::string("cannot open: ") + sqlite3_errmsg(db);
    sqlite3_close(db);
    return result;
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK) {
    while (sqlite3_step(statement) == SQLITE_ROW) {
      if (!result.empty()) result += "\n";
      result += reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
  } else {
    result = std::string("cannot run integrity_check: ") + sqlite3_errmsg(db);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

}  // namespace

int64_t MemoryBound::io_threads() { return std::max(2u, std::thread::hardware_concurrency()); }

HostileServer::HostileServer(std::map<std::string, std::string> extra_env) : env_(suite_env()) {
  for (auto& [name, value] : extra_env) env_[name] = value;
}

HostileServer::~HostileServer() {
  if (legit_) legit_->stop();
}

void HostileServer::start() {
  server_ = std::make_unique<testing::ServerProcess>(testing::ServerOptions{env_, std::nullopt, {}, 15'000});
  server_->start();
  legit_key_ = server_->create_key("legit", "research");
  attacker_key_ = server_->create_key("attacker", "hobby");
  admin_key_ = server_->create_key("ops", "research", true);
  // A first authenticated request and job warm up what every later request uses (caches, the executor).
  legit_ = std::make_unique<LegitClient>(server_->base_url(), legit_key_, 1'000);
  EXPECT_EQ(legit_->submit_once(5'000), 202);
  baseline_rss_bytes_ = server_->rss_kib() * 1024;
  legit_->start();
}

std::map<std::string, std::string> HostileServer::job_statuses(const std::string& key) const {
  std::map<std::string, std::string> statuses;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    const auto response = testing::http_get(
        server_->url("/api/v1/jobs?limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor)), legit_headers(key));
    if (response.status != 200) {
      ADD_FAILURE() << "GET /api/v1/jobs answered " << response.status << " " << response.body;
      return statuses;
    }
    const json::object listing = json::parse(response.body).as_object();
    for (const auto& job : listing.at("jobs").as_array()) {
      statuses[std::string(job.at("job_id").as_string())] = std::string(job.at("status").as_string());
    }
    if (listing.at("next_cursor").is_null()) break;
    cursor = std::string(listing.at("next_cursor").as_string());
  }
  return statuses;
}

int64_t HostileServer::header_timeout_ms() const { return std::stoll(env_.at("LIVE2_HEADER_TIMEOUT_MS")); }

std::string HostileServer::log_tail(size_t max_bytes) const {
  const std::string log = server_->log_text();
  return "\n--- server log (tail) ---\n" + (log.size() > max_bytes ? log.substr(log.size() - max_bytes) : log);
}

void HostileServer::expect_survived(const MemoryBound& bound) {
  legit_->stop();

  const auto asked = std::chrono::steady_clock::now();
  const auto health = testing::http_request(testing::HttpRequest{"GET", url("/health"), {}, "", 1'000});
  const auto health_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - asked).count();
  EXPECT_EQ(health.status, 200) << "after the attack /health did not answer within 1 s (" << health.transport_error
                                << ")" << log_tail();

  const int64_t rss_bytes = server_->rss_kib() * 1024;
  const int64_t peak_rss_bytes = server_->peak_rss_kib() * 1024;
  const int64_t limit = bound.limit_bytes(baseline_rss_bytes_);
  std::cout << "[hostile] /health " << health_ms << " ms; RSS baseline " << mib(baseline_rss_bytes_) << " MiB, now "
            << mib(rss_bytes) << " MiB, peak " << mib(peak_rss_bytes) << " MiB, bound " << mib(limit)
            << " MiB (" << bound.connections << " connections, " << bound.body_connections << " reading bodies, "
            << bound.json_bodies << " parsing)\n";
  EXPECT_LE(peak_rss_bytes, limit) << "peak RSS " << mib(peak_rss_bytes) << " MiB is over the bound "
                                       << mib(limit) << " MiB";

  EXPECT_TRUE(legit_->faults().empty()) << "the legitimate client got a server fault: " << legit_->faults().front();
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(legit_->submit_once(5'000), 202) << "after the attack the legitimate client is not served" << log_tail();
  }
  expect_accepted_jobs_kept();

  EXPECT_EQ(server_->stop(), 0) << "the server did not stop cleanly" << log_tail();
  EXPECT_EQ(integrity_check(server_->data_dir() / "live2.db"), "ok");
}

// Every job the legitimate client was promised is listed; after a wait for them to finish, each is terminal or still
// queued/running, and the two submitted after the attack completed (the executor still works).
void HostileServer::expect_accepted_jobs_kept() {
  const std::vector<std::string>& accepted = legit_->accepted();
  std::map<std::string, std::string> statuses;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (true) {
    statuses = job_statuses(legit_key_);
    const bool all_terminal = std::all_of(accepted.begin(), accepted.end(), [&](const std::string& id) {
      return statuses.count(id) && is_terminal(statuses[id]);
    });
    if (all_terminal || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(200ms);
  }
  std::map<std::string, int> by_status;
  for (const std::string& id : accepted) {
    const auto found = statuses.find(id);
    if (found == statuses.end()) {
      ADD_FAILURE() << "accepted job " << id << " is missing from GET /api/v1/jobs";
      continue;
    }
    ++by_status[found->second];
    const std::set<std::string> known{"queued", "running", "completed", "failed", "cancelled"};
    EXPECT_TRUE(known.count(found->second)) << id << " has status " << found->second;
  }
  std::cout << "[hostile] legitimate client: " << legit_->attempts() << " submissions, " << accepted.size()
            << " accepted;";
  for (const auto& [status, count] : by_status) std::cout << " " << status << " " << count;
  std::cout << "\n";
  for (size_t i = accepted.size() >= 2 ? accepted.size() - 2 : 0; i < accepted.size(); ++i) {
    EXPECT_EQ(statuses[accepted[i]], "completed") << "a job submitted after the attack did not complete" << log_tail();
  }
}

}  // namespace live2::hostile
