// live2: the job service (serve), its administration (keys) and a command-line client (submit, status, ...).
#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"live2: run reactive particle simulations as jobs", "live2"};
  app.set_version_flag("--version", LIVE2_VERSION);
  app.require_subcommand(1);
  live2::app::register_serve_command(app);
  live2::app::register_keys_commands(app);
  live2::app::register_client_commands(app);
  live2::app::register_infra_commands(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
