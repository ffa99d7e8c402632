// Test helper: a strict reader of trajectory.extxyz as docs/simulation.md ("Trajectory") specifies it, written
// independently of the worker's writer. Any deviation (a count line that is not a number, a comment line without
// Lattice, Properties, Time or pbc, other Properties, a line with the wrong number of fields, a number that does not
// parse completely, an unknown element, z or vz not 0) is an error naming the line.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace live2::worker::testing {

struct ExtxyzFrame {
  std::array<double, 9> lattice{};
  double time_ps = 0;
  int64_t step = 0;
  std::vector<std::string> species;
  std::vector<double> x, y, vx, vy;  // angstrom, angstrom/ps
  std::vector<int64_t> mol_id;
};

struct ExtxyzReadResult {
  std::vector<ExtxyzFrame> frames;
  std::string error;  // empty when the whole text is valid
};

ExtxyzReadResult read_extxyz(const std::string& text);

}  // namespace live2::worker::testing
