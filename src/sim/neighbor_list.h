// Cell lists + Verlet lists with a skin. Each atom gets its own FULL list (every neighbour j of i appears in i's list
// and i in j's), so forces are summed per atom in a fixed order with no write conflicts: bit-identical for any thread
// count. A rebuild wraps positions into the box, re-sorts atom slots by cell (locality) and records reference
// positions; the lists stay valid until some atom has moved more than skin / 2. Bonded pairs stay in the lists,
// flagged so the LJ force skips them; the flag is flipped in place when a bond forms or breaks.
// Not thread safe; its loops run on the given ThreadTeam, which must outlive it.
#pragma once

#include <cstdint>
#include <vector>

#include "bond_graph.h"
#include "particle_arrays.h"
#include "thread_team.h"

namespace live2::sim {

class NeighborList {
 public:
  static constexpr uint32_t kBondedFlag = 0x80000000u;  // set on entries whose pair is covalently bonded
  static constexpr uint32_t kSlotMask = 0x7fffffffu;

  NeighborList(double box_size, double cutoff, double skin, ThreadTeam& team);

  // Wraps positions, re-sorts slots by cell, stores reference positions, builds the lists.
  void rebuild(ParticleArrays& particles, const BondGraph& bonds);
  // Rebuilds the lists from the stored reference positions and the current slot order without moving anything:
  // restores exactly the lists that were in use when a checkpoint was written.
  void rebuild_from_reference(const ParticleArrays& particles, const BondGraph& bonds);
  bool needs_rebuild(const ParticleArrays& particles) const;
  // The same test given the largest squared displacement from the reference positions (for callers that compute it
  // in their own pass over the atoms).
  bool needs_rebuild(double farthest_displacement2) const { return farthest_displacement2 > 0.25 * skin_ * skin_; }

  // Lists are padded with self-entries flagged as bonded up to a multiple of this, so the force loop runs whole
  // vectors with no scalar remainder.
  static constexpr uint32_t kPadTo = 4;

  // Flags / unflags the pair in both atoms' lists. Returns false if the pair is not listed (it is then farther apart
  // than the cutoff, so no LJ term is affected until the next rebuild, which applies the bond state itself).
  bool set_bonded(uint32_t slot_a, uint32_t slot_b, bool bonded);

  uint32_t count(uint32_t slot) const { return counts_[slot]; }
  size_t longest_count() const { return stride_; }  // no list is longer
  const uint32_t* entries(uint32_t slot) const { return &entries_[size_t{slot} * stride_]; }
  int64_t rebuilds() const { return rebuilds_; }
  double cutoff() const { return cutoff_; }
  double skin() const { return skin_; }

  const std::vector<double>& reference_x() const { return ref_x_; }
  const std::vector<double>& reference_y() const { return ref_y_; }
  void set_reference(std::vector<double> ref_x, std::vector<double> ref_y, int64_t rebuilds);

 private:
  void sort_into_cells(ParticleArrays& particles);
  void build_lists(const ParticleArrays& particles, const BondGraph& bonds);
  void compute_cell_starts(const std::vector<uint32_t>& cell_of_slot);
  uint32_t cell_of(double x, double y) const;

  double box_size_, cutoff_, skin_;
  ThreadTeam* team_;
  int cells_per_side_;
  struct CellRun {
    uint32_t first, last;  // consecutive cell indices [first, last]: their atoms are one contiguous slot range
  };
  std::vector<std::vector<CellRun>> stencil_;  // the 3x3 neighbourhood of each cell (itself included) as runs
  std::vector<uint32_t> cell_start_;            // slots of cell c: [cell_start_[c], cell_start_[c + 1])
  std::vector<double> ref_x_, ref_y_;
  std::vector<uint32_t> entries_;  // stride_ per slot: neighbour slot | kBondedFlag
  std::vector<uint32_t> counts_;
  size_t stride_ = 32;
  int64_t rebuilds_ = 0;
};

}  // namespace live2::sim
