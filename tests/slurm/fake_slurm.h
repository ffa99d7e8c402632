// FakeSlurm: a CommandRunner that behaves like Slurm's client commands against an in-memory controller, for the
// executor's unit tests. sbatch queues a PENDING job and prints its id; `squeue --json` prints every job in the
// shape Slurm 22.05 prints (openapi v0.0.38: job_state a string, exit_code the raw wait status); scancel ends a
// pending job, or records the signal sent to a running one; `scontrol requeue` puts a job back to PENDING and counts
// the restart. Job arrays (`--array=0-3%2`) print as Slurm does: each started task as `<array>_<task>`, the tasks not
// started yet as one pending record with their array_task_string; `--hold` jobs wait for `scontrol release`, and
// `scontrol show config` prints max_array_size. Tests move jobs along by setting their state (start_task and
// finish_task for array tasks). Every call's argv is recorded. Not thread-safe: tests drive the executor's cycles by
// hand.
#pragma once

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "exec/command_runner.h"
#include "exec/slurm_queue_json.h"

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
  // Arrays: the tasks not started yet, the throttle, and the started ones by task id.
  std::set<int64_t> unstarted;
  std::string throttle;
  std::map<int64_t, FakeSlurmJob> tasks;
};

class FakeSlurm final : public CommandRunner {
 public:
  std::map<int64_t, FakeSlurmJob> jobs;  // by Slurm job id
  std::vector<std::vector<std::string>> calls;
  std::optional<Result<CommandOutput>> next_sbatch;  // answered instead of queueing a job
  bool sbatch_queues_despite_answer = false;          // with next_sbatch: the job is queued anyway (lost answer)
  int64_t next_id = 100;
  int64_t max_array_size = 1001;

  Result<CommandOutput> run(const std::vector<std::string>& argv) override {
    calls.push_back(argv);
    const std::string& program = argv.front();
    if (program == "sbatch") return sbatch(argv);
    if (program == "squeue") return CommandOutput{0, squeue_json(), ""};
    if (program == "scancel") return scancel(argv);
    if (program == "scontrol" && argv.at(1) == "show" && argv.at(2) == "config") {
      return CommandOutput{0, "MaxJobCount             = 10000\nMaxArraySize            = " +
                                  std::to_string(max_array_size) + "\nMaxStepCount            = 40000\n", ""};
    }
    if (program == "scontrol" && argv.at(1) == "release") {
      jobs.at(std::stoll(argv.at(2))).reason = "Dependency";
      return CommandOutput{0, "", ""};
    }
    if (program == "scontrol" && argv.at(1) == "requeue") {
      FakeSlurmJob& job = job_or_task(argv.at(2));
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
  // Task `task` of array `id` starts (as Slurm splits it off the pending record).
  FakeSlurmJob& start_task(int64_t id, int64_t task) {
    FakeSlurmJob& array = jobs.at(id);
    array.unstarted.erase(task);
    FakeSlurmJob& started = array.tasks[task];
    started.name = array.name;
    started.state = "RUNNING";
    started.reason = "None";
    started.start_time_s = 1'794'999'990;
    return started;
  }
  void finish_task(int64_t id, int64_t task, const std::string& state, int64_t wait_status) {
    FakeSlurmJob& job = jobs.at(id).tasks.at(task);
    job.state = state;
    job.wait_status = wait_status;
    job.reason = wait_status == 0 ? "None" : "NonZeroExitCode";
    job.end_time_s = 1'795'000'100;
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
        if (word == "--hold") job.reason = "JobHeldUser";
        if (word.starts_with("--array=")) {
          const std::string spec = word.substr(8);
          job.throttle = spec.substr(spec.find('%'));
          for (const auto& [first, last] : array_task_ranges(spec)) {
            for (int64_t task = first; task <= last; ++task) job.unstarted.insert(task);
          }
        }
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
    FakeSlurmJob& job = job_or_task(argv.back());
    for (auto& [task, started] : job.tasks) {  // an array: scancel without a signal ends every task
      if (!signal && !slurm_state_is_final(started.state)) started.state = "CANCELLED";
    }
    if (signal) {
      job.signals.push_back(*signal);
    } else {
      job.state = "CANCELLED";
      job.reason = "None";
      job.wait_status = 0;
    }
    return CommandOutput{0, "", ""};
  }

  // "12" or an array task "12_3".
  FakeSlurmJob& job_or_task(const std::string& id) {
    const size_t underscore = id.find('_');
    if (underscore == std::string::npos) return jobs.at(std::stoll(id));
    return jobs.at(std::stoll(id.substr(0, underscore))).tasks.at(std::stoll(id.substr(underscore + 1)));
  }

  static boost::json::object record(int64_t id, const FakeSlurmJob& job) {
    return boost::json::object{{"job_id", id},
                               {"name", job.name},
                               {"job_state", job.state},
                               {"state_reason", job.reason},
                               {"exit_code", job.wait_status},
                               {"start_time", job.start_time_s},
                               {"end_time", job.end_time_s},
                               {"restart_cnt", job.restart_count},
                               {"array_job_id", 0},
                               {"array_task_id", nullptr}};
  }

  std::string squeue_json() const {
    boost::json::array list;
    for (const auto& [id, job] : jobs) {
      if (!job.tasks.empty() || !job.unstarted.empty()) {
        for (const auto& [task, started] : job.tasks) {
          boost::json::object entry = record(id * 1000 + task, started);
          entry["array_job_id"] = id;
          entry["array_task_id"] = task;
          list.push_back(std::move(entry));
        }
        if (job.unstarted.empty()) continue;
        std::string tasks;
        for (const int64_t task : job.unstarted) tasks += (tasks.empty() ? "" : ",") + std::to_string(task);
        boost::json::object entry = record(id, job);
        entry["array_job_id"] = id;
        entry["array_task_string"] = tasks + job.throttle;
        list.push_back(std::move(entry));
        continue;
      }
      list.push_back(record(id, job));
    }
    return boost::json::serialize(boost::json::object{{"meta", boost::json::object{}},
                                                      {"errors", boost::json::array{}},
                                                      {"jobs", list}});
  }
};

}  // namespace live2::testing
