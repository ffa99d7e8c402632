// TempDir: a fresh directory under the system temp dir, removed with everything in it when the object dies.
// Not thread-safe (one owner).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace live2::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view name_prefix = "live2-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// The whole content of a file (empty when it cannot be read).
std::string read_whole_file(const std::filesystem::path& path);

}  // namespace live2::testing
