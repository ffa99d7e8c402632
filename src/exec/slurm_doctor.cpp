#include "exec/slurm_doctor.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "exec/command_runners.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;

SlurmCheck passed(std::string id, std::string title, std::string observed) {
  return {std::move(id), std::move(title), true, false, std::move(observed), {}};
}

SlurmCheck failed(std::string id, std::string title, std::string observed, std::string fix) {
  return {std::move(id), std::move(title), false, false, std::move(observed), std::move(fix)};
}

std::string field(const std::map<std::string, std::string>& fields, const std::string& name) {
  const auto found = fields.find(name);
  return found == fields.end() ? std::string("?") : found->second;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The write test: a job on a node writes a file into the shared directory; the server must see it.
SlurmCheck check_shared_directory(SlurmCommands& slurm, const SlurmDoctorInputs& inputs) {
  const std::string id = "slurm.shared_directory";
  const std::string title = "The shared directory is writable by the server and by jobs on the nodes";
  const fs::path directory = inputs.shared_directory / ".live2-doctor";
  std::error_code error;
  fs::create_directories(directory, error);
  const std::string token = std::to_string(std::random_device{}()) + std::to_string(std::random_device{}());
  const fs::path script = directory / ("probe-" + token + ".sh");
  const fs::path written = directory / ("probe-" + token + ".written");
  {
    std::ofstream out(script);
    out << "#!/bin/sh\necho \"$(hostname)\" > " << shell_quoted(written.string()) << "\n";
    if (error || !out) {
      return failed(id, title, "the server cannot write " + script.string(),
                    "create " + inputs.shared_directory.string() + " writable by the account live2 runs as "
                    "(LIVE2_SLURM_SHARED_DIR)");
    }
  }
  SbatchRequest request;
  request.job_name = "live2-doctor";
  request.script_path = script.string();
  request.working_directory = directory.string();
  request.output_path = (directory / ("probe-" + token + ".out")).string();
  request.partition = inputs.partition;
  request.account = inputs.account;
  request.qos = inputs.qos;
  request.time_limit_minutes = 1;
  request.cpus_per_task = 1;
  Result<std::string> submitted = slurm.submit(request);
  const auto clean_up = [&] {
    for (const fs::path& file : {script, written, fs::path(request.output_path)}) fs::remove(file, error);
  };
  if (!submitted.ok()) {
    clean_up();
    return failed(id, title, "sbatch: " + submitted.error().message, "see sbatch's message; check the partition, account and QOS settings");
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(inputs.test_job_timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = read_text(written);
    if (!text.empty()) {
      clean_up();
      std::string node = text.substr(0, text.find('\n'));
      return passed(id, title, "test job " + *submitted + " on " + node + " wrote into " + directory.string());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  (void)slurm.cancel(*submitted);
  const std::string output = read_text(request.output_path);
  clean_up();
  return failed(id, title,
                "test job " + *submitted + " wrote nothing into " + directory.string() + " within " +
                    std::to_string(inputs.test_job_timeout_ms / 1000) + " s" + (output.empty() ? "" : ": " + output),
                "mount the directory at the same path on the nodes, writable by the account; if the queue is busy, "
                "run doctor again later");
}

// The largest RealMemory among the partition's nodes (a job needs one node that holds it), under the partition's
// MaxMemPerNode when it has one.
SlurmCheck check_memory(SlurmCommands& slurm, const SlurmDoctorInputs& inputs,
                        const std::map<std::string, std::string>& partition) {
  const std::string id = "slurm.memory";
  const std::string title = "Memory per job fits a node of the partition";
  const std::string name = field(partition, "PartitionName");
  Result<std::vector<std::map<std::string, std::string>>> nodes = slurm.nodes();
  if (!nodes.ok()) {
    return failed(id, title, "scontrol show node: " + nodes.error().message, "check that scontrol answers");
  }
  int64_t largest_mib = 0;
  std::string largest_node;
  for (const std::map<std::string, std::string>& node : *nodes) {
    std::istringstream partitions(field(node, "Partitions"));
    bool in_partition = false;
    for (std::string partition; std::getline(partitions, partition, ',');) in_partition = in_partition || partition == name;
    if (!in_partition) continue;
    const int64_t memory_mib = std::strtoll(field(node, "RealMemory").c_str(), nullptr, 10);
    if (memory_mib > largest_mib) {
      largest_mib = memory_mib;
      largest_node = field(node, "NodeName");
    }
  }
  if (largest_node.empty()) {
    return failed(id, title, "scontrol show node lists no node of partition " + name,
                  "ask the administrators which nodes " + name + " has");
  }
  std::string nodes_text = "its largest node, " + largest_node + ", has RealMemory " + std::to_string(largest_mib) + " MiB";
  int64_t limit_mib = largest_mib;
  const std::string max_per_node = field(partition, "MaxMemPerNode");
  if (!max_per_node.empty() && std::isdigit(static_cast<unsigned char>(max_per_node.front())) != 0) {
    limit_mib = std::min<int64_t>(limit_mib, std::strtoll(max_per_node.c_str(), nullptr, 10));
    nodes_text += ", MaxMemPerNode " + max_per_node;
  }
  std::string too_much;
  std::string fixes;
  int64_t most_mib = 0;
  for (const SlurmMemoryAsk& ask : inputs.memory_asks) {
    most_mib = std::max(most_mib, ask.memory_mib);
    if (ask.memory_mib <= limit_mib) continue;
    too_much += (too_much.empty() ? "" : ", ") + ask.setting + "=" + std::to_string(ask.memory_mib);
    fixes += (fixes.empty() ? "" : "; ") + ("lower " + ask.setting + " to at most " + std::to_string(limit_mib));
  }
  if (!too_much.empty()) {
    return failed(id, title,
                  "jobs may ask for more memory than a node of " + name + " has (" + too_much + "); " + nodes_text +
                      ": sbatch refuses them (\"Memory specification can not be satisfied\")",
                  fixes + " (or use a partition with larger nodes)");
  }
  return passed(id, title, "at most " + std::to_string(most_mib) + " MiB per job; " + nodes_text);
}

}  // namespace

std::optional<int64_t> slurm_time_minutes(const std::string& text) {
  if (text == "UNLIMITED" || text == "INFINITE") return -1;
  int64_t days = 0;
  std::string rest = text;
  if (const size_t dash = rest.find('-'); dash != std::string::npos) {
    days = std::strtoll(rest.substr(0, dash).c_str(), nullptr, 10);
    rest = rest.substr(dash + 1);
  }
  std::vector<int64_t> parts;
  std::istringstream pieces(rest);
  for (std::string piece; std::getline(pieces, piece, ':');) {
    if (piece.empty() || piece.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    parts.push_back(std::stoll(piece));
  }
  if (parts.empty() || parts.size() > 3) return std::nullopt;
  if (parts.size() == 1) return days * 1440 + parts[0];  // minutes
  const int64_t hours = parts.size() == 3 ? parts[0] : 0;
  const int64_t minutes = parts.size() == 3 ? parts[1] : parts[0];
  return days * 1440 + hours * 60 + minutes;
}

std::vector<SlurmCheck> run_slurm_doctor(SlurmCommands& slurm, const SlurmDoctorInputs& inputs) {
  std::vector<SlurmCheck> checks;
  const std::string where = slurm.runner().where();
  Result<std::vector<SlurmJob>> queue = slurm.queue();
  if (!queue.ok()) {
    checks.push_back(failed("slurm.commands", "Slurm's commands answer (" + where + ")", queue.error().message,
                            "put sbatch, squeue, scancel and scontrol on the PATH (module load slurm), or set "
                            "LIVE2_SLURM_SSH_HOST and its key and known_hosts; check that slurmctld is reachable"));
    return checks;
  }
  checks.push_back(passed("slurm.commands", "Slurm's commands answer (" + where + ")",
                          "squeue --json lists " + std::to_string(queue->size()) + " jobs"));

  const std::string partition_title = "The partition exists and is up";
  Result<std::map<std::string, std::string>> partition = slurm.partition(inputs.partition);
  if (!partition.ok()) {
    checks.push_back(failed("slurm.partition", partition_title, partition.error().message,
                            "set LIVE2_SLURM_PARTITION to a partition `sinfo` lists"));
    return checks;
  }
  const std::map<std::string, std::string>& fields = *partition;
  const std::string name = field(fields, "PartitionName");
  if (field(fields, "State") != "UP") {
    checks.push_back(failed("slurm.partition", partition_title, name + " is " + field(fields, "State"),
                            "ask the administrators when " + name + " is up again, or use another partition"));
  } else {
    checks.push_back(passed("slurm.partition", partition_title, name + " is UP"));
  }

  const std::string time_title = "The time limit fits the partition";
  const std::optional<int64_t> max_minutes = slurm_time_minutes(field(fields, "MaxTime"));
  if (inputs.time_limit_minutes == 0) {
    checks.push_back(passed("slurm.time_limit", time_title,
                            "the partition's default (DefaultTime " + field(fields, "DefaultTime") + ", MaxTime " +
                                field(fields, "MaxTime") + ")"));
  } else if (max_minutes && *max_minutes >= 0 && inputs.time_limit_minutes > *max_minutes) {
    checks.push_back(failed("slurm.time_limit", time_title,
                            std::to_string(inputs.time_limit_minutes) + " minutes asked, MaxTime " +
                                field(fields, "MaxTime") + ": jobs would wait forever (PartitionTimeLimit)",
                            "lower LIVE2_SLURM_TIME_LIMIT_MINUTES to at most " + std::to_string(*max_minutes) +
                                " (long simulations checkpoint and requeue at the limit)"));
  } else {
    checks.push_back(passed("slurm.time_limit", time_title,
                            std::to_string(inputs.time_limit_minutes) + " minutes, MaxTime " + field(fields, "MaxTime")));
  }

  const std::string cpus_title = "CPUs per task fit a node of the partition";
  const int64_t total_cpus = std::strtoll(field(fields, "TotalCPUs").c_str(), nullptr, 10);
  const int64_t total_nodes = std::strtoll(field(fields, "TotalNodes").c_str(), nullptr, 10);
  const std::string max_per_node = field(fields, "MaxCPUsPerNode");
  const int64_t per_node = total_nodes > 0 ? total_cpus / total_nodes : 0;
  int64_t limit = per_node;
  if (max_per_node != "UNLIMITED" && max_per_node != "?") {
    limit = std::min<int64_t>(limit, std::strtoll(max_per_node.c_str(), nullptr, 10));
  }
  int most_cpus = 0;
  std::string too_many;
  std::string fixes;
  for (const SlurmCpuAsk& ask : inputs.cpu_asks) {
    most_cpus = std::max(most_cpus, ask.cpus);
    if (limit <= 0 || ask.cpus <= limit) continue;
    too_many += (too_many.empty() ? "" : ", ") + ask.setting + "=" + std::to_string(ask.cpus);
    fixes += (fixes.empty() ? "" : "; ") + ("lower " + ask.setting + " to at most " + std::to_string(limit));
  }
  const std::string nodes = "nodes have about " + std::to_string(per_node) + " (TotalCPUs " +
                            std::to_string(total_cpus) + " on " + std::to_string(total_nodes) +
                            " nodes, MaxCPUsPerNode " + max_per_node + ")";
  if (!too_many.empty()) {
    checks.push_back(failed("slurm.cpus", cpus_title,
                            "jobs may ask for more CPUs than a node has (" + too_many + "); " + nodes +
                                ": they would wait forever",
                            fixes));
  } else {
    checks.push_back(passed("slurm.cpus", cpus_title,
                            "at most " + std::to_string(most_cpus) + " CPUs per task; " + nodes));
  }

  checks.push_back(check_memory(slurm, inputs, fields));
  checks.push_back(check_shared_directory(slurm, inputs));
  return checks;
}

}  // namespace live2
