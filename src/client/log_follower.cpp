#include "client/log_follower.h"

#include <algorithm>

namespace live2::client {
namespace {

constexpr size_t kWindowLines = 8;

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// Index of the first line after the last place where `window` ends in `lines`; 0 if it does not occur. A poll that
// starts inside the window (fewer lines were returned than the window holds) matches on the window's tail.
size_t after_last_match(const std::vector<std::string>& lines, const std::vector<std::string>& window) {
  for (size_t end = lines.size(); end > 0 && !window.empty(); --end) {
    const size_t overlap = std::min(end, window.size());
    if (std::equal(window.end() - static_cast<long>(overlap), window.end(),
                   lines.begin() + static_cast<long>(end - overlap))) {
      return end;
    }
  }
  return 0;
}

}  // namespace

std::string LogFollower::unseen(std::string_view tail_text) {
  const std::vector<std::string> lines = split_lines(tail_text);
  const size_t first_new = after_last_match(lines, recent_);
  std::string out;
  for (size_t i = first_new; i < lines.size(); ++i) {
    out += lines[i];
    out.push_back('\n');
    recent_.push_back(lines[i]);
  }
  if (recent_.size() > kWindowLines) recent_.erase(recent_.begin(), recent_.end() - kWindowLines);
  return out;
}

}  // namespace live2::client
