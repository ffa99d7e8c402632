// Whole-file writes that readers never see half done: the content goes to "<path>.tmp" and is renamed over
// <path> (rename is atomic within one filesystem). Parent directories are created as needed. And the matching
// whole-file read.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "worker/output_status.h"

namespace live2::worker {

OutputStatus write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Streams the content through `write` (for large binary state such as the checkpoint). A `write` that
// leaves the stream failed makes the whole write fail and leaves `path` untouched.
OutputStatus write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);

// Copies `from` to `to` with the same guarantee.
OutputStatus copy_file_atomically(const std::filesystem::path& from, const std::filesystem::path& to);

// The whole content of `file`; nullopt when it cannot be read.
std::optional<std::string> read_text_file(const std::filesystem::path& file);

}  // namespace live2::worker
