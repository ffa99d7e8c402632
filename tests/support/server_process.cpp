#include "support/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/api_exchange_recorder.h"
#include "support/http_client.h"
#include "support/temp_dir.h"

extern char** environ;

namespace live2::testing {
namespace {

using Clock = std::chrono::steady_clock;

// argv/envp arrays built before fork(): the child may only make async-signal-safe calls.
struct ExecImage {
  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;
  std::vector<char*> envp;

  ExecImage(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env)
      : argv_storage(args) {
    std::map<std::string, std::string> merged;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      std::string_view line(*entry);
      const auto equals = line.find('=');
      if (equals != std::string_view::npos) merged[std::string(line.substr(0, equals))] = line.substr(equals + 1);
    }
    for (const auto& [name, value] : extra_env) merged[name] = value;
    for (const auto& [name, value] : merged) env_storage.push_back(name + "=" + value);
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    for (auto& entry : env_storage) envp.push_back(entry.data());
    envp.push_back(nullptr);
  }
};

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string drain(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(got));
  return out;
}

}  // namespace

std::filesystem::path binary_dir() { return LIVE2_BINARY_DIR; }

int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

CommandOutput run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  ExecImage image(argv, env);
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execve(image.argv[0], image.argv.data(), image.envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  CommandOutput output;
  // stderr is read on a helper thread so neither pipe can fill up and block the child.
  std::thread err_reader([&] { output.stderr_text = drain(err_pipe[0]); });
  output.stdout_text = drain(out_pipe[0]);
  err_reader.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  output.exit_code = decode_wait_status(status);
  return output;
}

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
  if (options_.data_dir) {
    data_dir_ = *options_.data_dir;
  } else {
    owned_dir_ = std::make_unique<TempDir>("live2-serve");
    data_dir_ = owned_dir_->path() / "data";
  }
}

ServerProcess::~ServerProcess() {
  if (running()) stop(5'000);
}

std::string ServerProcess::tls_certificate_file() const {
  const auto it = options_.env.find("LIVE2_TLS_CERT_FILE");
  return it == options_.env.end() ? std::string() : it->second;
}

std::string ServerProcess::base_url() const {
  return (tls_certificate_file().empty() ? "http://127.0.0.1:" : "https://127.0.0.1:") + std::to_string(port_);
}

std::string ServerProcess::log_text() const { return read_whole_file(data_dir_.string() + "-serve.log"); }

void ServerProcess::start() {
  if (running()) throw std::logic_error("ServerProcess::start: already running");
  if (port_ == 0) port_ = free_loopback_port();
  std::filesystem::create_directories(data_dir_.parent_path());
  std::vector<std::string> args{(binary_dir() / "live2").string(), "serve", "--listen",
                                "127.0.0.1:" + std::to_string(port_), "--data-dir", data_dir_.string()};
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  // A connection a test leaves open mid-request holds a stopping server for its shutdown grace; 5 s keeps that well
  // inside stop()'s wait, so a test's stop never ends in SIGKILL. A test may set its own.
  std::map<std::string, std::string> env = options_.env;
  env.emplace("LIVE2_SHUTDOWN_GRACE_MS", "5000");
  ExecImage image(args, env);
  const std::string log_path = data_dir_.string() + "-serve.log";
  const std::string working_dir = data_dir_.parent_path().string();  // away from any developer .env
  std::optional<rlimit> open_files;
  if (options_.max_open_files) {
    const auto limit = static_cast<rlim_t>(*options_.max_open_files);
    open_files = rlimit{limit, limit};
  }

  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd >= 0) {
      dup2(log_fd, STDOUT_FILENO);
      dup2(log_fd, STDERR_FILENO);
    }
    if (chdir(working_dir.c_str()) != 0) _exit(126);
    if (open_files && setrlimit(RLIMIT_NOFILE, &*open_files) != 0) _exit(126);
    execve(image.argv[0], image.argv.data(), image.envp.data());
    _exit(127);
  }
  pid_ = pid;

  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.ready_timeout_ms);
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("live2 serve exited with " + std::to_string(decode_wait_status(status)) +
                               " before it was ready:\n" + log_text());
    }
    HttpRequest probe{"GET", url("/health"), {}, "", 500};
    if (http_request(probe, tls_certificate_file()).status == 200) {
      record_exchanges_with(base_url());
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop(2'000);
  throw std::runtime_error("live2 serve did not answer /health in time:\n" + log_text());
}

int ServerProcess::stop(long grace_ms) {
  if (!running()) throw std::logic_error("ServerProcess::stop: not running");
  kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::milliseconds(grace_ms);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return decode_wait_status(status);
}

void ServerProcess::kill_now() {
  if (!running()) throw std::logic_error("ServerProcess::kill_now: not running");
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

double ServerProcess::cpu_seconds() const {
  if (!running()) throw std::logic_error("ServerProcess::cpu_seconds: not running");
  const std::string stat = read_whole_file("/proc/" + std::to_string(pid_) + "/stat");
  // Fields after the command name (which may hold spaces) start after its closing parenthesis; utime and stime
  // are fields 14 and 15 of the line, in clock ticks.
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  for (int index = 3; index < 14; ++index) fields >> field;
  long user_ticks = 0, system_ticks = 0;
  fields >> user_ticks >> system_ticks;
  return static_cast<double>(user_ticks + system_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long ServerProcess::status_kib(const std::string& field) const {
  if (!running()) throw std::logic_error("ServerProcess: " + field + " of a server that is not running");
  const std::string status = read_whole_file("/proc/" + std::to_string(pid_) + "/status");
  const auto at = status.find(field + ":");
  if (at == std::string::npos) throw std::runtime_error("no " + field + " in /proc/" + std::to_string(pid_) + "/status");
  return std::stol(status.substr(at + field.size() + 1));
}

long ServerProcess::rss_kib() const { return status_kib("VmRSS"); }

long ServerProcess::peak_rss_kib() const { return status_kib("VmHWM"); }

void ServerProcess::restart() {
  stop();
  start();
}

std::string ServerProcess::create_key(const std::string& user, const std::string& tier, bool admin) const {
  std::vector<std::string> args{(binary_dir() / "live2").string(), "keys", "create", "--user", user, "--tier", tier,
                                "--data-dir", data_dir_.string()};
  if (admin) args.push_back("--admin");
  CommandOutput output = run_command(args, options_.env);
  std::string key = output.stdout_text;
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) key.pop_back();
  if (output.exit_code != 0 || key.empty()) {
    throw std::runtime_error("live2 keys create failed (" + std::to_string(output.exit_code) + "): " +
                             output.stderr_text);
  }
  return key;
}

}  // namespace live2::testing
