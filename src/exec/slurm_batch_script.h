// The batch scripts live2 writes for Slurm (docs/slurm.md): a comment saying whose job it is, the worker's
// environment as `export NAME='value'` lines (every value single-quoted: user text never reaches the shell
// unquoted), live2's own shell lines, and last an `exec` of the worker, so that Slurm's signals reach the worker
// itself. Pure, except write_batch_file.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace live2 {

struct SlurmBatchScript {
  std::string title;                                          // the comment line after the shebang
  std::vector<std::pair<std::string, std::string>> exports;  // name, value (any text)
  std::vector<std::string> shell_lines;                      // live2's own lines, never user text
  std::string exec_line;                                      // the command after `exec`, its words already quoted
};

std::string render_batch_script(const SlurmBatchScript& script);

// Writes `content` to `path` through a temporary file and a rename: a node never reads half a script.
Status write_batch_file(const std::filesystem::path& path, const std::string& content);

}  // namespace live2
