// The command-line client: submit, status, list, cancel, artifacts, download, logs, watch. Each talks to the server
// at LIVE2_URL (default http://127.0.0.1:8080) with LIVE2_API_KEY (environment, else .env) through ApiClient.
// Results go to stdout (human text, or the server's JSON with --json); progress and errors go to stderr.
// Exit codes (docs/client.md): 0 ok (for --wait/watch: the job completed), 1 request failed, 2 invalid input,
// 3 the job failed, 4 the job was cancelled.
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "base/json_text.h"
#include "client/api_client.h"
#include "client/job_text.h"
#include "client/log_follower.h"
#include "commands.h"
#include "settings_loader.h"

namespace live2::app {
namespace {

namespace json = boost::json;
using client::ApiClient;
using client::JobView;

constexpr int kExitRequestFailed = 1;
constexpr int kExitInvalidInput = 2;
constexpr int kExitJobFailed = 3;
constexpr int kExitJobCancelled = 4;
constexpr int kLogPollLines = 1000;
constexpr auto kLogPollInterval = std::chrono::seconds(2);

struct CommonOptions {
  bool json_output = false;
  std::string url;  // overrides LIVE2_URL
};

// The server connection of one command run.
class Connection {
 public:
  explicit Connection(const CommonOptions& options) : api_(config(options), transport_) {}
  ApiClient& api() { return api_; }

 private:
  static client::ClientConfig config(const CommonOptions& options) {
    const auto variables = environment_with_dotenv();
    client::ClientConfig config;
    if (auto it = variables.find("LIVE2_URL"); it != variables.end() && !it->second.empty()) config.base_url = it->second;
    if (!options.url.empty()) config.base_url = options.url;
    if (auto it = variables.find("LIVE2_API_KEY"); it != variables.end()) config.api_key = it->second;
    return config;
  }

