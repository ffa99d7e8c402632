#include "support/small_filesystem.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace live2::testing {
namespace {

constexpr const char* kFillerName = ".filler";

std::optional<std::string> try_mount(const std::filesystem::path& where, int64_t size_bytes) {
  const std::string options = "size=" + std::to_string(size_bytes) + ",mode=0700";
  if (mount("tmpfs", where.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) return std::nullopt;
  return "cannot mount a tmpfs (" + std::string(std::strerror(errno)) + "; mounting needs root)";
}

}  // namespace

SmallFilesystem::SmallFilesystem(int64_t size_bytes) : mount_point_("live2-small-fs") {
  if (auto failed = try_mount(mount_point_.path(), size_bytes)) throw std::runtime_error(*failed);
  mounted_ = true;
}

SmallFilesystem::~SmallFilesystem() {
  if (mounted_) umount2(mount_point_.path().c_str(), MNT_DETACH);
}

std::optional<std::string> SmallFilesystem::unavailable_reason() {
  TempDir probe("live2-small-fs-probe");
  if (auto failed = try_mount(probe.path(), 64 * 1024)) return failed;
  umount2(probe.path().c_str(), MNT_DETACH);
  return std::nullopt;
}

int64_t SmallFilesystem::fill() {
  const int fd = ::open((path() / kFillerName).c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd < 0) throw std::runtime_error("cannot create the filler file: " + std::string(std::strerror(errno)));
  const std::vector<char> block(4096, 'x');
  int64_t written = 0;
  while (true) {
    const ssize_t wrote = ::write(fd, block.data(), block.size());
    if (wrote <= 0) break;  // ENOSPC: full (a partial block fills the last bytes first)
    written += wrote;
  }
  ::close(fd);
  return written;
}

void SmallFilesystem::free_up() {
  std::error_code ignored;
  std::filesystem::remove(path() / kFillerName, ignored);
}

}  // namespace live2::testing
