// The Content-Type a file is served or stored with, from its name's extension (case-insensitive): the worker's
// artifacts (results.h5, .json, .csv, .log, .png, ...) and the dashboard's files (.html, .js, .css, .woff2, ...).
// Unknown extensions are application/octet-stream. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace live2 {

std::string content_type_for(std::string_view file_name);

}  // namespace live2
