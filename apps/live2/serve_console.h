// What `live2 serve` prints, and where: the start-up message and the destination of the JSON access log.
// On a person's terminal (stdout is a tty, not under systemd) the start-up message is a short summary (URL, key,
// next commands) and the access log goes to {data_dir}/access.log, so the key does not scroll away under request
// lines; otherwise (systemd, a pipe, a file) the access log stays on stdout for the journal or the collector, and the
// message keeps a ready-to-paste curl. LIVE2_ACCESS_LOG / --access-log (stdout | file) overrides the choice.
// Called once at start-up, from the serve thread.
#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace live2::app {

struct ConsoleMode {
  bool for_a_person = false;           // stdout is a terminal and the service does not run under systemd
  bool access_log_to_file = false;     // {data_dir}/access.log instead of stdout
};

// `access_log_setting`: auto | stdout | file (validated by parse_settings).
ConsoleMode console_mode(const std::string& access_log_setting, bool stdout_is_terminal, bool under_systemd);
// The mode of this process: isatty(stdout), JOURNAL_STREAM in the environment.
ConsoleMode detect_console_mode(const std::string& access_log_setting);

// Sets spdlog's default logger (timestamped operational lines on stdout) and returns the access logger (one JSON
// object per line, flushed every second): on stdout, or in `access_log_file` rotated at 64 MiB with 3 old files.
std::shared_ptr<spdlog::logger> configure_logging(const ConsoleMode& mode, const std::filesystem::path& access_log_file);

struct StartInfo {
  std::string base_url;
  std::filesystem::path data_dir;
  std::optional<std::string> new_key;  // the admin key a first start created for user "local"
  std::optional<std::filesystem::path> access_log_file;
  std::string live2_command;           // how to run this binary from the working directory (build/bin/live2)
};

void print_start_message(std::ostream& out, const ConsoleMode& mode, const StartInfo& info);

}  // namespace live2::app
