// `live2 artifacts`, `download`, `logs`: what a job wrote.
#include <chrono>
#include <filesystem>
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

void register_download(CLI::App& app) {
  auto common = std::make_shared<CommonOptions>();
  auto job_id = std::make_shared<std::string>();
  auto directory = std::make_shared<std::string>();
  CLI::App* command = add_command(app, "download", "download every artifact of a job into a folder", common,
                                  "  live2 download job_0mxa6            (into ./job_0mxa6...)\n"
                                  "  live2 download job_0mxa6 -o results/");
  add_job_argument(command, *job_id);
  command->add_option("-o,--output", *directory, "folder (default: ./<job id>)");
  command->callback([common, job_id, directory] {
    Connection connection(*common);
    const std::string id = resolve_job_id(connection.api(), *job_id);
    client::ArtifactListing listing = take(connection.api().list_artifacts(id));
    const std::filesystem::path folder = std::filesystem::path(directory->empty() ? id : *directory);
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
