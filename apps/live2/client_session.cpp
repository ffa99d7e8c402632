#include "client_session.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <iostream>

#include "base/json_text.h"
#include "client/job_text.h"
#include "settings_loader.h"

namespace live2::app {
namespace {

client::ClientConfig client_config(const CommonOptions& options) {
  const auto variables = environment_with_dotenv();
  client::ClientConfig config;
  if (auto it = variables.find("LIVE2_URL"); it != variables.end() && !it->second.empty()) config.base_url = it->second;
  if (!options.url.empty()) config.base_url = options.url;
  if (auto it = variables.find("LIVE2_API_KEY"); it != variables.end()) config.api_key = it->second;
  return config;
}

std::string how_to_follow(const std::string& job_id) {
  return "  follow it again: live2 watch " + job_id + "\n  stop it:         live2 cancel " + job_id + "\n";
}

// Ctrl-C while following: the job runs on the server whatever this process does, so the handler says so before
// exiting. It may only call async-signal-safe functions, so the message is written into this buffer beforehand.
std::array<char, 512> interrupt_message{};
size_t interrupt_message_size = 0;

extern "C" void on_interrupt(int) {
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, interrupt_message.data(), interrupt_message_size);
  ::_exit(kExitInterrupted);
}

// Installs on_interrupt for SIGINT while it lives and puts back the previous handler.
class InterruptNotice {
 public:
  explicit InterruptNotice(const std::string& job_id) {
    const std::string message = "\nlive2: stopped following " + job_id +
                                "; the job goes on on the server (Ctrl-C does not cancel it).\n" +
                                how_to_follow(job_id);
    interrupt_message_size = std::min(message.size(), interrupt_message.size());
    std::memcpy(interrupt_message.data(), message.data(), interrupt_message_size);
    struct sigaction action{};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_);
  }
  ~InterruptNotice() { sigaction(SIGINT, &previous_, nullptr); }
  InterruptNotice(const InterruptNotice&) = delete;
  InterruptNotice& operator=(const InterruptNotice&) = delete;

 private:
  struct sigaction previous_{};
};

// The transport's failures: no answer from the server, which says nothing about the job.
bool server_unreachable(const Error& error) {
  switch (error.code) {
    case ErrorCode::dns_failed:
    case ErrorCode::connection_failed:
    case ErrorCode::network_error:
    case ErrorCode::timeout:
    case ErrorCode::stream_ended:
      return true;
    default:
      return false;
  }
}

}  // namespace

Connection::Connection(const CommonOptions& options) : api_(client_config(options), transport_) {}

void fail(const Error& error) {
  std::cerr << client::describe_error(error);
  const bool input_problem = error.code == ErrorCode::validation_failed || error.code == ErrorCode::bad_request ||
                             error.code == ErrorCode::invalid_job_id || error.code == ErrorCode::invalid_input;
  if (error.code == ErrorCode::unauthorized) std::cerr << "  (set LIVE2_API_KEY in the environment or in .env)\n";
  throw CLI::RuntimeError(input_problem ? kExitInvalidInput : kExitRequestFailed);
}

void fail_input(const std::string& message) { fail(Error::make(ErrorCode::invalid_input, message)); }

void print_json(const boost::json::value& value) { std::cout << json_text(value) << "\n"; }

CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description,
                      const std::shared_ptr<CommonOptions>& common, const std::string& examples, JsonFlag json_flag) {
  CLI::App* command = app.add_subcommand(name, description);
  if (json_flag == JsonFlag::offered) {
    command->add_flag("--json", common->json_output, "print the server's JSON instead of text");
  }
  command->add_option("--url", common->url, "server base URL (default: LIVE2_URL or http://127.0.0.1:8080)");
  command->footer("Examples:\n" + examples);
  return command;
}

void add_job_argument(CLI::App* command, std::string& job_id) {
  command->add_option("job_id", job_id, "job id, or a unique prefix of one (job_0mxa6)")->required();
}

std::string resolve_job_id(client::ApiClient& api, const std::string& argument) {
  return take(api.resolve_job_id(argument));
}

client::JobView follow(client::ApiClient& api, const std::string& job_id, bool events_as_json) {
  const bool on_terminal = isatty(STDERR_FILENO) == 1;
  std::string last_status;
  const InterruptNotice notice(job_id);
  Result<client::JobView> last = api.follow_events(job_id, [&](const client::JobView& job) {
    if (events_as_json) {
      print_json(job.json);
      std::cout.flush();
    } else if (on_terminal) {
      std::cerr << "\r" << job.job_id << " " << client::progress_line(job, 30) << "\033[K" << std::flush;
    } else if (job.status != last_status) {
      std::cerr << job.job_id << ": " << job.status << "\n";
    }
    last_status = job.status;
    return true;
  });
  if (on_terminal && !events_as_json) std::cerr << "\n";
  if (!last && server_unreachable(last.error())) {
    std::cerr << client::describe_error(last.error()) << "live2: lost the server while following " << job_id
              << "; that does not stop the job: it goes on (a local job resumes when the server is back).\n"
              << how_to_follow(job_id);
    throw CLI::RuntimeError(kExitRequestFailed);
  }
  return take(std::move(last));
}

int exit_code_for(const client::JobView& job) {
  if (job.status == "completed") return 0;
  return job.status == "cancelled" ? kExitJobCancelled : kExitJobFailed;
}

void finish_followed(const client::JobView& job, bool json_output) {
  if (json_output) {
    print_json(job.json);
  } else {
    std::cout << client::describe_job(job);
  }
  if (const int code = exit_code_for(job); code != 0) throw CLI::RuntimeError(code);
}

}  // namespace live2::app
