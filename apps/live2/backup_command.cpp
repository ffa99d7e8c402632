// `live2 backup --to FILE [--data-dir DIR]`: an online copy of {data_dir}/live2.db while `live2 serve` runs
// (store/sqlite_backup.h: one consistent instant, writers never blocked, mode 0600, checked before it replaces FILE).
// Artifacts and secrets.json are files the operator copies beside it (docs/storage.md, "Backup and restore").
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "settings_loader.h"
#include "store/sqlite_backup.h"

namespace live2::app {
namespace {

void back_up(const std::string& destination, const std::string& data_dir_flag) {
  const Settings settings = load_settings({{"LIVE2_DATA_DIR", data_dir_flag}});
  const auto started = std::chrono::steady_clock::now();
  auto summary = store::backup_database(std::filesystem::path(settings.data_dir) / "live2.db", destination);
  if (!summary) {
    std::cerr << "live2 backup: " << summary.error().message << "\n";
    throw CLI::RuntimeError(1);
  }
  const auto elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "backed up " << summary->jobs << " jobs (" << summary->bytes << " bytes) to " << destination << " in "
            << elapsed_ms << " ms; integrity check ok\n";
}

}  // namespace

void register_backup_command(CLI::App& app) {
  struct Options {
    std::string destination;
    std::string data_dir;
  };
  auto options = std::make_shared<Options>();
  CLI::App* backup = app.add_subcommand("backup", "copy the job store while live2 serve runs (mode 0600)");
  backup->add_option("--to", options->destination, "the copy (replaced once the new copy is complete)")->required();
  backup->add_option("--data-dir", options->data_dir, "data directory of live2 serve (default: LIVE2_DATA_DIR or ./data)");
  backup->callback([options] { back_up(options->destination, options->data_dir); });
}

}  // namespace live2::app
