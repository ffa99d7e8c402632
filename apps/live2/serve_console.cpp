#include "serve_console.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace live2::app {
namespace {

constexpr size_t kAccessLogFileBytes = 64 << 20;
constexpr size_t kAccessLogOldFiles = 3;

void print_summary(std::ostream& out, const StartInfo& info) {
  const std::string& live2 = info.live2_command;
  out << "\nlive2 is serving on " << info.base_url << "  (dashboard and API)\n\n";
  if (info.new_key) {
    out << "  API key     " << *info.new_key << "\n"
        << "              a new admin key for user \"local\", shown only this once: keep it\n";
  } else {
    out << "  API keys    " << live2 << " keys list --data-dir " << info.data_dir.string() << "\n";
  }
  out << "  data        " << info.data_dir.string() << "\n";
  if (info.access_log_file) {
    out << "  access log  " << info.access_log_file->string() << "  (--access-log stdout shows it here)\n";
  }
  out << "\nNext, in another terminal:\n";
  if (info.new_key) out << "  export LIVE2_API_KEY=" << *info.new_key << "\n";
  if (!info.new_key) {
    out << "  export LIVE2_API_KEY=$(" << live2 << " keys create --user $USER --tier research --data-dir "
        << info.data_dir.string() << ")\n";
  }
  out << "  " << live2 << " submit --particles 500 --steps 5000 --wait\n"
      << "  " << live2 << " list\n"
      << "  open " << info.base_url << " and sign in with the key\n"
      << "Stop with Ctrl-C: running jobs checkpoint and resume at the next start.\n\n";
}

// For logs and the journal: everything needed, on lines that read well without a terminal.
void print_plain(std::ostream& out, const StartInfo& info) {
  out << "live2 is serving on " << info.base_url << "\n";
  if (!info.new_key) {
    out << "  create an API key with: live2 keys create --user <name> --tier research --data-dir <dir>\n";
    return;
  }
  const std::string& key = *info.new_key;
  out << "  first start: created an admin API key for user \"local\" (shown only this once):\n"
      << "    " << key << "\n"
      << "  submit a job:\n"
      << "    curl -sS -X POST " << info.base_url << "/api/v1/jobs -H 'Authorization: Bearer " << key << "' \\\n"
      << "      -H 'Content-Type: application/json' \\\n"
      << "      -d '{\"job_type\":\"run_simulation\",\"params\":{\"simulation_config\":{\"mode\":\"open_chemistry\","
         "\"config\":{\"num_particles\":500,\"temperature\":300,\"steps\":5000}}}}'\n";
}

}  // namespace

ConsoleMode console_mode(const std::string& access_log_setting, bool stdout_is_terminal, bool under_systemd) {
  ConsoleMode mode;
  mode.for_a_person = stdout_is_terminal && !under_systemd;
  mode.access_log_to_file = access_log_setting == "file" || (access_log_setting == "auto" && mode.for_a_person);
  return mode;
}

ConsoleMode detect_console_mode(const std::string& access_log_setting) {
  const char* journal = std::getenv("JOURNAL_STREAM");
  return console_mode(access_log_setting, isatty(STDOUT_FILENO) == 1, journal != nullptr && *journal != '\0');
}

std::shared_ptr<spdlog::logger> configure_logging(const ConsoleMode& mode, const std::filesystem::path& access_log_file) {
  auto logger = std::make_shared<spdlog::logger>("live2", std::make_shared<spdlog::sinks::stdout_sink_mt>());
  logger->set_pattern("[%Y-%m-%dT%H:%M:%S.%eZ] [%l] %v", spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  // stdout_sink flushes after every line; the access log's sinks leave the flushing to flush_every below (a flush per
  // request would cost a write per request). On stdout both end in the same C stdout buffer (std::cout is
  // synchronised with stdio), so lines keep their order.
  spdlog::sink_ptr sink;
  if (mode.access_log_to_file) {
    sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(access_log_file.string(), kAccessLogFileBytes,
                                                                  kAccessLogOldFiles);
  } else {
    sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(std::cout, /*force_flush=*/false);
  }
  auto access_log = std::make_shared<spdlog::logger>("access", std::move(sink));
  access_log->set_pattern("%v");
  spdlog::register_logger(access_log);
  spdlog::flush_every(std::chrono::seconds(1));
  return access_log;
}

void print_start_message(std::ostream& out, const ConsoleMode& mode, const StartInfo& info) {
  if (mode.for_a_person) {
    print_summary(out, info);
  } else {
    print_plain(out, info);
  }
}

}  // namespace live2::app
