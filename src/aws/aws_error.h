// How a failed AWS call is described: the service's own error code and message (JSON or XML error shape), the
// request id and the HTTP status, plus which failures are worth retrying.
#pragma once

#include "aws/http_client.h"
#include "base/result.h"

namespace live2::aws {

// Reads the error out of a non-2xx response: JSON ({"__type": "...#Code", "message": ...} or the
// x-amzn-ErrorType header) or XML (<Error><Code/><Message/><RequestId/></Error>). A body-less answer (HEAD)
// gets a code from its status ("NotFound", "Forbidden", "HttpError<status>").
Error error_from_response(const HttpResponse& response);

bool is_throttling(const Error& error);

// Throttling, 5xx and transport failures are retryable. A non-idempotent call (SubmitJob) is retried only when
// the service certainly did not run it: throttled, or the connection never opened.
// RequestTimeout (S3: the request body was not read in time), RequestTimeoutException and PriorRequestNotComplete:
// the service did not run the request, so it is retried like throttling, for every call (botocore's transient codes).
bool is_transient(const Error& error);
// The service refused the credentials as expired (ExpiredToken, ExpiredTokenException): fetch fresh ones, send again.
bool is_expired_credentials(const Error& error);
// The service refused the signature's time (RequestTimeTooSkewed, RequestExpired, or a signature error saying
// "Signature expired" / "not yet current"): the local clock is off; sign again with the service's Date.
bool is_clock_skew(const Error& error);
bool is_retryable(const Error& error, bool idempotent);

}  // namespace live2::aws
