// The three request shapes AWS services use besides S3's REST-XML, on top of an AwsClient:
// - query (IAM, STS, EC2): form-encoded POST of Action, Version and parameters; XML answer.
// - JSON 1.1 (ECR, CloudWatch Logs): POST / with X-Amz-Target "<prefix>.<Operation>"; JSON answer.
// - REST-JSON (Batch): POST of a JSON body to an operation path such as /v1/describejobqueues; JSON answer.
// Each returns the 2xx answer's body; errors and retries are the AwsClient's. Thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "aws/aws_client.h"

namespace live2::aws {

// The body of a query-protocol request as botocore writes it (Python's urlencode): parameters in the given order,
// RFC 3986 unreserved characters kept, a space as '+', everything else %XX. AWS accepts '%20' too, but emulators
// (moto, LocalStack) decode the form and re-encode it with '+' before checking the signature.
std::string form_encoded(const QueryParameters& parameters);

// Returns the XML text of the answer.
Result<std::string> call_query(AwsClient& client, const std::string& action, const std::string& version,
                               const QueryParameters& parameters, bool idempotent = true);

Result<boost::json::value> call_json(AwsClient& client, const std::string& target_prefix,
                                     const std::string& operation, const boost::json::value& body,
                                     bool idempotent = true);

// `priority` lets status reads overtake submissions in the service's rate limiter.
Result<boost::json::value> call_rest_json(AwsClient& client, const std::string& path, const boost::json::value& body,
                                          bool idempotent = true,
                                          CallPriority priority = CallPriority::status_read);

}  // namespace live2::aws
