// LogsApi: CloudWatch Logs GetLogEvents (JSON 1.1 protocol, target Logs_20140328.GetLogEvents), enough to show
// the tail of a Batch job's log stream. LogsClient is the real one on an AwsClient for "logs". Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "aws/aws_client.h"
#include "base/result.h"

namespace live2::aws {

inline constexpr const char* kDefaultBatchLogGroup = "/aws/batch/job";

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

 private:
  AwsClient& aws_;
};

}  // namespace live2::aws
