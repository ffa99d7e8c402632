// The subcommands of the `live2` binary. Each register_* function adds its subcommands to the app; a subcommand
// reports failure by throwing CLI::RuntimeError(exit_code) after printing its message to stderr.
#pragma once

#include <CLI/CLI.hpp>

namespace live2::app {

void register_serve_command(CLI::App& app);     // serve_command.cpp
void register_keys_commands(CLI::App& app);     // keys_command.cpp
void register_client_commands(CLI::App& app);   // client_commands.cpp: submit, status, list, cancel, ...
void register_infra_commands(CLI::App& app);    // infra_commands.cpp: infra plan|apply|destroy, doctor

}  // namespace live2::app
