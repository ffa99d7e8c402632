// `live2 submit`: builds a POST /api/v1/jobs body from a params file and flags, submits it and, with --wait, follows
// the job to its end. --sweep/--replicas make it a generate_dataset job over the same base config. Defaults shown in --help are the simulation's own (sim/params.h): the server applies them.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "client/job_text.h"
#include "client_session.h"
#include "commands.h"
#include "sim/params.h"

namespace live2::app {
namespace {

namespace json = boost::json;

constexpr std::string_view kPresetMode = "preset_prebiotic";

struct SubmitOptions {
  std::string params_file;
  std::string mode, preset, idempotency_key, webhook_url;
  std::optional<int64_t> particles, steps;
  std::optional<double> temperature;
  std::optional<uint64_t> seed;
  std::vector<std::string> settings;  // KEY=VALUE for any other config field
  std::vector<std::string> sweeps;    // FIELD=V1,V2,...: a dataset's swept field and its values
  std::optional<int64_t> replicas;
  std::string name;
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

// The mode when neither --mode nor the file names one: a preset exists only in preset_prebiotic, so a preset
// (--preset, or --set preset=...) implies it; otherwise open_chemistry.
std::string implied_mode(const json::object& config) {
  return config.contains("preset") ? std::string(kPresetMode) : std::string(sim::mode_name(sim::Mode::open_chemistry));
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
  if (!options.mode.empty()) simulation["mode"] = options.mode;
  if (!simulation.contains("mode")) simulation["mode"] = implied_mode(config);
  if (!options.webhook_url.empty()) body["webhook_url"] = options.webhook_url;
  if (!options.name.empty()) body["name"] = options.name;
  if (!options.sweeps.empty() || options.replicas) {
    body["job_type"] = "generate_dataset";
    // Looked up again: adding members to `body` above may have moved its values.
    json::object& dataset = body["params"].get_object();
    if (!dataset["sweep"].is_object()) dataset["sweep"] = json::object();
    json::object& sweep = dataset["sweep"].get_object();
    for (const std::string& entry : options.sweeps) {
      const size_t equals = entry.find('=');
      if (equals == std::string::npos || equals == 0 || equals + 1 == entry.size()) {
        fail_input("--sweep expects FIELD=V1,V2,..., got \"" + entry + "\"");
      }
      json::array values;
      std::stringstream list(entry.substr(equals + 1));
      for (std::string value; std::getline(list, value, ',');) values.push_back(setting_value(value));
      sweep[entry.substr(0, equals)] = std::move(values);
    }
    if (sweep.empty()) dataset.erase("sweep");
    if (options.replicas) dataset["replicas"] = *options.replicas;
  }
  return body;
}

void print_submitted(const client::JobView& job) {
  const json::value* estimate = job.json.if_contains("estimated_time");
  std::cout << job.job_id << " " << job.status;
  if (estimate && estimate->is_number()) {
    std::cout << " (estimated " << client::format_duration(estimate->to_number<double>()) << ")";
  }
  std::cout << "\n";
}

}  // namespace

void register_submit_command(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto options = std::make_shared<SubmitOptions>();
  const sim::SimulationConfig defaults;
  std::string preset_list;
  for (const std::string& name : sim::preset_names()) preset_list += (preset_list.empty() ? "" : ", ") + name;
  CLI::App* command = add_command(app, "submit", "submit a simulation job", common,
                                  "  live2 submit --particles 2000 --steps 20000 --temperature 400 --wait\n"
                                  "  live2 submit --preset miller_urey --steps 50000\n"
                                  "  live2 submit -f params.json --set friction=2.5 --set reactions=false\n"
                                  "  live2 submit --particles 500 --json | jq -r .job_id\n"
                                  "  live2 submit --sweep temperature=300,450,600 --sweep composition.C=0.1,0.2 "
                                  "--replicas 3 --name 'T x carbon'");
  command->add_option("-f,--file", options->params_file, "JSON file: the params object or a whole request body");
  command->add_option("--mode", options->mode,
                      "open_chemistry (default) or preset_prebiotic (the default when a preset is given)");
  command->add_option("--particles", options->particles,
                      fmt::format("config.num_particles (default {})", defaults.num_particles));
  command->add_option("--steps", options->steps, fmt::format("config.steps (default {})", defaults.steps));
  command->add_option("--temperature", options->temperature,
                      fmt::format("config.temperature in kelvin (default {:g})", defaults.temperature));
  command->add_option("--seed", options->seed, fmt::format("config.seed (default {})", defaults.seed));
  command->add_option("--preset", options->preset, "config.preset: " + preset_list + "; implies --mode preset_prebiotic")
      ->check(CLI::IsMember(sim::preset_names()));
  command->add_option("--set", options->settings, "any other config field, KEY=VALUE (VALUE as JSON if it parses)");
  command->add_option("--sweep", options->sweeps,
                      "a dataset: FIELD=V1,V2,... of config (dotted for nested: composition.C=0.1,0.2); repeat for a "
                      "grid");
  command->add_option("--replicas", options->replicas, "a dataset: runs per sweep point, each with its own seed")
      ->check(CLI::Range(1, 10'000));
  command->add_option("--name", options->name, "the job's name");
  command->add_option("--idempotency-key", options->idempotency_key, "resubmitting with the same key returns the same job");
  command->add_option("--webhook-url", options->webhook_url, "URL that receives signed job.* events");
  command->add_flag("--wait", options->wait,
                    "follow the job until it ends; exit 0 only if it completed (Ctrl-C stops following, not the job)");
  command->callback([common, options] {
    Connection connection(*common);
    const json::object body = build_submit_body(*options);
    std::optional<std::string> key;
    if (!options->idempotency_key.empty()) key = options->idempotency_key;
    client::JobView job = take(connection.api().submit_job(body, key));
    if (!options->wait) {
      if (common->json_output) {
        print_json(job.json);
      } else {
        print_submitted(job);
      }
      return;
    }
    if (!common->json_output) std::cerr << "submitted " << job.job_id << "\n";
    finish_followed(follow(connection.api(), job.job_id, false), common->json_output);
  });
}

}  // namespace live2::app
