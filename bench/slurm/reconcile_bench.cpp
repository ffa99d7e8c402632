// live2-bench-slurm-reconcile: what one reconcile cycle of the SlurmExecutor costs with many jobs in Slurm's queue,
// against the one `squeue --json` call each cycle makes, measured in the same run. Hands `--jobs` live2 jobs to the
// cluster SLURM_CONF names, or with `--array` one dataset of that many runs as a job array (and its held combine
// job); their worker is a stand-in that only sleeps, and each takes the whole node, so one runs and the rest wait.
// Then `--rounds` times, interleaved: one raw `squeue --json` (the reference) and one cycle.
// Prints one JSON object: Slurm commands per cycle, the best and median wall time of each, their ratio (a cycle's
// cost past the squeue it needs), this process's CPU per cycle (parsing, matching, the store) and the commands' CPU.
// Best-of and median because the machine is shared: a slower round measures the neighbours.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "artifacts/local_artifact_store.h"
#include "core/ids.h"
#include "exec/command_runners.h"
#include "exec/slurm_executor.h"
#include "store/sqlite_stores.h"

namespace {

using WallClock = std::chrono::steady_clock;

double cpu_seconds(int who) {
  rusage usage{};
  ::getrusage(who, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double ms_since(WallClock::time_point start) {
  return std::chrono::duration<double, std::milli>(WallClock::now() - start).count();
}

int64_t total_calls(const live2::SlurmCommands& slurm) {
  int64_t total = 0;
  for (const auto& [name, count] : slurm.calls()) total += count;
  return total;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace live2;
  CLI::App app{"SlurmExecutor reconcile cost with many queued jobs", "live2-bench-slurm-reconcile"};
  std::string work;
  std::string worker;
  int jobs = 1000;
  int rounds = 20;
  int cpus_per_task = 2;
  bool array = false;
  app.add_option("--work", work, "directory for the SQLite file and the job directories")->required();
  app.add_option("--worker", worker, "stand-in worker (sleeps)")->required();
  app.add_option("--jobs", jobs, "live2 jobs handed to Slurm")->check(CLI::Range(1, 100'000));
  app.add_option("--rounds", rounds, "measured rounds (one squeue and one cycle each)")->check(CLI::Range(1, 10'000));
  app.add_flag("--array", array, "one dataset of --jobs runs, submitted as a job array");
  app.add_option("--cpus-per-task", cpus_per_task, "CPUs each job asks for (the node's count: one runs at a time)");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);  // not a line per submission

  SystemClock clock;
  OsRandomSource random;
  auto stores = SqliteStores::open(std::filesystem::path(work) / "live2.db", clock);
  if (!stores.ok()) {
    std::fprintf(stderr, "cannot open the store: %s\n", stores.error().message.c_str());
    return 1;
  }
  JobStore& store = (*stores)->jobs();
  LocalArtifactStore artifacts(std::filesystem::path(work) / "shared", "bench", "http://127.0.0.1:9", "secret", clock);
  LocalCommandRunner runner;
  SlurmCommands slurm(runner);
  SlurmExecutorOptions options;
  options.worker_binary = worker;
  options.sizing.cpus_per_task = cpus_per_task;
  options.max_submits_per_cycle = 200;
  SlurmExecutor executor(store, (*stores)->jobs(), artifacts, slurm, clock, options);

  for (int i = 0; i < (array ? 1 : jobs); ++i) {
    Job job;
    job.job_id = new_job_id(clock.now_ms(), random);
    job.user_id = "usr_bench";
    job.job_type = array ? "generate_dataset" : "run_simulation";
    job.params_json = "{}";
    job.created_at_ms = clock.now_ms();
    job.request_fingerprint = job.job_id;
    if (!array) {
      if (!store.create_job(job, JobQuota{}, clock.now_ms()).ok()) return 1;
      continue;
    }
    job.runs.total = job.runs.queued = jobs;
    std::vector<Run> runs(static_cast<size_t>(jobs));
    for (int index = 0; index < jobs; ++index) {
      runs[index].job_id = job.job_id;
      runs[index].index = index;
      runs[index].params_json = "{}";
      runs[index].sweep_json = "{}";
    }
    if (!(*stores)->jobs().create_dataset(job, runs, JobQuota{}, clock.now_ms()).ok()) return 1;
  }
  const WallClock::time_point submit_start = WallClock::now();
  while (true) {
    executor.run_cycle();
    auto waiting = store.list_jobs_awaiting_executor(1);
    if (!waiting.ok() || waiting->empty()) break;
  }
  const double submit_s = ms_since(submit_start) / 1000;
  if (!executor.readiness().ok()) {
    std::fprintf(stderr, "the cluster refused: %s\n", executor.readiness().error().message.c_str());
    return 1;
  }
  const Result<CommandOutput> queue_text = runner.run({"squeue", "--json"});
  const size_t squeue_bytes = queue_text.ok() ? queue_text->stdout_text.size() : 0;
  executor.run_cycle();  // warm: the first cycle after the submissions settles their states

  std::vector<double> squeue_ms;
  std::vector<double> cycle_ms;
  double cycle_self_s = 0;
  double cycle_children_s = 0;
  const int64_t calls_before = total_calls(slurm);
  for (int i = 0; i < rounds; ++i) {
    WallClock::time_point start = WallClock::now();
    if (!runner.run({"squeue", "--json"}).ok()) return 1;
    squeue_ms.push_back(ms_since(start));

    const double self_before = cpu_seconds(RUSAGE_SELF);
    const double children_before = cpu_seconds(RUSAGE_CHILDREN);
    start = WallClock::now();
    executor.run_cycle();
    cycle_ms.push_back(ms_since(start));
    cycle_self_s += cpu_seconds(RUSAGE_SELF) - self_before;
    cycle_children_s += cpu_seconds(RUSAGE_CHILDREN) - children_before;
  }
  const double calls_per_cycle = static_cast<double>(total_calls(slurm) - calls_before) / rounds;
  const double best_squeue = *std::min_element(squeue_ms.begin(), squeue_ms.end());
  const double best_cycle = *std::min_element(cycle_ms.begin(), cycle_ms.end());
  std::printf(
      "{\"mode\":\"%s\",\"jobs\":%d,\"rounds\":%d,\"submit_seconds\":%.1f,\"squeue_json_bytes\":%zu,\"calls_per_cycle\":%.2f,"
      "\"squeue_ms_best\":%.1f,\"squeue_ms_median\":%.1f,\"cycle_ms_best\":%.1f,\"cycle_ms_median\":%.1f,"
      "\"cycle_over_squeue_best\":%.2f,\"cycle_over_squeue_median\":%.2f,"
      "\"server_cpu_ms_per_cycle\":%.1f,\"commands_cpu_ms_per_cycle\":%.1f}\n",
      array ? "array_tasks" : "jobs", jobs, rounds, submit_s, squeue_bytes, calls_per_cycle, best_squeue, median(squeue_ms), best_cycle,
      median(cycle_ms), best_cycle / best_squeue, median(cycle_ms) / median(squeue_ms),
      1000 * cycle_self_s / rounds, 1000 * cycle_children_s / rounds);
  return calls_per_cycle == 1.0 ? 0 : 2;  // the design's promise: one squeue per cycle, however many jobs
}
