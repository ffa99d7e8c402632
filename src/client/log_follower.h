// LogFollower: `live2 logs -f` on top of GET /logs?tail=N, which only returns the newest lines. Each poll's lines are
// matched against the end of what was already printed, so only lines not yet seen come out. If more lines arrived
// between two polls than one poll returns, the overlap is lost and the whole poll is printed (a gap, never a
// duplicate-free guarantee across it). One follower per stream; not thread-safe. Pure (the caller does the polling).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace live2::client {

class LogFollower {
 public:
  // Returns the lines of `tail_text` (a poll's body) that were not returned before, newline-terminated.
  std::string unseen(std::string_view tail_text);

 private:
  std::vector<std::string> recent_;  // the last lines returned, oldest first (the overlap window)
};

}  // namespace live2::client
