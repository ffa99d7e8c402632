// `live2 doctor`'s Slurm checks (LIVE2_EXECUTOR=slurm, docs/slurm.md): Slurm's commands answer (where the server
// runs them: here or over ssh), the partition exists and is up, the configured time limit and the most CPUs a job may
// ask for (fixed, or its tier's ceiling) and the most memory fit it (its nodes' RealMemory, MaxMemPerNode),
// and the shared directory is writable by the server and, through a tiny test job, by the nodes. Each check says
// what it saw and how to fix a failure. Runs commands and one short batch job; not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "exec/slurm_commands.h"

namespace live2 {

struct SlurmCheck {
  std::string id;        // stable, e.g. "slurm.partition"
  std::string title;
  bool passed = false;
  bool warning = false;  // passed, with something to look at
  std::string observed;
  std::string fix;       // empty when passed
};

struct SlurmCpuAsk {
  std::string setting;  // e.g. "LIVE2_TIER_PRO_MAX_VCPUS"
  int cpus = 1;
};

struct SlurmMemoryAsk {
  std::string setting;  // e.g. "LIVE2_SLURM_MEMORY_MIB"
  int64_t memory_mib = 0;
};

struct SlurmDoctorInputs {
  std::string partition;              // empty: the cluster's default partition
  std::string account;
  std::string qos;
  int64_t time_limit_minutes = 0;     // 0: the partition's default
  // The most CPUs a job may ask for, each with the setting that decides it: LIVE2_SLURM_CPUS_PER_TASK when set,
  // else every tier's LIVE2_TIER_<TIER>_MAX_VCPUS (slurm_job_size.h).
  std::vector<SlurmCpuAsk> cpu_asks;
  // Likewise the most memory (--mem): LIVE2_SLURM_MEMORY_MIB when set, else every tier's
  // LIVE2_TIER_<TIER>_MAX_MEMORY_MIB.
  std::vector<SlurmMemoryAsk> memory_asks;
  std::filesystem::path shared_directory;
  int64_t test_job_timeout_ms = 120'000;  // how long the write test waits for its job
};

std::vector<SlurmCheck> run_slurm_doctor(SlurmCommands& slurm, const SlurmDoctorInputs& inputs);

// Slurm's time format ("UNLIMITED", "INFINITE", "[days-]hours:minutes:seconds", "minutes") in minutes; -1 for
// unlimited, nullopt when it is not a time.
std::optional<int64_t> slurm_time_minutes(const std::string& text);

}  // namespace live2
