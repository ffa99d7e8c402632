// What the client commands (submit, status, list, ...) share: the server connection (LIVE2_URL and LIVE2_API_KEY from
// the environment, else .env), the --json and --url options, errors printed with the documented exit codes
// (docs/client.md), job-id arguments (a whole id or a unique prefix) and following a job to its end. Results go to
// stdout (human text, or the server's JSON with --json); progress and errors go to stderr. A command reports failure
// by throwing CLI::RuntimeError(exit code). Used from the CLI's one thread.
#pragma once

#include <CLI/CLI.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>

#include "client/api_client.h"
#include "client/http_transport.h"

namespace live2::app {

inline constexpr int kExitRequestFailed = 1;
inline constexpr int kExitInvalidInput = 2;
inline constexpr int kExitJobFailed = 3;
inline constexpr int kExitJobCancelled = 4;
inline constexpr int kExitInterrupted = 130;  // Ctrl-C while following a job (128 + SIGINT, as shells report it)

struct CommonOptions {
  bool json_output = false;
  std::string url;  // overrides LIVE2_URL
};

// The server connection of one command run.
class Connection {
 public:
  explicit Connection(const CommonOptions& options);
  client::ApiClient& api() { return api_; }

 private:
  client::CurlHttpTransport transport_;
  client::ApiClient api_;
};

// Prints the error (and what to do about a 401) and throws CLI::RuntimeError with its exit code.
[[noreturn]] void fail(const Error& error);
[[noreturn]] void fail_input(const std::string& message);

template <typename T>
T take(Result<T> result) {
  if (!result) fail(result.error());
  return std::move(result).value();
}

void print_json(const boost::json::value& value);

enum class JsonFlag { offered, not_offered };

// Adds a client command with --url (and --json); `examples` are shown under its --help.
CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description,
                      const std::shared_ptr<CommonOptions>& common, const std::string& examples,
                      JsonFlag json_flag = JsonFlag::offered);
// Adds the JOB positional argument (a whole job id or a unique prefix of one).
void add_job_argument(CLI::App* command, std::string& job_id);
// The job id a JOB argument names (ApiClient::resolve_job_id); fails with the documented exit codes.
std::string resolve_job_id(client::ApiClient& api, const std::string& argument);

// Follows the job's event stream to its end: a progress bar on a terminal, one line per status change otherwise;
// `events_as_json` prints every job object as one JSON line on stdout (watch --json). Ctrl-C, and a server that goes
// away, end the following with a message that the job goes on and how to follow it again (exit 130 and 1).
client::JobView follow(client::ApiClient& api, const std::string& job_id, bool events_as_json);
// Prints the followed job's end (text or JSON) and throws the exit code of a job that did not complete.
void finish_followed(const client::JobView& job, bool json_output);
int exit_code_for(const client::JobView& job);

}  // namespace live2::app
