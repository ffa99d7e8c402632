// Access-denied answers, tagged with the IAM action the refused call needed, so `live2 doctor` can name the exact
// permission to grant (AWS's own messages name it for some services and not for others, S3's "Access Denied").
// Pure.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace live2::infra {

// True for the access-denied answers of every service live2 calls (AccessDenied, AccessDeniedException,
// UnauthorizedOperation, or HTTP 403).
bool is_access_denied(const Error& error);

// `error`, tagged with `action` ("s3:GetBucketLocation") when it is an access-denied answer; unchanged otherwise.
Error with_required_action(Error error, std::string_view action);

// The action a refused call needed, or "" when `error` carries none.
std::string required_action(const Error& error);

}  // namespace live2::infra
