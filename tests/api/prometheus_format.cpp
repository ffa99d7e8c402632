#include "prometheus_format.h"

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace live2::api::testing {
namespace {

const std::regex kSample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ([^ ]+)$)");
const std::regex kLabel(R"(^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)\"$)");

std::string family_of(const std::string& sample_name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (sample_name.size() > s.size() && sample_name.ends_with(s)) {
      const std::string base = sample_name.substr(0, sample_name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return sample_name;
}

std::vector<std::string> split_labels(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && quoted && i + 1 < text.size()) {
      current += c;
      current += text[++i];
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

}  // namespace

std::vector<std::string> prometheus_format_problems(const std::string& text) {
  std::vector<std::string> problems;
  std::map<std::string, std::string> types;
  std::set<std::string> helps;
  std::map<std::string, double> last_bucket;  // histogram series (labels without le) -> last cumulative value
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if (line.starts_with("# HELP ")) {
      helps.insert(line.substr(7, line.find(' ', 7) - 7));
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      std::istringstream words(line.substr(7));
      std::string name, type;
      words >> name >> type;
      if (!helps.count(name)) problems.push_back("TYPE before HELP for " + name);
      if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" && type != "untyped") {
        problems.push_back("unknown type " + type);
      }
      if (type == "counter" && !name.ends_with("_total")) problems.push_back("counter without _total: " + name);
      types[name] = type;
      continue;
    }
    if (line.starts_with("#")) continue;
    std::smatch match;
    if (!std::regex_match(line, match, kSample)) {
      problems.push_back("malformed sample: " + line);
      continue;
    }
    const std::string name = match[1];
    const std::string family = family_of(name, types);
    if (!types.count(family) || !helps.count(family)) problems.push_back("sample without HELP/TYPE: " + line);
    std::string le;
    std::string series_without_le = name;
    for (const auto& label : split_labels(match[3])) {
      std::smatch label_match;
      if (!std::regex_match(label, label_match, kLabel)) {
        problems.push_back("malformed label " + label + " in " + line);
      } else if (label_match[1] == "le") {
        le = label_match[2];
      } else {
        series_without_le += "," + label;
      }
    }
    const std::string value_text = match[4];
    double value = 0;
    try {
      size_t used = 0;
      value = value_text == "+Inf" ? INFINITY : value_text == "-Inf" ? -INFINITY : std::stod(value_text, &used);
      if (value_text != "+Inf" && value_text != "-Inf" && used != value_text.size()) throw std::invalid_argument("");
    } catch (const std::exception&) {
      problems.push_back("bad value in " + line);
    }
    if (types[family] == "histogram") {
      const std::string key = family + series_without_le.substr(name.size());
      if (name.ends_with("_bucket")) {
        if (le.empty()) problems.push_back("bucket without le: " + line);
        if (last_bucket.count(key) && value < last_bucket[key]) problems.push_back("buckets not cumulative: " + line);
        last_bucket[key] = value;
        if (le == "+Inf") last_bucket[key + "#inf"] = value;
      } else if (name.ends_with("_count")) {
        if (!last_bucket.count(key + "#inf")) problems.push_back("histogram without +Inf bucket: " + line);
        else if (last_bucket[key + "#inf"] != value) problems.push_back("+Inf bucket differs from _count: " + line);
      }
    }
  }
  return problems;
}

}  // namespace live2::api::testing
