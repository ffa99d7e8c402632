// trajectory.extxyz: the run's snapshots as extended XYZ frames that ASE, OVITO and the dashboard's viewer read
// (format: docs/simulation.md, "Trajectory"). One frame per snapshot, appended as the run produces them and flushed,
// so the file is complete up to the latest snapshot; a resumed run rebuilds it from the snapshots in results.h5 (the
// same floats, so the same bytes). Positions in angstrom, velocities in angstrom/ps, time in ps; 2-D: z = 0.
// Not thread safe; one owner.
#pragma once

#include <filesystem>
#include <string>

#include "sim/simulation.h"
#include "worker/output_status.h"

namespace live2::worker {

// One frame: the atom count line, the comment line (Lattice, Properties, Time, step, pbc, units), one line per atom
// in atom-id order: "<symbol> <x> <y> 0 <vx> <vy> 0 <molecule id>".
std::string extxyz_frame(const sim::Snapshot& snapshot, double box_size);

class TrajectoryFile {
 public:
  TrajectoryFile(std::filesystem::path path, double box_size) : path_(std::move(path)), box_size_(box_size) {}

  OutputStatus truncate();  // empties the file (a fresh run, or before a rebuild)
  OutputStatus append(const sim::Snapshot& snapshot);

 private:
  std::filesystem::path path_;
  double box_size_;
};

}  // namespace live2::worker
