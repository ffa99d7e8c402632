// Debian's caddy in front of `live2 serve` as docs/deploy.md sets it up, from a Caddyfile the test generates (`admin
// off`, free ports, `tls internal` with its own storage: never the packaged service or the system's trust store):
// the API works through HTTPS checked against Caddy's local CA, and with LIVE2_TRUSTED_PROXIES=127.0.0.1 the access
// log sees the real client behind Caddy, while an X-Forwarded-For forged by a peer that is not a trusted proxy is
// ignored. Clients come from other loopback addresses (127.0.0.2, 127.0.0.3) to tell them apart.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "ops_test_helpers.h"

extern char** environ;

namespace live2::ops {
namespace {

namespace fs = std::filesystem;
using live2::testing::free_loopback_port;
using live2::testing::run_command;
using live2::testing::ServerProcess;

// `caddy run` as a child process, stopped when the object dies.
class CaddyProcess {
 public:
  CaddyProcess(const fs::path& caddyfile, const fs::path& home) {
    const std::string home_env = "HOME=" + home.string();
    const std::string data_env = "XDG_DATA_HOME=" + (home / "data").string();
    const std::string config_env = "XDG_CONFIG_HOME=" + (home / "config").string();
    const std::string path_env = std::string("PATH=") + getenv("PATH");
    std::vector<char*> env{const_cast<char*>(home_env.c_str()), const_cast<char*>(data_env.c_str()),
                           const_cast<char*>(config_env.c_str()), const_cast<char*>(path_env.c_str()), nullptr};
    const std::string log = (home / "caddy.log").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::string config = caddyfile.string();
    std::vector<char*> argv{const_cast<char*>("caddy"), const_cast<char*>("run"), const_cast<char*>("--config"),
                            config.data(), const_cast<char*>("--adapter"), const_cast<char*>("caddyfile"), nullptr};
    if (posix_spawnp(&pid_, "caddy", &actions, nullptr, argv.data(), env.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~CaddyProcess() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

// The access-log line of the request with this X-Request-Id.
std::string access_log_line(const ServerProcess& server, const std::string& request_id) {
  const std::string log = server.log_text();
  const auto at = log.find("\"request_id\":\"" + request_id + "\"");
  if (at == std::string::npos) return "";
  const auto start = log.rfind('\n', at) + 1;
  return log.substr(start, log.find('\n', at) - start);
}

TEST(BehindCaddy, TheApiWorksOverHttpsAndTheLogSeesTheRealClientOnly) {
  const std::string curl_program = find_program("curl");
  ASSERT_FALSE(curl_program.empty());
  if (find_program("caddy").empty()) GTEST_SKIP() << "caddy is not installed (scripts/install-deps.sh --test)";
  live2::testing::TempDir dir("live2-caddy");
  live2::testing::ServerOptions options = burst_server_options(dir);
  options.env["LIVE2_TRUSTED_PROXIES"] = "127.0.0.1";
  ServerProcess server(options);
  server.start();
  const std::string key = server.create_key("alice", "enterprise");

  const int https_port = free_loopback_port();
  const fs::path caddyfile = dir.path() / "Caddyfile";
  std::ofstream(caddyfile) << "{\n\tadmin off\n\tauto_https disable_redirects\n\tskip_install_trust\n"
                           << "\thttp_port " << free_loopback_port() << "\n\thttps_port " << https_port << "\n"
                           << "\tstorage file_system " << (dir.path() / "caddy-storage").string() << "\n}\n"
                           << "https://127.0.0.1:" << https_port << " {\n\ttls internal\n"
                           << "\treverse_proxy 127.0.0.1:" << server.port() << "\n}\n";
  CaddyProcess caddy(caddyfile, dir.path());
  ASSERT_TRUE(caddy.started());
  const fs::path root_ca = dir.path() / "caddy-storage" / "pki" / "authorities" / "local" / "root.crt";
  const std::string base = "https://127.0.0.1:" + std::to_string(https_port);
  auto curl = [&](std::vector<std::string> arguments) {
    std::vector<std::string> argv{curl_program, "-sS", "--max-time", "10", "--cacert", root_ca.string(), "-o", "/dev/null",
                                  "-w", "%{http_code}"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return run_command(argv);
  };
  ASSERT_TRUE(api::testing::eventually([&] { return curl({base + "/health"}).stdout_text == "200"; }, 20'000))
      << live2::testing::read_whole_file(dir.path() / "caddy.log");

  // The API through Caddy, from 127.0.0.3, with a forged X-Forwarded-For that Caddy does not pass on as the client.
  const auto listed = curl({"--interface", "127.0.0.3", "-H", "Authorization: Bearer " + key, "-H",
                            "X-Request-Id: via-caddy-list", "-H", "X-Forwarded-For: 203.0.113.7",
                            base + "/api/v1/jobs"});
  EXPECT_EQ(listed.stdout_text, "200") << listed.stderr_text;
  const auto submitted = curl({"--interface", "127.0.0.3", "-H", "Authorization: Bearer " + key, "-H",
                               "Content-Type: application/json", "-H", "X-Request-Id: via-caddy-submit", "--data",
                               api::testing::job_body(), base + "/api/v1/jobs"});
  EXPECT_EQ(submitted.stdout_text, "202") << submitted.stderr_text;
  // Straight to live2 from 127.0.0.2, which is no trusted proxy: its X-Forwarded-For is not believed.
  const auto forged = run_command({curl_program, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--interface", "127.0.0.2",
                                   "-H", "X-Request-Id: forged-direct", "-H", "X-Forwarded-For: 198.51.100.9",
                                   server.url("/health")});
  EXPECT_EQ(forged.stdout_text, "200") << forged.stderr_text;

  ASSERT_TRUE(api::testing::eventually([&] { return !access_log_line(server, "forged-direct").empty(); }));
  EXPECT_NE(access_log_line(server, "via-caddy-list").find("\"remote\":\"127.0.0.3\""), std::string::npos)
      << access_log_line(server, "via-caddy-list");
  EXPECT_NE(access_log_line(server, "via-caddy-submit").find("\"remote\":\"127.0.0.3\""), std::string::npos);
  EXPECT_NE(access_log_line(server, "forged-direct").find("\"remote\":\"127.0.0.2\""), std::string::npos)
      << access_log_line(server, "forged-direct");
}

}  // namespace
}  // namespace live2::ops
