// The neighbour lists hold exactly the pairs within reach (cutoff + skin) of the reference positions, in ascending
// slot order, padded with flagged self entries, whatever the thread count and whether the box has three cells per
// side or fewer (where the stencil visits a cell once through several offsets). The reference decides reach as the
// lists do on the default x86-64-v3 build, fma(dx, dx, dy * dy) < reach^2 with the minimum image (a build without FMA
// rounds twice, which could differ only for a pair within a rounding error of reach). This file is compiled without
// the engine's vector flags, so it does not include vector4.h.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/counter_rng.h"
#include "sim/neighbor_list.h"

namespace live2::sim {
namespace {

constexpr double kCutoff = 2.5, kSkin = 0.3;

double minimum_image(double d, double box) {
  const double half_box = 0.5 * box;
  return d > half_box ? d - box : (d < -half_box ? d + box : d);
}

void expect_lists_hold_exactly_the_pairs_in_reach(size_t atoms, double box, int threads) {
  ThreadTeam team(threads);
  ParticleArrays particles;
  particles.resize(atoms);
  for (size_t i = 0; i < atoms; ++i) {
    const Philox4x32 w = random_words(11, 0, RngStream::initial_state, static_cast<uint32_t>(i), 0);
    // Some atoms a little outside the box, as between rebuilds: the rebuild wraps them.
    particles.x[i] = (1.02 * to_unit_interval(w[0]) - 0.01) * box;
    particles.y[i] = (1.02 * to_unit_interval(w[1]) - 0.01) * box;
    particles.id[i] = static_cast<uint32_t>(i);
    particles.slot_of_id[i] = static_cast<uint32_t>(i);
  }
  const BondGraph bonds(atoms);
  NeighborList neighbors(box, kCutoff, kSkin, team);
  neighbors.rebuild(particles, bonds);
  const double reach2 = (kCutoff + kSkin) * (kCutoff + kSkin);
  const std::vector<double>& x = neighbors.reference_x();
  const std::vector<double>& y = neighbors.reference_y();
  size_t pairs = 0;
  for (uint32_t i = 0; i < atoms; ++i) {
    std::vector<uint32_t> expected;
    for (uint32_t j = 0; j < atoms; ++j) {
      const double dx = minimum_image(x[i] - x[j], box), dy = minimum_image(y[i] - y[j], box);
      if (j != i && std::fma(dx, dx, dy * dy) < reach2) expected.push_back(j);
    }
    const uint32_t count = neighbors.count(i);
    ASSERT_EQ(count % NeighborList::kPadTo, 0u) << "slot " << i;
    ASSERT_GE(count, expected.size()) << "slot " << i;
    const uint32_t* entries = neighbors.entries(i);
    const std::vector<uint32_t> listed(entries, entries + expected.size());
    EXPECT_EQ(listed, expected) << "slot " << i;
    for (uint32_t k = static_cast<uint32_t>(expected.size()); k < count; ++k) {
      EXPECT_EQ(entries[k], i | NeighborList::kBondedFlag) << "slot " << i << " padding " << k;
    }
    pairs += expected.size();
  }
  EXPECT_GT(pairs, 5 * atoms);  // the check is not vacuous: every atom has several neighbours
}

TEST(NeighborList, ListsHoldExactlyThePairsWithinReachInSlotOrder) {
  for (const int threads : {1, 2, 3}) {
    SCOPED_TRACE(threads);
    expect_lists_hold_exactly_the_pairs_in_reach(2000, 50.0, threads);  // 17 cells per side, density 0.8
  }
}

TEST(NeighborList, ListsHoldExactlyThePairsWithinReachInABoxOfTwoCellsPerSide) {
  expect_lists_hold_exactly_the_pairs_in_reach(40, 2.2 * (kCutoff + kSkin), 2);
}

}  // namespace
}  // namespace live2::sim
