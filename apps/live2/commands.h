// The subcommands of the `live2` binary. Each register_* function adds its subcommands to the app; a subcommand
// reports failure by throwing CLI::RuntimeError(exit_code) after printing its message to stderr.
#pragma once

#include <CLI/CLI.hpp>

namespace live2::app {

void register_serve_command(CLI::App& app);     // serve_command.cpp
void register_keys_commands(CLI::App& app);     // keys_command.cpp
// The client commands (client_session.h: what they share).
void register_submit_command(CLI::App& app);     // submit_command.cpp
void register_job_commands(CLI::App& app);       // job_commands.cpp: status, list, cancel, watch
void register_artifact_commands(CLI::App& app);  // artifact_commands.cpp: artifacts, download, logs
void register_infra_commands(CLI::App& app);    // infra_commands.cpp: infra plan|apply|destroy, doctor
void register_backup_command(CLI::App& app);    // backup_command.cpp

}  // namespace live2::app
