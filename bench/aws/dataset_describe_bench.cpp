// live2-bench-dataset-describes: what following a large dataset on AWS Batch costs in DescribeJobs. Submits one
// dataset of --runs runs (one array job) to the Batch behind AWS_ENDPOINT_URL (bench/aws/dataset_describe_calls.sh
// runs tests/fakes/fake_batch.py), drives the BatchExecutor's reconcile cycles by hand every --cycle-ms until every
// run has ended, and prints one JSON line per cycle: the runs still active (queued or running in the runs table) at
// its start, the DescribeJobs it sent for array children, and the bound ceil(active / 100). Exit 1 when a cycle
// sent more than its bound.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "batch_bench.h"
#include "core/run.h"

int main(int argc, char** argv) {
  using namespace live2;
  CLI::App app{"DescribeJobs per reconcile cycle for a dataset's array children", "live2-bench-dataset-describes"};
  std::string database;
  int runs = 1000;
  int cycle_ms = 500;
  app.add_option("--database", database, "SQLite file to create")->required();
  app.add_option("--runs", runs, "runs of the dataset (2..10,000)")->check(CLI::Range(2, 10'000));
  app.add_option("--cycle-ms", cycle_ms, "time between reconcile cycles")->check(CLI::Range(10, 60'000));
  CLI11_PARSE(app, argc, argv);

  const std::unique_ptr<bench::BatchBench> batch_bench = bench::BatchBench::open(database);
  if (!batch_bench) return 1;
  const Clock& clock = batch_bench->clock();
  SqliteJobStore& store = batch_bench->store();
  BatchExecutor& executor = batch_bench->executor();

  Job dataset = batch_bench->new_job(
      std::string(kDatasetJobType),
      R"({"simulation_config":{"mode":"open_chemistry"},"replicas":)" + std::to_string(runs) + "}");
  dataset.runs.total = dataset.runs.queued = runs;
  std::vector<Run> planned;
  for (int i = 0; i < runs; ++i) {
    Run run;
    run.job_id = dataset.job_id;
    run.index = i;
    run.params_json = R"({"simulation_config":{"mode":"open_chemistry"}})";
    run.sweep_json = "{}";
    planned.push_back(std::move(run));
  }
  if (!store.create_dataset(dataset, planned, JobQuota{}, clock.now_ms()).ok()) return 1;

  int64_t over_bound = 0;
  int64_t child_calls_total = 0;
  int64_t busiest = 0;
  const int64_t deadline_ms = clock.now_ms() + 10 * 60'000;
  for (int cycle = 1; clock.now_ms() < deadline_ms; ++cycle) {
    const Job before = store.get_job(dataset.job_id).value().value();
    const int64_t active = before.runs.queued + before.runs.running;
    if (active == 0) break;
    const int64_t calls_before = executor.counters().child_describe_calls;
    executor.run_cycle();
    const int64_t calls = executor.counters().child_describe_calls - calls_before;
    const int64_t bound = (active + 99) / 100;
    const Job after = store.get_job(dataset.job_id).value().value();
    std::printf("{\"cycle\":%d,\"active\":%lld,\"child_describe_calls\":%lld,\"bound\":%lld,"
                "\"queued\":%lld,\"running\":%lld,\"completed\":%lld,\"failed\":%lld}\n",
                cycle, static_cast<long long>(active), static_cast<long long>(calls), static_cast<long long>(bound),
                static_cast<long long>(after.runs.queued), static_cast<long long>(after.runs.running),
                static_cast<long long>(after.runs.completed), static_cast<long long>(after.runs.failed));
    std::fflush(stdout);
    if (calls > bound) ++over_bound;
    child_calls_total += calls;
    busiest = std::max(busiest, calls);
    std::this_thread::sleep_for(std::chrono::milliseconds(cycle_ms));
  }
  const BatchExecutorCounters counters = executor.counters();
  std::printf("{\"runs\":%d,\"cycles\":%lld,\"describe_calls\":%lld,\"child_describe_calls\":%lld,"
              "\"most_child_calls_in_a_cycle\":%lld,\"cycles_over_bound\":%lld}\n",
              runs, static_cast<long long>(counters.cycles), static_cast<long long>(counters.describe_calls),
              static_cast<long long>(child_calls_total), static_cast<long long>(busiest),
              static_cast<long long>(over_bound));
  const Job last = store.get_job(dataset.job_id).value().value();
  return over_bound == 0 && last.runs.queued + last.runs.running == 0 ? 0 : 1;
}
