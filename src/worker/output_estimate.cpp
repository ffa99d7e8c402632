#include "worker/output_estimate.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "sim/elements.h"

namespace live2::worker {
namespace {

// Every constant below is what live2-sim writes, rounded up; docs/tiers.md shows the derivation and the measured
// ratio of estimate to real artifacts.

// One snapshot group: positions and velocities (float32 x 2 each), types (uint8), molecule ids (uint32) and bonds
// (uint32 pairs and a uint8 order each, at most kMaxValence / 2 per atom), plus the group's HDF5 bookkeeping (object
// headers, attributes, link storage). And its trajectory.extxyz frame: per atom a symbol, two positions of 9 significant digits (at most
// 10 characters below 10,000 angstrom), two velocities (at most 11; the exponent form, 15, only below 1e-5
// angstrom/ps), two zeros and a molecule id (at most 7 digits), with separators: 60 bytes, allowed 64; a count and
// a comment line per frame.
constexpr int64_t kSnapshotBytesPerAtom = 2 * 4 + 2 * 4 + 1 + 4 + 64;
constexpr int64_t kSnapshotBytesPerBondSlot = 2 * 4 + 1;
constexpr int64_t kSnapshotOverheadBytes = 8 * 1024 + 512;

// One metrics row: 13 eight-byte columns in results.h5 and again in the checkpoint's history, and a metrics.csv
// line of at most 13 numbers of up to 24 characters plus separators.
constexpr int64_t kMetricsRowBytes = 13 * 8 + 13 * 8 + 13 * 25;
// The species counts: one row per species present at each analysis, in results.h5 (three numbers and a
// variable-length key: measured about 90 bytes), species_counts.csv (about 40) and the checkpoint (24); allowed 192.
// Species present grow more slowly than the atoms: measured 14 at 100 atoms, 35 at 300, 96 at 1,000 (default run);
// allowed 0.3 * atoms^0.85 (15, 38, 106).
constexpr int64_t kSpeciesCountRowBytes = 192;
int64_t species_present(int64_t atoms) {
  return static_cast<int64_t>(std::ceil(0.3 * std::pow(static_cast<double>(atoms), 0.85)));
}

// The checkpoint's atoms: x, y, vx, vy, fx, fy and the neighbour list's reference x, y (float64), type, degree
// (uint8), id (uint32), kMaxValence bond partners (uint32) and their bond orders (uint8).
constexpr int64_t kCheckpointBytesPerAtom = 8 * 8 + 1 + 1 + 4 + sim::kMaxValence * (4 + 1);
// The species and reactions tables, six times over (results.h5, molecules.json, reactions.json,
// reaction_network.json and .graphml, the checkpoint's ledger). Distinct species and reactions (by species keys)
// grow more slowly than the atoms (many molecules repeat), ever more slowly with the analyses that find them, and
// with the heat that drives reactions: bytes = c * (T / 300 K)^0.8 * atoms^0.8 * sqrt(analyses), T the hottest bath
// (the run's or an energy source's, at least 300 K). c measured 3,730 at 300 K (1,000 atoms, 101 analyses), 1,810
// (20,000 atoms, 2,000 steps), 3,000 at 1,200 K (9,100 / 4^0.8), and the long run of 300 atoms and 201 analyses
// needs 3,850 (it grows faster than sqrt(analyses) there); allowed 5,000. Model 4 (bond orders and angles) makes
// fewer distinct reactions: the same three runs of worker.Runs/WorkerOutputEstimate came out 3.4-3.5x below the
// estimate with 5,000; allowed 3,500.
constexpr double kChemistryBytesPerRootAnalysis = 3500;
constexpr double kChemistryAtomExponent = 0.8;
constexpr double kChemistryHeatExponent = 0.8;

// simulation.log: a line of at most this many bytes at every 1 % of progress, every 10 s and every 120 s checkpoint.
constexpr int64_t kLogLineBytes = 256;
constexpr int64_t kLogFixedBytes = 8 * 1024;

// final.png (1300 x 1040 px, compressed): grows with the square root of the atoms as the box fills with detail
// (measured 126 KB at 100 atoms, 330 KB at 1,000, 1.03 MB at 20,000), never beyond uncompressed RGBA. And the small
// JSON files (progress, summary with its top 20 tables, metadata).
constexpr int64_t kImageBytesBase = 64 * 1024;
constexpr int64_t kImageBytesPerRootAtom = 10 * 1024;
constexpr int64_t kImageBytesMax = 1300LL * 1040 * 4 + 64 * 1024;
constexpr int64_t kReportsFixedBytes = 64 * 1024;
// The resolved parameters appear in results.h5, summary.json and simulation.log (and params.json on AWS).
constexpr int64_t kParamsCopies = 4;

int64_t records(int64_t steps, int64_t interval) { return steps / interval + 1 + (steps % interval != 0 ? 1 : 0); }

}  // namespace

int64_t OutputEstimate::total_bytes() const {
  return snapshot_bytes + metrics_bytes + per_atom_bytes + log_bytes + fixed_bytes;
}

std::string_view OutputEstimate::dominant_field() const {
  const int64_t largest = std::max({snapshot_bytes, metrics_bytes, per_atom_bytes, log_bytes, fixed_bytes});
  // With only the first and last snapshot (or row) left, a longer interval cannot help; the run itself is too big.
  if (largest == snapshot_bytes && snapshots > 2) return "snapshot_interval";
  if (largest == metrics_bytes && metrics_rows > 2) return "analysis_interval";
  if (largest == log_bytes) return "steps";
  return "num_particles";
}

OutputEstimate estimate_output_bytes(const sim::SimulationConfig& config) {
  const int64_t atoms = config.num_particles;
  OutputEstimate estimate;
  estimate.snapshots = records(config.steps, config.snapshot_interval);
  estimate.metrics_rows = records(config.steps, config.analysis_interval);
  const int64_t bond_slots = atoms * sim::kMaxValence / 2;
  estimate.snapshot_bytes = estimate.snapshots * (atoms * kSnapshotBytesPerAtom +
                                                  bond_slots * kSnapshotBytesPerBondSlot + kSnapshotOverheadBytes);
  estimate.metrics_bytes =
      estimate.metrics_rows * (kMetricsRowBytes + species_present(atoms) * kSpeciesCountRowBytes);
  const auto root_analyses = static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(estimate.metrics_rows))));
  estimate.per_atom_bytes =
      atoms * kCheckpointBytesPerAtom +
      static_cast<int64_t>(std::ceil(kChemistryBytesPerRootAnalysis *
                                     std::pow(std::max(1.0, sim::max_bath_kT(config)), kChemistryHeatExponent) *
                                     std::pow(static_cast<double>(atoms), kChemistryAtomExponent))) *
          root_analyses;
  // On one thread, the slowest a worker runs; the log is small beside everything else in a long run anyway.
  const auto runtime_s = static_cast<int64_t>(sim::estimate_runtime_seconds(config, 1));
  estimate.log_bytes = kLogFixedBytes + kLogLineBytes * (101 + runtime_s / 10 + runtime_s / 120);
  const auto params_bytes = static_cast<int64_t>(boost::json::serialize(sim::resolved_params_json(config)).size());
  const auto root_atoms = static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(atoms))));
  estimate.fixed_bytes = std::min(kImageBytesMax, kImageBytesBase + kImageBytesPerRootAtom * root_atoms) +
                         kReportsFixedBytes + kParamsCopies * params_bytes;
  return estimate;
}

}  // namespace live2::worker
