// Per-atom state in structure-of-arrays form, stored in "slot" order. Slots are re-sorted by cell at every neighbour
// rebuild for memory locality; atom ids (0..N-1) are stable and slot_of_id maps back. Not thread safe; the engine's
// parallel loops write disjoint slots.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace live2::sim {

struct ParticleArrays {
  std::vector<double> x, y;     // positions (sigma); wrapped into [0, L) at each neighbour rebuild, may drift out between
  std::vector<double> vx, vy;   // velocities
  std::vector<double> fx, fy;   // forces at the current positions
  std::vector<double> inv_mass;
  std::vector<uint8_t> type;    // element index (one type in the LJ benchmark)
  std::vector<uint32_t> id;     // atom id of each slot
  std::vector<uint32_t> slot_of_id;

  size_t size() const { return x.size(); }
  void resize(size_t n);
  // Reorders every per-slot array so that new slot s holds old slot new_to_old[s]; refreshes slot_of_id.
  void permute(const std::vector<uint32_t>& new_to_old);
};

}  // namespace live2::sim
