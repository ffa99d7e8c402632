// CloudWatch Logs over the JSON 1.1 protocol (target prefix Logs_20140328). LogsApi is what the Batch executor
// needs: the tail of a job's log stream (GetLogEvents). LogsClient, the real one on an AwsClient for "logs", also
// manages a log group for `live2 infra`: DescribeLogGroups, CreateLogGroup and PutRetentionPolicy. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/aws_client.h"
#include "base/result.h"

namespace live2::aws {

inline constexpr const char* kDefaultBatchLogGroup = "/aws/batch/job";

// The retentionInDays values CloudWatch Logs accepts (PutRetentionPolicy's `Days` in the API reference: 1 day to
// 10 years); any other value is refused by the service with InvalidParameterException.
bool is_allowed_log_retention(int days);
std::string allowed_log_retention_list();  // "1, 3, 5, ..., 3653", for messages

struct LogGroupState {
  std::string name;
  std::optional<int> retention_days;  // none: the events never expire (DescribeLogGroups leaves retentionInDays out)
};

class LogsApi {
 public:
  virtual ~LogsApi() = default;
  // The newest `limit` messages of the stream, oldest first.
  virtual Result<std::vector<std::string>> tail_log_events(const std::string& log_group, const std::string& log_stream,
                                                           int limit) = 0;
};

class LogsClient final : public LogsApi {
 public:
  explicit LogsClient(AwsClient& aws) : aws_(aws) {}
  Result<std::vector<std::string>> tail_log_events(const std::string& log_group, const std::string& log_stream,
                                                   int limit) override;

  // The group named exactly `name` (DescribeLogGroups by prefix, every page), or none when it does not exist.
  Result<std::optional<LogGroupState>> describe_log_group(const std::string& name);
  Status create_log_group(const std::string& name);
  // A value outside allowed_log_retention_days() is refused here (invalid_input) and nothing is sent.
  Status put_retention_policy(const std::string& name, int retention_days);

 private:
  AwsClient& aws_;
};

}  // namespace live2::aws
