// The process environment as the map the AWS layer reads (credentials chain, endpoint overrides). Thread-safe as
// long as nobody calls setenv concurrently.
#pragma once

#include "aws/credentials.h"

namespace live2::aws {

Environment process_environment();

}  // namespace live2::aws
