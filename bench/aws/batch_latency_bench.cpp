// live2-bench-batch-latency: how long after AWS Batch changes a job's status the job store (what the API serves)
// shows it, with the BatchExecutor's default intervals. Runs against a Batch endpoint (AWS_ENDPOINT_URL_BATCH,
// normally tests/fakes/fake_batch.py started by bench/aws/batch_latency.sh), submits jobs whose workers sleep for
// different times, watches Batch directly (DescribeJobs every 20 ms) and the store (every 20 ms), and prints each
// observed status change's delay and a summary as JSON lines.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <thread>

#include "batch_bench.h"

int main(int argc, char** argv) {
  using namespace live2;
  CLI::App app{"Batch status change -> job store latency", "live2-bench-batch-latency"};
  std::string database;
  int jobs = 4;
  app.add_option("--database", database, "SQLite file to create")->required();
  app.add_option("--jobs", jobs, "Jobs to submit (job i's worker sleeps 3 + 6 i seconds)");
  CLI11_PARSE(app, argc, argv);

  const std::unique_ptr<bench::BatchBench> batch_bench = bench::BatchBench::open(database);
  if (!batch_bench) return 1;
  const Clock& clock = batch_bench->clock();
  SqliteJobStore& store = batch_bench->store();
  aws::BatchClient& batch = batch_bench->batch();
  BatchExecutor& executor = batch_bench->executor();

  for (int i = 0; i < jobs; ++i) {
    const Job job = batch_bench->new_job("run_simulation", "{\"sleep\":" + std::to_string(3 + 6 * i) + "}");
    if (!store.create_job(job, {}, clock.now_ms()).ok()) return 1;
  }
  executor.start();

  std::map<std::string, std::string> batch_status;    // Batch id -> last status seen in Batch
  std::map<std::string, int64_t> batch_changed_ms;     // Batch id -> when Batch showed it
  std::vector<int64_t> delays_ms;
  const int64_t deadline_ms = clock.now_ms() + 10 * 60'000;
  while (clock.now_ms() < deadline_ms) {
    auto unfinished = store.list_unfinished_jobs();
    JobFilter every_job;
    every_job.limit = 1000;
    std::vector<Job> all = store.list_jobs(every_job).value();
    std::vector<std::string> ids;
    for (const Job& job : all) {
      if (!job.executor.external_id.empty()) ids.push_back(job.executor.external_id);
    }
    if (!ids.empty()) {
      auto described = batch.describe_jobs(ids);
      if (described.ok()) {
        for (const aws::BatchJob& batch_job : *described) {
          std::string& last = batch_status[batch_job.job_id];
          if (last != batch_job.status) {
            // The first status seen is no change: only later ones are timed.
            if (!last.empty()) batch_changed_ms[batch_job.job_id] = clock.now_ms();
            last = batch_job.status;
          }
        }
      }
    }
    for (const Job& job : all) {
      const auto seen = batch_changed_ms.find(job.executor.external_id);
      if (seen != batch_changed_ms.end() && job.executor.external_status == batch_status[job.executor.external_id]) {
        const int64_t delay_ms = clock.now_ms() - seen->second;
        std::printf("{\"job\":\"%s\",\"status\":\"%s\",\"delay_ms\":%lld}\n", job.job_id.c_str(),
                    job.executor.external_status.c_str(), static_cast<long long>(delay_ms));
        delays_ms.push_back(delay_ms);
        batch_changed_ms.erase(seen);
      }
    }
    if (unfinished.ok() && unfinished->empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  executor.stop();
  std::sort(delays_ms.begin(), delays_ms.end());
  if (delays_ms.empty()) return 1;
  std::printf("{\"changes\":%zu,\"median_ms\":%lld,\"max_ms\":%lld}\n", delays_ms.size(),
              static_cast<long long>(delays_ms[delays_ms.size() / 2]), static_cast<long long>(delays_ms.back()));
  return 0;
}
