#include <system_error>

#include "worker/artifact_sink.h"
#include "worker/atomic_file.h"

namespace live2::worker {
namespace {

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code error;
  return std::filesystem::equivalent(a, b, error) && !error;
}

}  // namespace

DirectorySink::DirectorySink(std::filesystem::path directory) : directory_(std::move(directory)) {}

OutputStatus DirectorySink::publish(const std::string& name, const std::filesystem::path& file, bool /*final*/) {
  const std::filesystem::path target = directory_ / name;
  if (same_file(file, target)) return {};
  return copy_file_atomically(file, target);
}

bool DirectorySink::fetch(const std::string& name, const std::filesystem::path& destination) {
  const std::filesystem::path source = directory_ / name;
  std::error_code error;
  if (!std::filesystem::is_regular_file(source, error)) return false;
  if (same_file(source, destination)) return true;
  return copy_file_atomically(source, destination).ok();
}

}  // namespace live2::worker
