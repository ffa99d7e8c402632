// `live2 artifacts`, `download`, `logs`: what a job wrote.
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <thread>

#include "client/job_text.h"
#include "client/log_follower.h"
#include "client_session.h"
#include "commands.h"

namespace live2::app {
namespace {

namespace json = boost::json;

constexpr int kLogPollLines = 1000;
constexpr int kRunsPerPage = 100;
constexpr auto kLogPollInterval = std::chrono::seconds(2);

void register_artifacts(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  CLI::App* command = add_command(app, "artifacts", "list a job's artifacts (--json includes download URLs)", common,
                                  "  live2 artifacts job_0mxa6\n  live2 artifacts job_0mxa6 --json | jq -r '.artifacts[].url'");
  add_job_argument(command, *job_id);
  command->callback([common, job_id] {
    Connection connection(*common);
    client::ArtifactListing listing =
        take(connection.api().list_artifacts(resolve_job_id(connection.api(), *job_id)));
    if (common->json_output) {
      print_json(listing.json);
    } else {
      std::cout << client::artifact_table(listing);
    }
  });
}

// Every run's artifacts of dataset `id`, a page of runs at a time, each listing handed to `save`.
void for_each_run_listing(client::ApiClient& api, const std::string& id,
                          const std::function<void(const client::ArtifactListing&)>& save) {
  client::RunListQuery query;
  query.limit = kRunsPerPage;
  do {
    client::RunPage page = take(api.list_runs(id, query));
    for (const json::value& run : page.runs) {
      const json::value* prefix = run.get_object().if_contains("artifacts_prefix");
      if (prefix != nullptr && prefix->is_string())
        save(take(api.list_artifacts(id, std::string(prefix->get_string()))));
    }
    query.cursor = page.next_cursor;
  } while (query.cursor);
}

void register_download(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  auto directory = std::make_shared<std::string>();
  auto with_runs = std::make_shared<bool>(false);
  CLI::App* command =
      add_command(app, "download", "download every artifact of a job (a dataset: its combined files)", common,
                  "  live2 download job_0mxa6            (into ./job_0mxa6...)\n"
                  "  live2 download job_0mxa6 -o results/\n"
                  "  live2 download job_0mxa6 --all      (a dataset with each run's files)");
  add_job_argument(command, *job_id);
  command->add_option("-o,--output", *directory, "folder (default: ./<job id>)");
  command->add_flag("--all", *with_runs, "a dataset: also every run's artifacts, into <folder>/runs/<index>/");
  command->callback([common, job_id, directory, with_runs] {
    Connection connection(*common);
    client::ApiClient& api = connection.api();
    const std::string id = resolve_job_id(api, *job_id);
    const std::filesystem::path folder = std::filesystem::path(directory->empty() ? id : *directory);
    json::array saved;
    int64_t total_bytes = 0;
    auto save = [&](const client::ArtifactListing& listing) {
      for (const client::Artifact& artifact : listing.artifacts) {
        const std::filesystem::path path = take(api.download_artifact(artifact, folder));
        total_bytes += artifact.size;
        saved.push_back(json::object{{"name", artifact.name}, {"size", artifact.size}, {"path", path.string()}});
        if (!common->json_output) std::cout << path.string() << "  " << client::format_bytes(artifact.size) << "\n";
      }
    };
    save(take(api.list_artifacts(id)));
    if (*with_runs && take(api.get_job(id)).json.contains("runs")) for_each_run_listing(api, id, save);
    if (common->json_output) {
      print_json(json::object{{"job_id", id}, {"directory", folder.string()}, {"files", std::move(saved)}});
    } else {
      std::cout << saved.size() << " files, " << client::format_bytes(total_bytes) << " in " << folder.string() << "\n";
    }
  });
}

void register_logs(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  auto tail = std::make_shared<int>(200);
  auto follow_logs = std::make_shared<bool>(false);
  CLI::App* command = add_command(app, "logs", "print a job's log lines", common,
                                  "  live2 logs job_0mxa6 --tail 50\n  live2 logs job_0mxa6 -f", JsonFlag::not_offered);
  add_job_argument(command, *job_id);
  command->add_option("--tail", *tail, "how many of the last lines (max 10000)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  command->add_flag("-f,--follow", *follow_logs, "keep printing new lines until the job ends");
  command->callback([common, job_id, tail, follow_logs] {
    Connection connection(*common);
    client::ApiClient& api = connection.api();
    const std::string id = resolve_job_id(api, *job_id);
    if (!*follow_logs) {
      std::cout << take(api.logs(id, *tail));
      return;
    }
    client::LogFollower follower;
    std::cout << follower.unseen(take(api.logs(id, *tail))) << std::flush;
    while (true) {
      // Read the status before the lines: after a terminal status, this last poll has every line.
      const bool ended = take(api.get_job(id)).terminal();
      std::cout << follower.unseen(take(api.logs(id, kLogPollLines))) << std::flush;
      if (ended) return;
      std::this_thread::sleep_for(kLogPollInterval);
    }
  });
}

}  // namespace

void register_artifact_commands(CLI::App& app) {
  register_artifacts(app);
  register_download(app);
  register_logs(app);
}

}  // namespace live2::app
