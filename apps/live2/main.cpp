// live2: the job service (serve), its administration (keys) and a command-line client (submit, status, ...).
#include <CLI/CLI.hpp>

#include "command_line_errors.h"
#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"live2: run reactive particle simulations as jobs", "live2"};
  app.set_version_flag("--version", LIVE2_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Start here:\n"
      "  live2 serve                          start the service (prints the URL and a first API key)\n"
      "  live2 submit --particles 500 --wait  run a simulation and wait for it\n"
      "  live2 list                           the newest jobs with their parameters\n"
      "  live2 <command> --help               a command's options, defaults and examples");
  live2::app::register_serve_command(app);
  live2::app::register_keys_commands(app);
  live2::app::register_submit_command(app);
  live2::app::register_job_commands(app);
  live2::app::register_artifact_commands(app);
  live2::app::register_infra_commands(app);
  live2::app::register_backup_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return live2::app::report_parse_error(app, error, std::vector<std::string>(argv + 1, argv + argc));
  }
  return 0;
}
