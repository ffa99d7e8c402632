// The reactive particle simulation: builds the initial state from a SimulationConfig, advances it, analyses it
// (molecules, species, reactions, novelty) and saves/loads complete checkpoints. Model: docs/simulation.md.
// Results are bit-identical for any thread count and across checkpoint/resume. A Simulation is not thread safe:
// one caller drives it; it uses its own `threads` worker threads internally.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "params.h"

namespace live2::sim {

// One row per analyze() call. Energies are totals in reduced units (epsilon); temperature is measured from the kinetic
// energy (2-D, k_B = 1: kT = KE / N) and reported in kelvin (kT * 300) like the params; pressure is the virial
// pressure (K + W / 2) / L^2 in reduced units (epsilon / sigma^2), with W summed over LJ pairs and bonds. n_species counts distinct
// species present now; new_species those never seen before this row; bonds_formed/bonds_broken count events since the
// previous row.
struct MetricsRow {
  int64_t step;
  double time, temperature, kinetic_energy, potential_energy, pressure;
  int64_t n_bonds, n_molecules, n_species, new_species, largest_molecule, bonds_formed, bonds_broken;
};

// A species seen at any analysis so far. final_count is its count at the latest analysis.
struct SpeciesRecord {
  std::string key, formula;
  int64_t atoms, bonds, first_seen_step, final_count, max_count;
};

// One reaction of the network: reactant and product species keys (isomers apart), each side sorted. count is the
// number of times it happened, recrossings the number of times it happened and was undone by the exact reverse event
// on the same atom pair before the next analysis (docs/simulation.md, "Reaction network"); those are not in count.
// first_step is the first step it was counted at, -1 when it only ever recrossed.
struct ReactionRecord {
  std::string equation;          // "C2H6O#... + H#... -> ...": the species keys joined, the reaction's identity
  std::string formula_equation;  // "C2H6O + H -> C2H7O": Hill formulas, for reading
  std::vector<std::string> reactants, products;  // species keys, sorted
  int64_t count, recrossings, first_step;
};

// How many molecules of one species were present at one analysis (species absent then have no row).
struct SpeciesCountRecord {
  int64_t step;
  double time;
  std::string key;
  int64_t count;
};

// Per-atom arrays in atom-id order (ids 0..N-1 never change during a run).
struct Snapshot {
  int64_t step;
  double time;
  std::vector<float> positions;   // 2N: x0 y0 x1 y1 ..., wrapped into [0, box_size)
  std::vector<float> velocities;  // 2N
  std::vector<uint8_t> types;     // N, element index
  std::vector<uint32_t> bonds;    // 2M atom-id pairs, lower id first, sorted
  std::vector<uint8_t> bond_orders;  // M: the order (1, 2, 3) of each bond of `bonds`
  // N: the molecule of each atom, molecules numbered 0, 1, ... in the order of their lowest atom id (a lone atom is
  // a molecule of its own). Numbers are per snapshot: the same number in two snapshots need not be the same molecule.
  std::vector<uint32_t> molecule_ids;
};

// Why a run cannot go on: at `step` it became numerically unstable. `message` is one sentence for people naming the
// step, what went wrong and which parameter to change.
struct Instability {
  int64_t step;
  std::string message;
};

class SimulationState;

class Simulation {
 public:
  Simulation(const SimulationConfig& config, int threads);  // builds the initial state from the seed
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  int64_t current_step() const;
  double current_time() const;
  double box_size() const;
  const SimulationConfig& config() const;

  // Runs that many steps (the caller chunks the run and checks for signals between chunks). Stops at a step that left
  // the state numerically unstable and says so; the Simulation must then not be advanced, analysed or saved again.
  [[nodiscard]] std::optional<Instability> advance(int64_t steps);
  MetricsRow analyze();         // metrics now; updates species/novelty/reaction bookkeeping and the history
  Snapshot snapshot() const;

  const std::vector<MetricsRow>& metrics_history() const;  // every analyze() row so far
  std::vector<SpeciesRecord> species() const;              // sorted by key
  std::vector<ReactionRecord> reactions() const;           // sorted by count desc, then equation
  std::vector<SpeciesCountRecord> species_counts() const;  // every analysis so far, by step, then key
  int64_t bond_order_changes() const;  // accepted order moves (1 <-> 2 <-> 3) since the run began
  int64_t bond_transfers() const;      // accepted bond transfers since the run began (each also one break, one form)

  void save_checkpoint(std::ostream& out) const;  // complete state, versioned, with checksum
  // Restores a checkpoint written by save_checkpoint for the same config. Errors: `invalid_input` when it was
  // written for other parameters, `corrupt_payload` when it is damaged or of another format version.
  static Result<std::unique_ptr<Simulation>> load_checkpoint(std::istream& in, const SimulationConfig& config,
                                                             int threads);

 private:
  explicit Simulation(std::unique_ptr<SimulationState> state);
  std::unique_ptr<SimulationState> state_;
};

}  // namespace live2::sim
