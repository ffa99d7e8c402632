// The API's contract, docs/openapi.yaml, as compact JSON compiled into the binary (the build converts it with
// openapi_to_cpp.py), for GET /api/v1/openapi.json. Static storage; thread-safe.
#pragma once

#include <string_view>

namespace live2::api {

std::string_view openapi_json();

}  // namespace live2::api
