// Doctor's Slurm checks that read the cluster's configuration: Slurm's time format, and whether the most memory a job
// may ask for fits a node of the partition, against scontrol's answers as Slurm 22.05 prints them (the checks as a
// whole run against the fixture cluster in serve_slurm_test.cpp).
#include <gtest/gtest.h>

#include "exec/slurm_doctor.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

// Slurm's answers for a cluster whose partition `compute` has nodes of 2,048 and 4,096 MiB and whose `bigmem`
// partition has one of 16,384 MiB.
class ScontrolAnswers final : public CommandRunner {
 public:
  std::string max_mem_per_node = "UNLIMITED";

  Result<CommandOutput> run(const std::vector<std::string>& argv) override {
    if (argv.front() == "squeue") return CommandOutput{0, R"({"jobs":[]})", ""};
    if (argv.front() == "sbatch") return CommandOutput{0, "7\n", ""};
    if (argv.front() == "scancel") return CommandOutput{0, "", ""};
    if (argv.size() > 2 && argv[1] == "show" && argv[2] == "partition") {
      return CommandOutput{0,
                           "PartitionName=compute AllowGroups=ALL Default=YES MaxTime=60 State=UP TotalCPUs=8 "
                           "TotalNodes=2 MaxCPUsPerNode=UNLIMITED MaxMemPerNode=" + max_mem_per_node + "\n",
                           ""};
    }
    if (argv.size() > 2 && argv[1] == "show" && argv[2] == "node") {
      return CommandOutput{0,
                           "NodeName=c1 Arch=x86_64 CPUTot=4 RealMemory=2048 AllocMem=0 Partitions=compute State=IDLE\n"
                           "NodeName=c2 Arch=x86_64 CPUTot=4 RealMemory=4096 AllocMem=0 Partitions=compute,debug State=IDLE\n"
                           "NodeName=m1 Arch=x86_64 CPUTot=4 RealMemory=16384 AllocMem=0 Partitions=bigmem State=IDLE\n",
                           ""};
    }
    return CommandOutput{1, "", "not faked"};
  }
  std::string where() const override { return "scontrol answers"; }
};

SlurmCheck memory_check(ScontrolAnswers& answers, std::vector<SlurmMemoryAsk> asks) {
  SlurmCommands slurm(answers);
  SlurmDoctorInputs inputs;
  inputs.memory_asks = std::move(asks);
  const testing::TempDir shared;
  inputs.shared_directory = shared.path();
  inputs.test_job_timeout_ms = 1;
  for (SlurmCheck& check : run_slurm_doctor(slurm, inputs)) {
    if (check.id == "slurm.memory") return check;
  }
  ADD_FAILURE() << "no slurm.memory check";
  return {};
}

TEST(SlurmDoctorMemory, TheMostMemoryAJobMayAskForMustFitTheLargestNodeOfThePartition) {
  ScontrolAnswers answers;
  const SlurmCheck fits = memory_check(answers, {{"LIVE2_SLURM_MEMORY_MIB", 4096}});
  EXPECT_TRUE(fits.passed) << fits.observed;
  EXPECT_NE(fits.observed.find("c2, has RealMemory 4096 MiB"), std::string::npos) << fits.observed;

  // By tier: each tier's ceiling is checked and the ones that do not fit are named (bigmem's node does not count).
  const SlurmCheck by_tier = memory_check(
      answers, {{"LIVE2_TIER_HOBBY_MAX_MEMORY_MIB", 4096}, {"LIVE2_TIER_PRO_MAX_MEMORY_MIB", 32768},
                {"LIVE2_TIER_ENTERPRISE_MAX_MEMORY_MIB", 65536}});
  EXPECT_FALSE(by_tier.passed);
  EXPECT_EQ(by_tier.fix,
            "lower LIVE2_TIER_PRO_MAX_MEMORY_MIB to at most 4096; lower LIVE2_TIER_ENTERPRISE_MAX_MEMORY_MIB to at "
            "most 4096 (or use a partition with larger nodes)");
  EXPECT_EQ(by_tier.observed.find("HOBBY"), std::string::npos) << by_tier.observed;

  // The partition's MaxMemPerNode is the limit when it is lower.
  answers.max_mem_per_node = "3000";
  const SlurmCheck capped = memory_check(answers, {{"LIVE2_SLURM_MEMORY_MIB", 4096}});
  EXPECT_FALSE(capped.passed);
  EXPECT_EQ(capped.fix, "lower LIVE2_SLURM_MEMORY_MIB to at most 3000 (or use a partition with larger nodes)");
}

TEST(SlurmTimeFormat, ReadsEveryFormScontrolPrints) {
  EXPECT_EQ(slurm_time_minutes("UNLIMITED"), -1);
  EXPECT_EQ(slurm_time_minutes("01:00:00"), 60);
  EXPECT_EQ(slurm_time_minutes("2-00:30:00"), 2 * 1440 + 30);
  EXPECT_EQ(slurm_time_minutes("45"), 45);
  EXPECT_EQ(slurm_time_minutes("NONE"), std::nullopt);
}

}  // namespace
}  // namespace live2