  client::CurlHttpTransport transport_;
  ApiClient api_;
};

[[noreturn]] void fail(const Error& error) {
  std::cerr << client::describe_error(error);
  const bool input_problem = error.code == ErrorCode::validation_failed || error.code == ErrorCode::bad_request ||
                             error.code == ErrorCode::invalid_job_id || error.code == ErrorCode::invalid_input;
  if (error.code == ErrorCode::unauthorized) std::cerr << "  (set LIVE2_API_KEY in the environment or in .env)\n";
  throw CLI::RuntimeError(input_problem ? kExitInvalidInput : kExitRequestFailed);
}

[[noreturn]] void fail_input(const std::string& message) { fail(Error::make(ErrorCode::invalid_input, message)); }

template <typename T>
T take(Result<T> result) {
  if (!result) fail(result.error());
  return std::move(result).value();
}

void print_json(const json::value& value) { std::cout << json_text(value) << "\n"; }

enum class JsonFlag { offered, not_offered };

CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description,
                      const std::shared_ptr<CommonOptions>& common, JsonFlag json_flag = JsonFlag::offered) {
  CLI::App* command = app.add_subcommand(name, description);
  if (json_flag == JsonFlag::offered) {
    command->add_flag("--json", common->json_output, "print the server's JSON instead of text");
  }
  command->add_option("--url", common->url, "server base URL (default: LIVE2_URL or http://127.0.0.1:8080)");
  return command;
}

int exit_code_for(const JobView& job) {
  if (job.status == "completed") return 0;
  return job.status == "cancelled" ? kExitJobCancelled : kExitJobFailed;
}

// Follows the job's event stream to its end: a progress bar on a terminal, one line per status change otherwise.
// `events_as_json` prints every job object as one JSON line on stdout (watch --json).
JobView follow(ApiClient& api, const std::string& job_id, bool events_as_json) {
  const bool on_terminal = isatty(STDERR_FILENO) == 1;
  std::string last_status;
  Result<JobView> last = api.follow_events(job_id, [&](const JobView& job) {
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
  return take(std::move(last));
}

void finish_followed(const JobView& job, bool json_output) {
  if (json_output) {
    print_json(job.json);
  } else {
    std::cout << client::describe_job(job);
  }
  if (const int code = exit_code_for(job); code != 0) throw CLI::RuntimeError(code);
}

// --- submit ---------------------------------------------------------------------------------------------------------

struct SubmitOptions {
  std::string params_file;
  std::string mode, preset, idempotency_key, webhook_url;
  std::optional<int64_t> particles, steps;
  std::optional<double> temperature;
  std::optional<uint64_t> seed;
  std::vector<std::string> settings;  // KEY=VALUE for any other config field
  bool wait = false;
};

json::object read_json_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) fail_input("cannot read " + path);
  std::stringstream text;
  text << file.rdbuf();
  boost::system::error_code error;
  json::value value = json::parse(text.str(), error);
  if (error || !value.is_object()) fail_input(path + " is not a JSON object" + (error ? ": " + error.message() : ""));
  return std::move(value.get_object());
}

// A --set value: JSON when it parses (numbers, true/false, objects, arrays), else the text itself.
json::value setting_value(const std::string& text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  return error ? json::value(text) : value;
}

// The POST body: the file is either a whole request ({"params": ...}) or just the params ({"simulation_config": ...});
// flags then set single fields on top of it.
json::object build_submit_body(const SubmitOptions& options) {
  json::object body;
  if (!options.params_file.empty()) {
    json::object file = read_json_file(options.params_file);
    if (file.contains("params")) {
      body = std::move(file);
    } else if (file.contains("simulation_config")) {
      body["params"] = std::move(file);
    } else {
      fail_input(options.params_file + " has neither \"params\" nor \"simulation_config\"");
    }
  }
  if (!body.contains("job_type")) body["job_type"] = "run_simulation";
  if (!body["params"].is_object()) body["params"] = json::object();
  json::object& params = body["params"].get_object();
  if (!params["simulation_config"].is_object()) params["simulation_config"] = json::object();
  json::object& simulation = params["simulation_config"].get_object();
  if (!options.mode.empty()) simulation["mode"] = options.mode;
  if (!simulation.contains("mode")) simulation["mode"] = "open_chemistry";
  if (!simulation["config"].is_object()) simulation["config"] = json::object();
  json::object& config = simulation["config"].get_object();
  if (options.particles) config["num_particles"] = *options.particles;
  if (options.steps) config["steps"] = *options.steps;
  if (options.temperature) config["temperature"] = *options.temperature;
  if (options.seed) config["seed"] = *options.seed;
  if (!options.preset.empty()) config["preset"] = options.preset;
  for (const std::string& setting : options.settings) {
    const size_t equals = setting.find('=');
    if (equals == std::string::npos || equals == 0) fail_input("--set expects KEY=VALUE, got \"" + setting + "\"");
    config[setting.substr(0, equals)] = setting_value(setting.substr(equals + 1));
  }
  if (!options.webhook_url.empty()) body["webhook_url"] = options.webhook_url;
  return body;
}

void register_submit(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto options = std::make_shared<SubmitOptions>();
  CLI::App* command = add_command(app, "submit", "submit a simulation job", common);
  command->add_option("-f,--file", options->params_file, "JSON file: the params object or a whole request body");
  command->add_option("--mode", options->mode, "open_chemistry (default) or preset_prebiotic");
  command->add_option("--particles", options->particles, "config.num_particles");
  command->add_option("--steps", options->steps, "config.steps");
  command->add_option("--temperature", options->temperature, "config.temperature (kelvin)");
  command->add_option("--seed", options->seed, "config.seed");
  command->add_option("--preset", options->preset, "config.preset (preset_prebiotic)");
  command->add_option("--set", options->settings, "any other config field, KEY=VALUE (VALUE as JSON if it parses)");
  command->add_option("--idempotency-key", options->idempotency_key, "resubmitting with the same key returns the same job");
  command->add_option("--webhook-url", options->webhook_url, "URL that receives signed job.* events");
  command->add_flag("--wait", options->wait, "follow the job until it ends; exit 0 only if it completed");
  command->callback([common, options] {
    Connection connection(*common);
    const json::object body = build_submit_body(*options);
    std::optional<std::string> key;
    if (!options->idempotency_key.empty()) key = options->idempotency_key;
    JobView job = take(connection.api().submit_job(body, key));
    if (!options->wait) {
      if (common->json_output) {
        print_json(job.json);
      } else {
        const json::value* estimate = job.json.if_contains("estimated_time");
        std::cout << job.job_id << " " << job.status;
        if (estimate && estimate->is_number()) {
          std::cout << " (estimated " << client::format_duration(estimate->to_number<double>()) << ")";
        }
        std::cout << "\n";
      }
      return;
    }
    if (!common->json_output) std::cerr << "submitted " << job.job_id << "\n";
    finish_followed(follow(connection.api(), job.job_id, false), common->json_output);
  });
}

// --- status, cancel, watch ------------------------------------------------------------------------------------------

void register_status(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  CLI::App* command = add_command(app, "status", "show one job", common);
  command->add_option("job_id", *job_id, "job id")->required();
  command->callback([common, job_id] {
    Connection connection(*common);
    JobView job = take(connection.api().get_job(*job_id));
    if (common->json_output) {
      print_json(job.json);
    } else {
      std::cout << client::describe_job(job);
    }
  });
}

void register_cancel(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  CLI::App* command = add_command(app, "cancel", "cancel a job", common);
  command->add_option("job_id", *job_id, "job id")->required();
  command->callback([common, job_id] {
    Connection connection(*common);
    JobView job = take(connection.api().cancel_job(*job_id));
    if (common->json_output) {
      print_json(job.json);
    } else if (job.status == "cancelled") {
      std::cout << job.job_id << " cancelled\n";
    } else {
      std::cout << job.job_id << " cancel requested (the worker is being stopped; status " << job.status << ")\n";
    }
  });
}

void register_watch(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  CLI::App* command =
      add_command(app, "watch", "show a job's progress live until it ends (--json: one job object per line)", common);
  command->add_option("job_id", *job_id, "job id")->required();
  command->callback([common, job_id] {
    Connection connection(*common);
    const JobView job = follow(connection.api(), *job_id, common->json_output);
    if (!common->json_output) std::cout << client::describe_job(job);
    if (const int code = exit_code_for(job); code != 0) throw CLI::RuntimeError(code);
  });
}

// --- list -----------------------------------------------------------------------------------------------------------

struct ListOptions {
  std::vector<std::string> statuses;
  std::string job_type, cursor;
  int limit = 20;
  bool all_pages = false;
};

void register_list(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto options = std::make_shared<ListOptions>();
  CLI::App* command = add_command(app, "list", "list jobs, newest first", common);
  command->add_option("--status", options->statuses, "only these statuses (repeat or comma-separate)")
      ->delimiter(',')
      ->check(CLI::IsMember({"queued", "running", "completed", "failed", "cancelled"}));
  command->add_option("--type", options->job_type, "only this job_type");
  command->add_option("--limit", options->limit, "jobs per page (1-100)")->check(CLI::Range(1, 100));
  command->add_option("--cursor", options->cursor, "continue from a previous page's next_cursor");
  command->add_flag("--all", options->all_pages, "fetch every page");
  command->callback([common, options] {
    Connection connection(*common);
    client::JobListQuery query{options->statuses, std::nullopt, options->limit, std::nullopt};
    if (!options->job_type.empty()) query.job_type = options->job_type;
    if (!options->cursor.empty()) query.cursor = options->cursor;
    std::vector<JobView> jobs;
    json::array json_jobs;
    std::optional<std::string> next_cursor;
    do {
      client::JobPage page = take(connection.api().list_jobs(query));
      for (JobView& job : page.jobs) {
        json_jobs.push_back(job.json);
        jobs.push_back(std::move(job));
      }
      next_cursor = page.next_cursor;
      query.cursor = next_cursor;
    } while (options->all_pages && next_cursor);
    if (common->json_output) {
      print_json(json::object{{"jobs", std::move(json_jobs)},
                              {"next_cursor", next_cursor ? json::value(*next_cursor) : json::value(nullptr)}});
      return;
    }
    std::cout << client::job_table(jobs);
    if (next_cursor) std::cerr << "more jobs: live2 list --cursor " << *next_cursor << " (or --all)\n";
  });
}

// --- artifacts, download --------------------------------------------------------------------------------------------

void register_artifacts(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  CLI::App* command = add_command(app, "artifacts", "list a job's artifacts (--json includes download URLs)", common);
  command->add_option("job_id", *job_id, "job id")->required();
  command->callback([common, job_id] {
    Connection connection(*common);
    client::ArtifactListing listing = take(connection.api().list_artifacts(*job_id));
    if (common->json_output) {
      print_json(listing.json);
    } else {
      std::cout << client::artifact_table(listing);
    }
  });
}

void register_download(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  auto directory = std::make_shared<std::string>();
  CLI::App* command = add_command(app, "download", "download every artifact of a job into a folder", common);
  command->add_option("job_id", *job_id, "job id")->required();
  command->add_option("-o,--output", *directory, "folder (default: ./<job id>)");
  command->callback([common, job_id, directory] {
    Connection connection(*common);
    client::ArtifactListing listing = take(connection.api().list_artifacts(*job_id));
    const std::filesystem::path folder = std::filesystem::path(directory->empty() ? *job_id : *directory);
    json::array saved;
    int64_t total_bytes = 0;
    for (const client::Artifact& artifact : listing.artifacts) {
      const std::filesystem::path path = take(connection.api().download_artifact(artifact, folder));
      total_bytes += artifact.size;
      saved.push_back(json::object{{"name", artifact.name}, {"size", artifact.size}, {"path", path.string()}});
      if (!common->json_output) std::cout << path.string() << "  " << client::format_bytes(artifact.size) << "\n";
    }
    if (common->json_output) {
      print_json(json::object{{"job_id", listing.job_id}, {"directory", folder.string()}, {"files", std::move(saved)}});
    } else {
      std::cout << listing.artifacts.size() << " files, " << client::format_bytes(total_bytes) << " in "
                << folder.string() << "\n";
    }
  });
}

// --- logs -----------------------------------------------------------------------------------------------------------

void register_logs(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  auto tail = std::make_shared<int>(200);
  auto follow_logs = std::make_shared<bool>(false);
  CLI::App* command = add_command(app, "logs", "print a job's log lines", common, JsonFlag::not_offered);
  command->add_option("job_id", *job_id, "job id")->required();
  command->add_option("--tail", *tail, "how many of the last lines (max 10000)")->check(CLI::Range(1, 10000));
  command->add_flag("-f,--follow", *follow_logs, "keep printing new lines until the job ends");
  command->callback([common, job_id, tail, follow_logs] {
    Connection connection(*common);
    ApiClient& api = connection.api();
    if (!*follow_logs) {
      std::cout << take(api.logs(*job_id, *tail));
      return;
    }
    client::LogFollower follower;
    std::cout << follower.unseen(take(api.logs(*job_id, *tail))) << std::flush;
    while (true) {
      // Read the status before the lines: after a terminal status, this last poll has every line.
      const bool ended = take(api.get_job(*job_id)).terminal();
      std::cout << follower.unseen(take(api.logs(*job_id, kLogPollLines))) << std::flush;
      if (ended) return;
      std::this_thread::sleep_for(kLogPollInterval);
    }
  });
}

}  // namespace

void register_client_commands(CLI::App& app) {
  register_submit(app);
  register_status(app);
  register_list(app);
  register_cancel(app);
  register_artifacts(app);
  register_download(app);
  register_logs(app);
  register_watch(app);
}

}  // namespace live2::app
