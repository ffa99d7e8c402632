#include "settings_loader.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "aws/credentials.h"

extern char** environ;

namespace live2::app {

std::map<std::string, std::string> environment_with_dotenv() {
  std::map<std::string, std::string> variables;
  if (std::ifstream dotenv(".env"); dotenv) {
    std::stringstream text;
    text << dotenv.rdbuf();
    variables = parse_dotenv(text.str());
  }
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view line(*entry);
    const auto equals = line.find('=');
    if (equals != std::string_view::npos) {
      variables[std::string(line.substr(0, equals))] = std::string(line.substr(equals + 1));
    }
  }
  return variables;
}

Settings load_settings(const std::map<std::string, std::string>& overrides) {
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
