#include "settings_loader.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "aws/credentials.h"
#include "base/environment.h"

namespace live2::app {

Environment environment_with_dotenv() {
  Environment variables;
  if (std::ifstream dotenv(".env"); dotenv) {
    std::stringstream text;
    text << dotenv.rdbuf();
    variables = parse_dotenv(text.str());
  }
  for (auto& [name, value] : process_environment()) variables.insert_or_assign(name, std::move(value));
  return variables;
}

Settings load_settings(const Environment& overrides) {
  auto variables = environment_with_dotenv();
  for (const auto& [name, value] : overrides) {
    if (!value.empty()) variables[name] = value;
  }
  Result<Settings> settings = parse_settings(variables);
  if (!settings) {
    std::cerr << "live2: " << settings.error().message << "\n";
    for (const auto& problem : settings.error().details) {
      std::cerr << "  " << problem.field << ": " << problem.message << "\n";
    }
    throw CLI::RuntimeError(2);
  }
  // The region as the AWS SDKs find it; Batch cannot run without one, and a guessed one reads as "not found".
  if (settings->aws_region.empty()) {
    Result<std::string> region = aws::resolve_region(variables);
    if (region.ok()) {
      settings->aws_region = *region;
    } else if (settings->executor == "aws_batch") {
      std::cerr << "live2: " << region.error().message << "\n";
      throw CLI::RuntimeError(2);
    }
  }
  return std::move(settings).value();
}

}  // namespace live2::app
