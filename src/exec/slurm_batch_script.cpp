#include "exec/slurm_batch_script.h"

#include <fstream>

#include "exec/command_runners.h"

namespace live2 {

std::string render_batch_script(const SlurmBatchScript& script) {
  std::string text = "#!/bin/sh\n# " + script.title +
                     "\n# exec: the worker itself receives Slurm's SIGTERM (time limit, requeue, scancel), checkpoints "
                     "and exits 75.\n";
  for (const auto& [name, value] : script.exports) text += "export " + name + "=" + shell_quoted(value) + "\n";
  for (const std::string& line : script.shell_lines) text += line + "\n";
  return text + "exec " + script.exec_line + "\n";
}

Status write_batch_file(const std::filesystem::path& path, const std::string& content) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) return Error::make(ErrorCode::io_error, "cannot write " + temporary.string());
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return Error::make(ErrorCode::io_error, "cannot write " + path.string() + ": " + error.message());
  return Status::success();
}

}  // namespace live2
