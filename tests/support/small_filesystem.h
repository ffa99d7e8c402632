// SmallFilesystem: a real, tiny filesystem (tmpfs of a given size) mounted on a fresh temp directory, for tests of
// what live2 does when its disk is full. Mounting needs root (CAP_SYS_ADMIN); unavailable_reason() says why it cannot
// be done here so a test can skip with that reason. fill() takes every free byte with one file and free_up()
// removes it again. The destructor unmounts (lazily, so a file still open in a child cannot keep it mounted) and
// removes the directory, also when the test failed. Not thread-safe (one owner).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "support/temp_dir.h"

namespace live2::testing {

class SmallFilesystem {
 public:
  explicit SmallFilesystem(int64_t size_bytes);  // throws std::runtime_error when it cannot mount
  ~SmallFilesystem();
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  // Why a tmpfs cannot be mounted on this machine (not root, no permission), or nullopt when it can.
  static std::optional<std::string> unavailable_reason();

  const std::filesystem::path& path() const { return mount_point_.path(); }
  // Writes a filler file until the filesystem reports ENOSPC; returns the bytes written.
  int64_t fill();
  void free_up();

 private:
  TempDir mount_point_;
  bool mounted_ = false;
};

}  // namespace live2::testing
