#include "artifacts/free_space.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace live2 {

Result<int64_t> available_bytes(const std::filesystem::path& directory) {
  struct statvfs info {};
  if (statvfs(directory.c_str(), &info) != 0) {
    return Error::make(ErrorCode::unavailable,
                       "cannot read the free space of " + directory.string() + ": " + std::strerror(errno));
  }
  return static_cast<int64_t>(info.f_bavail) * static_cast<int64_t>(info.f_frsize);
}

Status check_free_space(const std::vector<std::filesystem::path>& directories, int64_t reserve_bytes) {
  if (reserve_bytes <= 0) return {};
  for (const std::filesystem::path& directory : directories) {
    std::error_code missing;
    if (!std::filesystem::exists(directory, missing)) continue;
    Result<int64_t> available = available_bytes(directory);
    if (!available) return available.error();
    if (*available < reserve_bytes) {
      return Error::make(ErrorCode::storage_full, directory.string() + " has " + std::to_string(*available) +
                                                      " bytes free, less than the " + std::to_string(reserve_bytes) +
                                                      " bytes kept in reserve (LIVE2_MIN_FREE_DISK_BYTES)");
    }
  }
  return {};
}

}  // namespace live2
