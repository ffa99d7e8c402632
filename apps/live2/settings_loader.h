// Loads Settings the way every `live2` subcommand does: the process environment over `.env` in the working directory
// (the real environment wins), then command-line overrides. Prints the problems and exits 2 on invalid settings.
#pragma once

#include <map>
#include <string>

#include "core/settings.h"

namespace live2::app {

std::map<std::string, std::string> environment_with_dotenv();
// `overrides` are settings names (LIVE2_DATA_DIR, ...) given on the command line; empty values are ignored.
Settings load_settings(const std::map<std::string, std::string>& overrides = {});

}  // namespace live2::app
