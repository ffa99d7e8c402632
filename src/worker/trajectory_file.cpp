#include "worker/trajectory_file.h"

#include <fmt/format.h>

#include <fstream>

#include "sim/elements.h"
#include "sim/units.h"

namespace live2::worker {
namespace {

// Nine significant digits: a float32 of the model converted to angstrom (or angstrom/ps) and printed reads back,
// divided by the factor, to the same float32.
std::string number(double value) { return fmt::format("{:.9g}", value); }

OutputStatus write_failure(const std::filesystem::path& path) {
  return OutputStatus::failure("cannot write " + path.filename().string());
}

}  // namespace

std::string extxyz_frame(const sim::Snapshot& snapshot, double box_size) {
  const size_t atoms = snapshot.types.size();
  const double length = sim::kLengthUnitAngstrom;
  const double velocity = sim::kVelocityUnitAngstromPerPs;
  const std::string side = number(box_size * length);
  std::string text;
  text.reserve(64 * atoms + 512);
  fmt::format_to(std::back_inserter(text), "{}\n", atoms);
  // The third cell vector is one length unit, a nominal thickness of the 2-D box; it is not periodic (pbc F).
  fmt::format_to(std::back_inserter(text),
                 "Lattice=\"{} 0 0 0 {} 0 0 0 {}\" Properties=species:S:1:pos:R:3:vel:R:3:mol_id:I:1 Time={} "
                 "step={} pbc=\"T T F\" time_unit=ps length_unit=angstrom velocity_unit=angstrom/ps\n",
                 side, side, number(length), number(snapshot.time * sim::kTimeUnitPs),
                 snapshot.step);
  for (size_t i = 0; i < atoms; ++i) {
    fmt::format_to(std::back_inserter(text), "{} {:.9g} {:.9g} 0 {:.9g} {:.9g} 0 {}\n",
                   sim::element_symbol(static_cast<sim::Element>(snapshot.types[i])),
                   snapshot.positions[2 * i] * length, snapshot.positions[2 * i + 1] * length,
                   snapshot.velocities[2 * i] * velocity, snapshot.velocities[2 * i + 1] * velocity,
                   snapshot.molecule_ids[i]);
  }
  return text;
}

OutputStatus TrajectoryFile::truncate() {
  std::ofstream out(path_, std::ios::binary | std::ios::trunc);
  if (!out) return write_failure(path_);
  return {};
}

OutputStatus TrajectoryFile::append(const sim::Snapshot& snapshot) {
  const std::string frame = extxyz_frame(snapshot, box_size_);
  std::ofstream out(path_, std::ios::binary | std::ios::app);
  out.write(frame.data(), static_cast<std::streamsize>(frame.size()));
  out.flush();
  if (!out) return write_failure(path_);
  return {};
}

}  // namespace live2::worker
