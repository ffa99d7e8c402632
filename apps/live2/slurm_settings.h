// The Slurm executor's settings as `live2 serve` and `live2 doctor` both use them: where Slurm's commands run (this
// machine, or a login node over ssh), where the job directories are, and how large each job is.
#pragma once

#include <filesystem>

#include "core/settings.h"
#include "exec/command_runners.h"
#include "exec/slurm_doctor.h"
#include "exec/slurm_job_size.h"

namespace live2::app {

SshTarget slurm_ssh_target(const Settings& settings);
// LIVE2_SLURM_SHARED_DIR, or `{data_dir}/artifacts` (the local artifact store's root) when it is not set.
std::filesystem::path slurm_shared_directory(const Settings& settings, const std::filesystem::path& data_dir);
// LIVE2_SLURM_CPUS_PER_TASK and LIVE2_SLURM_MEMORY_MIB, and every tier's ceiling.
SlurmSizing slurm_sizing(const Settings& settings);
// The most CPUs a job may ask for, with the setting that decides it, for doctor.
std::vector<SlurmCpuAsk> slurm_cpu_asks(const Settings& settings);
// The most memory a job may ask for (LIVE2_SLURM_MEMORY_MIB, else every tier's ceiling), for doctor.
std::vector<SlurmMemoryAsk> slurm_memory_asks(const Settings& settings);

}  // namespace live2::app
