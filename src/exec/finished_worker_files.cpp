#include "exec/finished_worker_files.h"

#include <system_error>

#include "exec/text_excerpt.h"

namespace live2 {
namespace {

constexpr int kStderrExcerptLines = 10;
constexpr int64_t kStderrExcerptBytes = 2000;

}  // namespace

FinishedWorker finished_worker_from_files(const std::optional<ProcessExit>& exit, bool server_stopping,
                                          const std::filesystem::path& metadata_file,
                                          const std::filesystem::path& stderr_file) {
  FinishedWorker finished;
  finished.exit = exit;
  finished.server_stopping = server_stopping;
  std::error_code error;
  finished.metadata_written = std::filesystem::exists(metadata_file, error);
  if (exit) {
    if (auto head = first_lines_of_file(stderr_file, kStderrExcerptLines, kStderrExcerptBytes)) {
      finished.stderr_head = std::move(*head);
    }
    if (auto tail = last_lines_of_file(stderr_file, kStderrExcerptLines, kStderrExcerptBytes)) {
      finished.stderr_tail = std::move(*tail);
    }
  }
  return finished;
}

}  // namespace live2
