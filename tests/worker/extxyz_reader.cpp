#include "extxyz_reader.h"

#include <charconv>
#include <map>
#include <set>
#include <sstream>

namespace live2::worker::testing {
namespace {

const std::set<std::string> kElements = {"H", "C", "N", "O", "P", "S"};
constexpr std::string_view kProperties = "species:S:1:pos:R:3:vel:R:3:mol_id:I:1";

template <typename T>
bool parse_whole(std::string_view token, T& value) {
  if (token.empty()) return false;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  return error == std::errc() && end == token.data() + token.size();
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; in >> field;) fields.push_back(field);
  return fields;
}

// key=value pairs, a value either bare or in double quotes (no escapes are written). False on anything else.
bool parse_comment(const std::string& line, std::map<std::string, std::string>& pairs) {
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    const size_t equals = line.find('=', i);
    if (equals == std::string::npos || equals == i) return false;
    const std::string key = line.substr(i, equals - i);
    if (key.find(' ') != std::string::npos || key.find('"') != std::string::npos) return false;
    i = equals + 1;
    std::string value;
    if (i < line.size() && line[i] == '"') {
      const size_t close = line.find('"', i + 1);
      if (close == std::string::npos) return false;
      value = line.substr(i + 1, close - i - 1);
      i = close + 1;
      if (i < line.size() && line[i] != ' ') return false;
    } else {
      const size_t space = line.find(' ', i);
      value = line.substr(i, space == std::string::npos ? std::string::npos : space - i);
      i = space == std::string::npos ? line.size() : space;
      if (value.empty() || value.find('"') != std::string::npos) return false;
    }
    if (!pairs.emplace(key, value).second) return false;
  }
  return true;
}

}  // namespace

ExtxyzReadResult read_extxyz(const std::string& text) {
  ExtxyzReadResult result;
  if (!text.empty() && text.back() != '\n') {
    result.error = "the file does not end with a newline";
    return result;
  }
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  size_t at = 0;
  const auto fail = [&](size_t line, const std::string& why) {
    result.error = "line " + std::to_string(line + 1) + ": " + why;
    return result;
  };
  while (at < lines.size()) {
    int64_t atoms = 0;
    if (!parse_whole(std::string_view(lines[at]), atoms) || atoms < 0) return fail(at, "not an atom count");
    if (at + 2 + static_cast<size_t>(atoms) > lines.size()) {
      return fail(at, "fewer lines than the atom count");
    }
    std::map<std::string, std::string> pairs;
    if (!parse_comment(lines[at + 1], pairs)) return fail(at + 1, "not a key=value comment line");
    for (const char* key : {"Lattice", "Properties", "Time", "step", "pbc", "time_unit", "length_unit",
                            "velocity_unit"}) {
      if (!pairs.contains(key)) return fail(at + 1, std::string("no ") + key);
    }
    if (pairs.size() != 8) return fail(at + 1, "unexpected keys");
    if (pairs["Properties"] != kProperties) return fail(at + 1, "Properties is " + pairs["Properties"]);
    if (pairs["pbc"] != "T T F") return fail(at + 1, "pbc is " + pairs["pbc"]);
    if (pairs["time_unit"] != "ps" || pairs["length_unit"] != "angstrom" ||
        pairs["velocity_unit"] != "angstrom/ps") {
      return fail(at + 1, "unexpected units");
    }
    ExtxyzFrame frame;
    const std::vector<std::string> lattice = fields_of(pairs["Lattice"]);
    if (lattice.size() != 9) return fail(at + 1, "Lattice is not 9 numbers");
    for (size_t k = 0; k < 9; ++k) {
      if (!parse_whole(std::string_view(lattice[k]), frame.lattice[k])) return fail(at + 1, "Lattice number");
    }
    if (!parse_whole(std::string_view(pairs["Time"]), frame.time_ps) ||
        !parse_whole(std::string_view(pairs["step"]), frame.step)) {
      return fail(at + 1, "Time or step is not a number");
    }
    for (int64_t i = 0; i < atoms; ++i) {
      const size_t line = at + 2 + static_cast<size_t>(i);
      const std::vector<std::string> f = fields_of(lines[line]);
      if (f.size() != 8) return fail(line, "not 8 fields");
      if (!kElements.contains(f[0])) return fail(line, "unknown element " + f[0]);
      double x = 0, y = 0, z = 0, vx = 0, vy = 0, vz = 0;
      int64_t mol = 0;
      if (!parse_whole(std::string_view(f[1]), x) || !parse_whole(std::string_view(f[2]), y) ||
          !parse_whole(std::string_view(f[3]), z) || !parse_whole(std::string_view(f[4]), vx) ||
          !parse_whole(std::string_view(f[5]), vy) || !parse_whole(std::string_view(f[6]), vz) ||
          !parse_whole(std::string_view(f[7]), mol)) {
        return fail(line, "a field does not parse");
      }
      if (z != 0 || vz != 0) return fail(line, "z or vz is not 0 in a 2-D run");
      if (mol < 0) return fail(line, "negative mol_id");
      frame.species.push_back(f[0]);
      frame.x.push_back(x);
      frame.y.push_back(y);
      frame.vx.push_back(vx);
      frame.vy.push_back(vy);
      frame.mol_id.push_back(mol);
    }
    result.frames.push_back(std::move(frame));
    at += 2 + static_cast<size_t>(atoms);
  }
  return result;
}

}  // namespace live2::worker::testing
