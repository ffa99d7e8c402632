// The Slurm executor's settings as `live2 serve` and `live2 doctor` both use them: where Slurm's commands run (this
// machine, or a login node over ssh) and where the job directories are.
#pragma once

#include <filesystem>

#include "core/settings.h"
#include "exec/command_runners.h"

namespace live2::app {

SshTarget slurm_ssh_target(const Settings& settings);
// LIVE2_SLURM_SHARED_DIR, or `{data_dir}/artifacts` (the local artifact store's root) when it is not set.
std::filesystem::path slurm_shared_directory(const Settings& settings, const std::filesystem::path& data_dir);

}  // namespace live2::app
