// BatchApi: the AWS Batch operations live2 uses (REST-JSON, field names from botocore's batch/2016-08-10 model).
// BatchClient is the real one on an AwsClient for "batch"; executor tests use a fake. SubmitJob is sent as a
// non-idempotent call (the AwsClient retries it only when Batch certainly did not run it); the caller looks the job
// up by name before submitting again. DescribeJobs takes at most 100 ids per call.
// Array jobs: SubmitJob with an array size (2..10,000) makes a parent job whose children are the ids
// "<parent id>:<index>" (index 0..size-1, each container gets AWS_BATCH_JOB_ARRAY_INDEX); DescribeJobs on the parent
// reports the children's counts per status, on a child its index. A job that dependsOn others stays PENDING until
// they all succeeded, and fails when one of them failed (an array parent fails when any child failed). Thread-safe.
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
inline constexpr int kMinArraySize = 2;       // SubmitJob's arrayProperties.size bounds
inline constexpr int kMaxArraySize = 10'000;
inline constexpr size_t kMaxJobDependencies = 20;  // dependsOn entries per job

// The id of child `index` of the array job `parent_job_id`.
std::string array_child_id(const std::string& parent_job_id, int index);

struct BatchSubmitRequest {
  std::string job_name;
  std::string job_queue;
  std::string job_definition;
  std::vector<std::pair<std::string, std::string>> environment;  // containerOverrides.environment
  std::optional<FargateSize> resources;  // containerOverrides.resourceRequirements; unset: the job definition's
  std::map<std::string, std::string> tags;
  bool propagate_tags = true;
  std::optional<int> array_size{};          // arrayProperties.size: an array job of that many children
  std::vector<std::string> depends_on{};    // dependsOn: job ids (a plain dependency; an array job's id waits for
                                            // all its children)
  std::vector<std::string> command{};       // containerOverrides.command; empty: the image's (live2-sim `run`)
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
  // arrayProperties: size and statusSummary on an array parent, index on a child.
  std::optional<int> array_size{};
  std::map<std::string, int> array_status_summary{};  // status -> children in it ("SUCCEEDED" -> 998, ...)
  std::optional<int> array_index{};
  std::vector<std::string> depends_on{};  // dependsOn[].jobId
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
  // An array size outside 2..10,000 or more than 20 dependencies is refused (validation_failed) without a call.
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
