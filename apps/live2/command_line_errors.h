// Parse errors of the `live2` command line in words a user can act on: an unknown command or option is named, with
// the nearest known name at that point of the command line ("did you mean"), by edit distance. Other parse errors
// (a missing argument, a bad value) keep CLI11's message. Prints to stderr; returns the exit code (CLI11's codes,
// 100 and up, docs/client.md). Used once per process, from main.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace live2::app {

// `args` are the command-line arguments without the program name.
int report_parse_error(CLI::App& app, const CLI::ParseError& error, const std::vector<std::string>& args);

// The candidate closest to `word` by edit distance, when it is close enough to be a plausible typo (at most a third
// of the word's length, and at least 1 edit allowed); empty otherwise.
std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace live2::app
