// BatchApi: the AWS Batch operations live2 uses (REST-JSON, field names from botocore's batch/2016-08-10 model).
// BatchClient is the real one on an AwsClient for "batch"; executor tests use a fake. SubmitJob is sent as a
// non-idempotent call (the AwsClient retries it only when Batch certainly did not run it); the caller looks the job
// up by name before submitting again. DescribeJobs takes at most 100 ids per call. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "aws/aws_client.h"
#include "aws/fargate_sizes.h"
#include "base/result.h"

namespace live2::aws {

inline constexpr size_t kMaxDescribeJobIds = 100;

struct BatchSubmitRequest {
  std::string job_name;
  std::string job_queue;
  std::string job_definition;
  std::vector<std::pair<std::string, std::string>> environment;  // containerOverrides.environment
  std::optional<FargateSize> resources;  // containerOverrides.resourceRequirements; unset: the job definition's
  std::map<std::string, std::string> tags;
  bool propagate_tags = true;
};

struct BatchSubmitted {
  std::string job_id;
  std::string job_arn;
};

struct BatchAttempt {
  std::optional<int> exit_code;
  std::string container_reason;
  std::string status_reason;  // "Your Spot Task was interrupted." / "Host EC2 (instance ...) terminated."
  std::string log_stream;
  std::optional<int64_t> started_at_ms{};  // the attempt's startedAt / stoppedAt (what Fargate bills)
  std::optional<int64_t> stopped_at_ms{};
  std::string task_arn{};                // container.taskArn: its ECS cluster names the compute environment
};

struct BatchJob {
  std::string job_id;
  std::string job_arn;
  std::string job_name;
  std::string status;  // SUBMITTED PENDING RUNNABLE STARTING RUNNING SUCCEEDED FAILED
  std::string status_reason;
  int64_t created_at_ms = 0;
  std::vector<BatchAttempt> attempts;
  std::optional<int> exit_code;  // container.exitCode of the latest attempt
  std::string log_stream;        // container.logStreamName
  std::optional<int64_t> started_at_ms;  // startedAt: STARTING -> RUNNING (of the latest attempt when retried)
  std::optional<int64_t> stopped_at_ms;  // stoppedAt: the job left RUNNING for good
  std::string task_arn{};                // container.taskArn of the latest attempt
};

struct BatchJobSummary {
  std::string job_id;
  std::string job_name;
  std::string status;
  int64_t created_at_ms = 0;
};

class BatchApi {
 public:
  virtual ~BatchApi() = default;
  virtual Result<BatchSubmitted> submit_job(const BatchSubmitRequest& request) = 0;
  // Jobs Batch no longer knows are simply absent from the answer.
  virtual Result<std::vector<BatchJob>> describe_jobs(const std::vector<std::string>& job_ids) = 0;
  // Every job in the queue whose name matches (any status), newest first, over all pages.
  virtual Result<std::vector<BatchJobSummary>> list_jobs_by_name(const std::string& job_queue,
                                                                 const std::string& job_name) = 0;
  virtual Status cancel_job(const std::string& job_id, const std::string& reason) = 0;
  virtual Status terminate_job(const std::string& job_id, const std::string& reason) = 0;
};

class BatchClient final : public BatchApi {
 public:
  explicit BatchClient(AwsClient& aws) : aws_(aws) {}

  Result<BatchSubmitted> submit_job(const BatchSubmitRequest& request) override;
  Result<std::vector<BatchJob>> describe_jobs(const std::vector<std::string>& job_ids) override;
  Result<std::vector<BatchJobSummary>> list_jobs_by_name(const std::string& job_queue,
                                                         const std::string& job_name) override;
  Status cancel_job(const std::string& job_id, const std::string& reason) override;
  Status terminate_job(const std::string& job_id, const std::string& reason) override;

 private:
  AwsClient& aws_;
};

// Parses one DescribeJobs `jobs[]` element (public for tests against recorded answers).
BatchJob parse_batch_job(const boost::json::object& job);

}  // namespace live2::aws
