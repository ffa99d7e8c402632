// Environment: environment variables as a map, the one way live2 reads them (the AWS credential chain and endpoint
// overrides, the worker contract), so tests pass their own instead of calling setenv.
// process_environment() copies this process's variables; thread-safe as long as nobody calls setenv concurrently.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace live2 {

using Environment = std::map<std::string, std::string, std::less<>>;

Environment process_environment();

// The variable's value, or nullopt when it is not set.
std::optional<std::string> environment_value(const Environment& environment, std::string_view name);

}  // namespace live2
