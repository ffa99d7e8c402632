// Where a service's requests go, resolved as the AWS SDKs do: AWS_ENDPOINT_URL_<SERVICE> (service id upper-cased,
// spaces to underscores: S3, BATCH, CLOUDWATCH_LOGS), then AWS_ENDPOINT_URL, then https://<prefix>.<region>.amazonaws.com.
// An overridden endpoint means an emulator or an S3-compatible store: S3 then uses path-style addressing.
#pragma once

#include <string>

#include "aws/credentials.h"

namespace live2::aws {

struct ServiceEndpoint {
  std::string url;  // scheme://host[:port], no trailing slash
  bool overridden = false;
};

// `service_id` as in the SDKs' endpoint variables ("S3", "Batch", "CloudWatch Logs"); `endpoint_prefix` the
// host's first label ("s3", "batch", "logs").
ServiceEndpoint resolve_endpoint(const std::string& service_id, const std::string& endpoint_prefix,
                                 const std::string& region, const Environment& environment);

}  // namespace live2::aws
