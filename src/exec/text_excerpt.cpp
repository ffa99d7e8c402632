#include "exec/text_excerpt.h"

#include <algorithm>
#include <fstream>

namespace live2 {
namespace {

constexpr int64_t kBlockBytes = 64 * 1024;

Error cannot_read(const std::filesystem::path& file) {
  return Error::make(ErrorCode::unavailable, "cannot read " + file.string());
}

}  // namespace

Result<std::string> last_lines_of_file(const std::filesystem::path& file, int lines, int64_t max_bytes) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) return std::string();
  if (lines <= 0) return std::string();
  const int64_t file_size = static_cast<int64_t>(in.tellg());
  const int64_t window_start = std::max<int64_t>(0, file_size - max_bytes);
  // Read blocks backwards until the text holds more newlines than wanted lines (or the window is exhausted).
  std::string text;
  int64_t position = file_size;
  auto enough = [&] {
    // A trailing '\n' ends the last line rather than starting another one.
    const int64_t newlines = std::count(text.begin(), text.end(), '\n') - (text.ends_with('\n') ? 1 : 0);
    return newlines >= lines;
  };
  while (position > window_start && !enough()) {
    const int64_t block_start = std::max(window_start, position - kBlockBytes);
    std::string block(static_cast<size_t>(position - block_start), '\0');
    in.seekg(block_start);
    if (!in.read(block.data(), static_cast<std::streamsize>(block.size()))) return cannot_read(file);
    text.insert(0, block);
    position = block_start;
  }
  if (position > 0 && !enough()) {
    // The byte limit cut the oldest line: drop its fragment.
    const size_t first_newline = text.find('\n');
    if (first_newline != std::string::npos && first_newline + 1 < text.size()) text.erase(0, first_newline + 1);
    return text;
  }
  // Keep only the last `lines` lines.
  size_t cut = text.size() - (text.ends_with('\n') ? 1 : 0);
  for (int seen = 0; seen < lines; ++seen) {
    const size_t newline = cut == 0 ? std::string::npos : text.rfind('\n', cut - 1);
    if (newline == std::string::npos) return text;
    cut = newline;
  }
  return text.substr(cut + 1);
}

Result<std::string> first_lines_of_file(const std::filesystem::path& file, int lines, int64_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::string();
  std::string text;
  std::string line;
  for (int seen = 0; seen < lines && std::getline(in, line); ++seen) {
    text += line;
    text += '\n';
    if (static_cast<int64_t>(text.size()) >= max_bytes) {
      text.resize(static_cast<size_t>(max_bytes));
      break;
    }
  }
  if (in.bad()) return cannot_read(file);
  return text;
}

}  // namespace live2
