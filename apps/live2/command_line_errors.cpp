#include "command_line_errors.h"

#include <algorithm>
#include <iostream>
#include <numeric>
#include <optional>

namespace live2::app {
namespace {

// Levenshtein distance: insertions, deletions and substitutions each cost 1.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substituted = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substituted});
    }
  }
  return row[b.size()];
}

std::string command_path(const CLI::App* app) {
  std::string path;
  for (; app != nullptr; app = app->get_parent()) path = app->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

std::vector<std::string> subcommand_names(CLI::App* app) {
  std::vector<std::string> names;
  for (CLI::App* sub : app->get_subcommands(std::function<bool(CLI::App*)>{})) names.push_back(sub->get_name());
  return names;
}

std::vector<std::string> option_names(CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app->get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

struct Unknown {
  std::string what;  // "command" or "option"
  std::string word;
  CLI::App* where = nullptr;
  std::vector<std::string> candidates;
};

// Walks the arguments the way the parser does: into each subcommand named, checking options against the ones of
// the command they follow. Finds the first unknown command (where a subcommand is required) or option.
std::optional<Unknown> find_unknown(CLI::App& app, const std::vector<std::string>& args) {
  CLI::App* current = &app;
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg.size() > 1 && arg[0] == '-' && !std::isdigit(static_cast<unsigned char>(arg[1]))) {
      const std::string name = arg.starts_with("--") ? arg.substr(0, arg.find('=')) : arg.substr(0, 2);
      if (current->get_option_no_throw(name) == nullptr) return Unknown{"option", name, current, option_names(current)};
      continue;
    }
    const std::vector<std::string> names = subcommand_names(current);
    if (std::find(names.begin(), names.end(), arg) != names.end()) {
      current = current->get_subcommand(arg);
    } else if (current->get_require_subcommand_min() > 0) {
      return Unknown{"command", arg, current, names};
    }
  }
  return std::nullopt;
}

}  // namespace

std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates) {
  const size_t allowed = std::max<size_t>(1, word.size() / 3);
  std::string best;
  size_t best_distance = allowed + 1;
  for (const std::string& candidate : candidates) {
    // A prefix is the likeliest intent ("--part" for "--particles"), whatever its distance.
    const size_t distance =
        candidate.starts_with(word) && word.size() >= 3 ? 0 : edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

int report_parse_error(CLI::App& app, const CLI::ParseError& error, const std::vector<std::string>& args) {
  const bool may_be_unknown = dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr ||
                              dynamic_cast<const CLI::RequiredError*>(&error) != nullptr;
  const std::optional<Unknown> unknown = may_be_unknown ? find_unknown(app, args) : std::nullopt;
  if (!unknown) return app.exit(error);
  const std::string path = command_path(unknown->where);
  std::cerr << path << ": unknown " << unknown->what << " \"" << unknown->word << "\"";
  if (const std::string suggestion = nearest_name(unknown->word, unknown->candidates); !suggestion.empty()) {
    std::cerr << "; did you mean \"" << suggestion << "\"?";
  }
  std::cerr << "\n  `" << path << " --help` lists the " << unknown->what << "s\n";
  return error.get_exit_code();
}

}  // namespace live2::app
