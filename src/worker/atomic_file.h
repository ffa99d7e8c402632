// Whole-file writes that readers never see half done: the content goes to "<path>.tmp" and is renamed over
// <path> (rename is atomic within one filesystem). Parent directories are created as needed.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

#include "worker/output_status.h"

namespace live2::worker {

OutputStatus write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Streams the content through `write` (for large binary state such as the checkpoint). A `write` that
// leaves the stream failed makes the whole write fail and leaves `path` untouched.
OutputStatus write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);

// Copies `from` to `to` with the same guarantee.
OutputStatus copy_file_atomically(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace live2::worker
