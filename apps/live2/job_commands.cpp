// `live2 status`, `list`, `runs`, `cancel`, `watch`: reading and steering jobs.
#include <iostream>

#include "client/job_text.h"
#include "client_session.h"
#include "commands.h"

namespace live2::app {
namespace {

namespace json = boost::json;

void register_status(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  CLI::App* command = add_command(app, "status", "show one job: parameters, progress, times, runtime, outcome", common,
                                  "  live2 status job_0mxa6vkl3q9zq1w2e3r4t5y6u\n"
                                  "  live2 status job_0mxa6     (a unique prefix)\n"
                                  "  live2 status job_0mxa6 --json | jq .progress");
  add_job_argument(command, *job_id);
  command->callback([common, job_id] {
    Connection connection(*common);
    const client::JobView job = take(connection.api().get_job(resolve_job_id(connection.api(), *job_id)));
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
  CLI::App* command = add_command(app, "cancel", "cancel a job", common, "  live2 cancel job_0mxa6\n");
  add_job_argument(command, *job_id);
  command->callback([common, job_id] {
    Connection connection(*common);
    const client::JobView job = take(connection.api().cancel_job(resolve_job_id(connection.api(), *job_id)));
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
      add_command(app, "watch", "show a job's progress live until it ends (--json: one job object per line)", common,
                  "  live2 watch job_0mxa6\n  live2 watch job_0mxa6 --json | jq -c '{status, progress}'");
  add_job_argument(command, *job_id);
  command->callback([common, job_id] {
    Connection connection(*common);
    const client::JobView job =
        follow(connection.api(), resolve_job_id(connection.api(), *job_id), common->json_output);
    if (!common->json_output) std::cout << client::describe_job(job);
    if (const int code = exit_code_for(job); code != 0) throw CLI::RuntimeError(code);
  });
}

struct ListOptions {
  std::vector<std::string> statuses;
  std::string job_type, cursor;
  int limit = 20;
  bool all_pages = false;
};

void register_list(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto options = std::make_shared<ListOptions>();
  CLI::App* command = add_command(app, "list", "list jobs, newest first, with their key parameters and runtime", common,
                                  "  live2 list\n  live2 list --status running,queued\n  live2 list --all --json");
  command->add_option("--status", options->statuses, "only these statuses (repeat or comma-separate)")
      ->delimiter(',')
      ->check(CLI::IsMember({"queued", "running", "completed", "failed", "cancelled"}));
  command->add_option("--type", options->job_type, "only this job_type");
  command->add_option("--limit", options->limit, "jobs per page (1-100)")->check(CLI::Range(1, 100))->capture_default_str();
  command->add_option("--cursor", options->cursor, "continue from a previous page's next_cursor");
  command->add_flag("--all", options->all_pages, "fetch every page");
  command->callback([common, options] {
    Connection connection(*common);
    client::JobListQuery query{options->statuses, std::nullopt, options->limit, std::nullopt};
    if (!options->job_type.empty()) query.job_type = options->job_type;
    if (!options->cursor.empty()) query.cursor = options->cursor;
    std::vector<client::JobView> jobs;
    json::array json_jobs;
    std::optional<std::string> next_cursor;
    do {
      client::JobPage page = take(connection.api().list_jobs(query));
      for (client::JobView& job : page.jobs) {
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

struct RunsOptions {
  std::string status, cursor;
  int limit = 100;
  bool all_pages = false;
};

void register_runs(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  auto options = std::make_shared<RunsOptions>();
  CLI::App* command = add_command(app, "runs", "list a dataset's runs: status, progress, seed, swept values, error",
                                  common,
                                  "  live2 runs job_0mxa6\n  live2 runs job_0mxa6 --status failed\n"
                                  "  live2 runs job_0mxa6 --all --json");
  add_job_argument(command, *job_id);
  command->add_option("--status", options->status, "only runs with this status")
      ->check(CLI::IsMember({"queued", "running", "completed", "failed", "cancelled"}));
  command->add_option("--limit", options->limit, "runs per page (1-100)")->check(CLI::Range(1, 100))->capture_default_str();
  command->add_option("--cursor", options->cursor, "continue from a previous page's next_cursor");
  command->add_flag("--all", options->all_pages, "fetch every page");
  command->callback([common, job_id, options] {
    Connection connection(*common);
    const std::string id = resolve_job_id(connection.api(), *job_id);
    client::RunListQuery query{std::nullopt, options->limit, std::nullopt};
    if (!options->status.empty()) query.status = options->status;
    if (!options->cursor.empty()) query.cursor = options->cursor;
    json::array runs;
    std::optional<std::string> next_cursor;
    do {
      client::RunPage page = take(connection.api().list_runs(id, query));
      for (json::value& run : page.runs) runs.push_back(std::move(run));
      next_cursor = page.next_cursor;
      query.cursor = next_cursor;
    } while (options->all_pages && next_cursor);
    if (common->json_output) {
      print_json(json::object{{"job_id", id},
                              {"runs", std::move(runs)},
                              {"next_cursor", next_cursor ? json::value(*next_cursor) : json::value(nullptr)}});
      return;
    }
    std::cout << client::run_table(runs);
    if (next_cursor) std::cerr << "more runs: live2 runs " << id << " --cursor " << *next_cursor << " (or --all)\n";
  });
}

}  // namespace

void register_job_commands(CLI::App& app) {
  register_status(app);
  register_list(app);
  register_runs(app);
  register_cancel(app);
  register_watch(app);
}

}  // namespace live2::app
