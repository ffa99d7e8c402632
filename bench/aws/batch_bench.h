// What both AWS Batch benches (batch_latency_bench.cpp, dataset_describe_bench.cpp) measure: a BatchExecutor with its
// default options over a job store in a new SQLite file, talking to the Batch, CloudWatch Logs and S3 behind the
// process's AWS_ENDPOINT_URL* variables (the benches' scripts start tests/fakes/fake_batch.py) in eu-central-1, with
// artifacts under s3://live2-test/bench/; and the jobs they submit to it. Owns the clock, the stores, the AWS clients
// and the executor. Not thread safe (the executor's own thread aside).
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "artifacts/s3_artifact_store.h"
#include "aws/aws_session.h"
#include "aws/batch_client.h"
#include "aws/logs_client.h"
#include "base/clock.h"
#include "base/environment.h"
#include "base/random_source.h"
#include "core/ids.h"
#include "core/job.h"
#include "exec/batch_executor.h"
#include "store/sqlite_stores.h"

namespace live2::bench {

class BatchBench {
 public:
  // nullptr when the database cannot be opened.
  static std::unique_ptr<BatchBench> open(const std::string& database) {
    std::unique_ptr<SystemClock> clock = std::make_unique<SystemClock>();
    Result<std::unique_ptr<SqliteStores>> stores = SqliteStores::open(database, *clock);
    if (!stores.ok()) return nullptr;
    return std::unique_ptr<BatchBench>(new BatchBench(std::move(clock), std::move(*stores)));
  }

  const Clock& clock() const { return *clock_; }
  SqliteJobStore& store() { return stores_->jobs(); }
  aws::BatchClient& batch() { return batch_; }
  BatchExecutor& executor() { return executor_; }

  // A job of user usr_bench with a new id, created now; not yet in the store.
  Job new_job(std::string job_type, std::string params_json) {
    Job job;
    job.job_id = new_job_id(clock_->now_ms(), random_);
    job.user_id = "usr_bench";
    job.job_type = std::move(job_type);
    job.params_json = std::move(params_json);
    job.created_at_ms = clock_->now_ms();
    job.request_fingerprint = job.job_id;
    return job;
  }

 private:
  BatchBench(std::unique_ptr<SystemClock> clock, std::unique_ptr<SqliteStores> stores)
      : clock_(std::move(clock)),
        stores_(std::move(stores)),
        session_(process_environment(), "eu-central-1"),
        batch_(session_.client(aws::batch_service())),
        logs_(session_.client(aws::logs_service())),
        artifacts_(session_.s3(), "live2-test", "bench"),
        executor_(stores_->jobs(), stores_->jobs(), batch_, logs_, artifacts_, session_.s3(), *clock_,
                  BatchExecutorOptions{}) {}

  std::unique_ptr<SystemClock> clock_;  // first: the stores and the executor keep a reference
  OsRandomSource random_;
  std::unique_ptr<SqliteStores> stores_;
  aws::AwsSession session_;
  aws::BatchClient batch_;
  aws::LogsClient logs_;
  S3ArtifactStore artifacts_;
  BatchExecutor executor_;  // last: stopped and destroyed before what it uses
};

}  // namespace live2::bench
