// FakeSlurm: a CommandRunner that behaves like Slurm's client commands against an in-memory controller, for the
// executor's unit tests. sbatch queues a PENDING job and prints its id; `squeue --json` prints every job in the
// shape Slurm 22.05 prints (openapi v0.0.38: job_state a string, exit_code the raw wait status); scancel ends a
// pending job, or records the signal sent to a running one; `scontrol requeue` puts a job back to PENDING and counts
// the restart. Tests move jobs along by setting their state. Every call's argv is recorded. Not thread-safe: tests
// drive the executor's cycles by hand.
#pragma once

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exec/command_runner.h"

namespace live2::testing {

struct FakeSlurmJob {
  std::string name;
  std::string state = "PENDING";
  std::string reason = "Priority";
  int64_t wait_status = 0;  // raw, as squeue reports exit_code
  int64_t start_time_s = 0;
  int64_t end_time_s = 0;
  int restart_count = 0;
  std::vector<std::string> signals;  // names scancel --signal sent
  std::vector<std::string> sbatch_argv;
};

class FakeSlurm final : public CommandRunner {
 public:
  std::map<int64_t, FakeSlurmJob> jobs;  // by Slurm job id
  std::vector<std::vector<std::string>> calls;
  std::optional<Result<CommandOutput>> next_sbatch;  // answered instead of queueing a job
  bool sbatch_queues_despite_answer = false;          // with next_sbatch: the job is queued anyway (lost answer)
  int64_t next_id = 100;

  Result<CommandOutput> run(const std::vector<std::string>& argv) override {
    calls.push_back(argv);
    const std::string& program = argv.front();
    if (program == "sbatch") return sbatch(argv);
    if (program == "squeue") return CommandOutput{0, squeue_json(), ""};
    if (program == "scancel") return scancel(argv);
    if (program == "scontrol" && argv.at(1) == "requeue") {
      FakeSlurmJob& job = jobs.at(std::stoll(argv.at(2)));
      job.state = "PENDING";
      job.reason = "BeginTime";
      job.wait_status = 0;
      ++job.restart_count;
      return CommandOutput{0, "", ""};
    }
    return CommandOutput{1, "", program + ": not faked"};
  }
  std::string where() const override { return "the fake Slurm"; }

  int count(const std::string& program) const {
    int n = 0;
    for (const auto& call : calls) n += call.front() == program ? 1 : 0;
    return n;
  }
  FakeSlurmJob& by_name(const std::string& name) {
    for (auto& [id, job] : jobs) {
      if (job.name == name) return job;
    }
    throw std::logic_error("no Slurm job named " + name);
  }
  void finish(int64_t id, const std::string& state, int64_t wait_status) {
    FakeSlurmJob& job = jobs.at(id);
    job.state = state;
    job.wait_status = wait_status;
    job.reason = wait_status == 0 ? "None" : "NonZeroExitCode";
    job.end_time_s = 1'795'000'100;
  }

 private:
  Result<CommandOutput> sbatch(const std::vector<std::string>& argv) {
    const auto queue = [&] {
      FakeSlurmJob job;
      job.sbatch_argv = argv;
      for (const std::string& word : argv) {
        if (word.starts_with("--job-name=")) job.name = word.substr(11);
      }
      jobs[next_id] = job;
      return next_id++;
    };
    if (next_sbatch) {
      if (sbatch_queues_despite_answer) queue();
      return *std::exchange(next_sbatch, std::nullopt);
    }
    return CommandOutput{0, std::to_string(queue()) + "\n", ""};
  }

  Result<CommandOutput> scancel(const std::vector<std::string>& argv) {
    std::optional<std::string> signal;
    for (const std::string& word : argv) {
      if (word.starts_with("--signal=")) signal = word.substr(9);
    }
    FakeSlurmJob& job = jobs.at(std::stoll(argv.back()));
    if (signal) {
      job.signals.push_back(*signal);
    } else {
      job.state = "CANCELLED";
      job.reason = "None";
      job.wait_status = 0;
    }
    return CommandOutput{0, "", ""};
  }

  std::string squeue_json() const {
    boost::json::array list;
    for (const auto& [id, job] : jobs) {
      list.push_back(boost::json::object{{"job_id", id},
                                         {"name", job.name},
                                         {"job_state", job.state},
                                         {"state_reason", job.reason},
                                         {"exit_code", job.wait_status},
                                         {"start_time", job.start_time_s},
                                         {"end_time", job.end_time_s},
                                         {"restart_cnt", job.restart_count},
                                         {"array_job_id", 0},
                                         {"array_task_id", nullptr}});
    }
    return boost::json::serialize(boost::json::object{{"meta", boost::json::object{}},
                                                      {"errors", boost::json::array{}},
                                                      {"jobs", list}});
  }
};

}  // namespace live2::testing
