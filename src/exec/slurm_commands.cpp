#include "exec/slurm_commands.h"

#include <sstream>

namespace live2 {
namespace {

// `scontrol show ... --oneliner`: one record a line, as KEY=VALUE words.
std::vector<std::map<std::string, std::string>> oneliner_records(const std::string& text) {
  std::vector<std::map<std::string, std::string>> records;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::map<std::string, std::string> fields;
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      const size_t equals = word.find('=');
      if (equals != std::string::npos) fields[word.substr(0, equals)] = word.substr(equals + 1);
    }
    if (!fields.empty()) records.push_back(std::move(fields));
  }
  return records;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

bool sbatch_refused(const Error& error) {
  if (error.code != ErrorCode::service_error || error.provider_code != "sbatch") return false;
  // Slurm's verdicts on the request itself (slurm_errno.c). Anything else (an unreachable controller, munge, a
  // limit on queued jobs) is a passing condition: the job stays queued and is submitted again later.
  static constexpr std::string_view kRefusals[] = {
      "Invalid partition name",       "Invalid account",
      "Invalid qos",                  "Invalid wckey",
      "Requested time limit is invalid", "Requested node configuration is not available",
      "More processors requested than permitted", "Node count specification invalid",
      "Access/permission denied",     "User's group not permitted to use this partition",
      "Invalid generic resource",     "Job's account not permitted to use this partition",
      "Job's QOS not permitted to use this partition"};
  for (std::string_view refusal : kRefusals) {
    if (error.message.find(refusal) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> SlurmCommands::sbatch_argv(const SbatchRequest& request) {
  std::vector<std::string> argv{"sbatch",
                                "--parsable",
                                "--job-name=" + request.job_name,
                                "--chdir=" + request.working_directory,
                                "--output=" + request.output_path,
                                "--open-mode=append",
                                // The runner's environment, which holds no secrets (command_runners.h); the script
                                // sets what the worker needs. (--export=NONE would run the user's login shell on the
                                // node first: seconds per job.)
                                "--export=ALL",
                                "--requeue",
                                "--nodes=1",
                                "--ntasks=1",
                                "--cpus-per-task=" + std::to_string(request.cpus_per_task)};
  if (!request.partition.empty()) argv.push_back("--partition=" + request.partition);
  if (!request.account.empty()) argv.push_back("--account=" + request.account);
  if (!request.qos.empty()) argv.push_back("--qos=" + request.qos);
  if (request.memory_mib > 0) argv.push_back("--mem=" + std::to_string(request.memory_mib) + "M");
  if (request.time_limit_minutes > 0) argv.push_back("--time=" + std::to_string(request.time_limit_minutes));
  if (request.signal_grace_s > 0) argv.push_back("--signal=B:TERM@" + std::to_string(request.signal_grace_s));
  if (!request.array.empty()) argv.push_back("--array=" + request.array);
  if (!request.dependency.empty()) argv.push_back("--dependency=" + request.dependency);
  if (request.hold) argv.push_back("--hold");
  argv.push_back(request.script_path);
  return argv;
}

Result<CommandOutput> SlurmCommands::call(const std::string& operation, const std::vector<std::string>& argv) {
  {
    std::lock_guard lock(mutex_);
    ++calls_[operation];
  }
  Result<CommandOutput> output = runner_.run(argv);
  if (!output.ok()) return output.error();
  if (output->exit_code != 0) {
    // Slurm's commands say why on stderr, some (scontrol show) on stdout.
    std::string message = trimmed(output->stderr_text);
    if (message.empty()) message = trimmed(output->stdout_text).substr(0, 1000);
    if (message.empty()) message = argv.front() + " exited with code " + std::to_string(output->exit_code);
    return Error::from_service(argv.front(), message);
  }
  return output;
}

Result<std::string> SlurmCommands::submit(const SbatchRequest& request) {
  Result<CommandOutput> output = call("sbatch", sbatch_argv(request));
  if (!output.ok()) return output.error();
  // --parsable prints "id" or "id;cluster".
  std::string id = trimmed(output->stdout_text);
  id = id.substr(0, id.find(';'));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    return Error::make(ErrorCode::invalid_response, "sbatch printed no job id: \"" + trimmed(output->stdout_text) + "\"");
  }
  return id;
}

Result<std::vector<SlurmJob>> SlurmCommands::queue() {
  Result<CommandOutput> output = call("squeue", {"squeue", "--json", "--me"});
  if (!output.ok()) return output.error();
  return parse_squeue_json(output->stdout_text);
}

Status SlurmCommands::signal(const std::string& slurm_job_id, std::string_view signal_name) {
  Result<CommandOutput> output =
      call("scancel", {"scancel", "--full", "--signal=" + std::string(signal_name), slurm_job_id});
  if (!output.ok()) return output.error();
  return Status::success();
}

Status SlurmCommands::cancel(const std::string& slurm_job_id) {
  Result<CommandOutput> output = call("scancel", {"scancel", slurm_job_id});
  if (!output.ok()) return output.error();
  return Status::success();
}

Status SlurmCommands::requeue(const std::string& slurm_job_id) {
  Result<CommandOutput> output = call("scontrol", {"scontrol", "requeue", slurm_job_id});
  if (!output.ok()) return output.error();
  return Status::success();
}

Status SlurmCommands::release(const std::string& slurm_job_id) {
  Result<CommandOutput> output = call("scontrol", {"scontrol", "release", slurm_job_id});
  if (!output.ok()) return output.error();
  return Status::success();
}

Result<int64_t> SlurmCommands::max_array_size() {
  Result<CommandOutput> output = call("scontrol", {"scontrol", "show", "config"});
  if (!output.ok()) return output.error();
  // "MaxArraySize            = 1001"
  std::istringstream lines(output->stdout_text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("MaxArraySize")) continue;
    const size_t equals = line.find('=');
    const int64_t size = equals == std::string::npos ? 0 : std::strtoll(line.c_str() + equals + 1, nullptr, 10);
    if (size < 1) return Error::make(ErrorCode::invalid_response, "scontrol show config: " + trimmed(line));
    return size;
  }
  return kDefaultMaxArraySize;
}

Result<std::vector<std::map<std::string, std::string>>> SlurmCommands::nodes() {
  Result<CommandOutput> output = call("scontrol", {"scontrol", "show", "node", "--oneliner"});
  if (!output.ok()) return output.error();
  return oneliner_records(output->stdout_text);
}

Result<std::map<std::string, std::string>> SlurmCommands::partition(const std::string& name) {
  std::vector<std::string> argv{"scontrol", "show", "partition", "--oneliner"};
  if (!name.empty()) argv.push_back(name);
  Result<CommandOutput> output = call("scontrol", argv);
  if (!output.ok()) return output.error();
  for (std::map<std::string, std::string>& fields : oneliner_records(output->stdout_text)) {
    if (name.empty() ? fields["Default"] == "YES" : fields["PartitionName"] == name) return std::move(fields);
  }
  return Error::make(ErrorCode::not_found, name.empty() ? "the cluster has no default partition"
                                                        : "no partition " + name);
}

std::vector<std::pair<std::string, int64_t>> SlurmCommands::calls() const {
  std::lock_guard lock(mutex_);
  return {calls_.begin(), calls_.end()};
}

}  // namespace live2
