// The CPUs and memory each Slurm job asks for (slurm_job_size.h): fixed by the settings, or the run's estimate (the
// one AWS Batch uses) over whole CPUs under its tier's ceiling.
#include <gtest/gtest.h>

#include "exec/job_size_estimate.h"
#include "exec/slurm_job_size.h"
#include "support/simulation_runs.h"

namespace live2 {
namespace {

using testing::run_of_size;

TEST(SlurmJobSize, ByTierTheEstimateInWholeCpusUnderTheTiersCeiling) {
  const SlurmSizing by_tier;  // the default limits' ceilings: hobby 2 CPUs / 4 GiB, research 4 / 16 GiB, pro 8
  // The default run: seconds on one CPU; 512 MiB + 1 MiB.
  EXPECT_EQ(size_slurm_job(run_of_size(1'000, 10'000), Tier::hobby, by_tier), (SlurmJobSize{1, 513}));
  // 100,000 x 1,000,000: 16,876 s on one CPU, 8,883 s on 2, 4,562 s on 4, 2,313 s on 8 (batch_job_size_test.cpp):
  // every ceiling below 8 is used whole; 512 + 98 MiB.
  EXPECT_EQ(size_slurm_job(run_of_size(100'000, 1'000'000), Tier::hobby, by_tier), (SlurmJobSize{2, 610}));
  EXPECT_EQ(size_slurm_job(run_of_size(100'000, 1'000'000), Tier::research, by_tier), (SlurmJobSize{4, 610}));
  // Under pro's 8 the fewest whole CPUs that finish within the hour: fewer than Fargate's 8 step when one does.
  const SlurmJobSize pro = size_slurm_job(run_of_size(100'000, 1'000'000), Tier::pro, by_tier);
  EXPECT_GT(pro.cpus_per_task, 4);
  EXPECT_LE(pro.cpus_per_task, 8);
  EXPECT_LE(sim::estimate_runtime_seconds(run_of_size(100'000, 1'000'000), pro.cpus_per_task), kSizingTargetRuntimeSeconds);
  EXPECT_GT(sim::estimate_runtime_seconds(run_of_size(100'000, 1'000'000), pro.cpus_per_task - 1), kSizingTargetRuntimeSeconds);
  // Threads past one do not pay off below 2,000 particles, however long the run.
  EXPECT_EQ(size_slurm_job(run_of_size(1'000, 1'000'000'000), Tier::enterprise, by_tier).cpus_per_task, 1);
  // Memory is capped by the tier: 2,000,000 particles want 2,466 MiB.
  SlurmSizing small_memory;
  small_memory.tier_ceilings[Tier::hobby] = {2, 1'024};
  EXPECT_EQ(size_slurm_job(run_of_size(2'000'000, 10), Tier::hobby, by_tier).memory_mib, 2'466);
  EXPECT_EQ(size_slurm_job(run_of_size(2'000'000, 10), Tier::hobby, small_memory).memory_mib, 1'024);
}

TEST(SlurmJobSize, FixedSettingsWinOverTheEstimateEachOnItsOwn) {
  SlurmSizing fixed_cpus;
  fixed_cpus.cpus_per_task = 3;
  EXPECT_EQ(size_slurm_job(run_of_size(1'000, 10'000), Tier::hobby, fixed_cpus), (SlurmJobSize{3, 513}));
  SlurmSizing fixed_memory;
  fixed_memory.memory_mib = 700;
  EXPECT_EQ(size_slurm_job(run_of_size(100'000, 1'000'000), Tier::hobby, fixed_memory), (SlurmJobSize{2, 700}));
}

TEST(SlurmJobSize, AJobIsSizedFromItsParamsAndTier) {
  Job job;
  job.params_json =
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100000, "steps": 1000000}}})";
  EXPECT_EQ(size_slurm_job(job, SlurmSizing{}), (SlurmJobSize{2, 610}));  // no tier: hobby's
  job.tier = Tier::research;
  EXPECT_EQ(size_slurm_job(job, SlurmSizing{}), (SlurmJobSize{4, 610}));
}

}  // namespace
}  // namespace live2
