// Excerpts of text files that may be large and still growing (the simulation log, a worker's stderr):
// the first or last lines, read without loading the whole file. A missing file reads as empty text.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "base/result.h"

namespace live2 {

// The last `lines` lines (a final line without '\n' counts), at most `max_bytes` from the end of the file.
Result<std::string> last_lines_of_file(const std::filesystem::path& file, int lines, int64_t max_bytes);
// The first `lines` lines, at most `max_bytes` from the start of the file.
Result<std::string> first_lines_of_file(const std::filesystem::path& file, int lines, int64_t max_bytes);

}  // namespace live2
