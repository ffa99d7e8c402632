// Loads Settings the way every `live2` subcommand does: the process environment over `.env` in the working directory
// (the real environment wins), then command-line overrides. Prints the problems and exits 2 on invalid settings.
#pragma once

#include <map>
#include <string>

#include "base/environment.h"
#include "core/settings.h"

namespace live2::app {

Environment environment_with_dotenv();
// `overrides` are settings names (LIVE2_DATA_DIR, ...) given on the command line; empty values are ignored.
Settings load_settings(const Environment& overrides = {});

}  // namespace live2::app
