#include "exec/local_worker_records.h"

#include <charconv>

namespace live2 {

std::optional<int64_t> parse_pid(const std::string& text) {
  int64_t pid = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (error != std::errc() || end != text.data() + text.size() || pid <= 1) return std::nullopt;
  return pid;
}

void set_external_status(Job& job, const std::string& external_status, int64_t now_ms) {
  if (job.executor.external_status != external_status) job.executor.status_since_ms = now_ms;
  job.executor.external_status = external_status;
  job.updated_at_ms = now_ms;
}

}  // namespace live2
