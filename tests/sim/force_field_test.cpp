// Forces are the negative gradient of the potential energy: LJ (cut and shifted) and harmonic bonds, checked against
// central finite differences on a small random configuration.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sim/force_field.h"
#include "sim/params.h"
#include "sim/counter_rng.h"

namespace live2::sim {
namespace {

struct Fixture {
  ThreadTeam team{1};
  ParticleArrays particles;
  BondGraph bonds;
  ForceFieldParams params;
  NeighborList neighbors;

  Fixture(size_t n, double box)
      : bonds(n),
        params(model_force_field(box, 0.3, kDefaultChemistryScale)),
        neighbors(box, params.cutoff, 0.3, team) {
    particles.resize(n);
    // A jittered grid keeps pairs apart (no r ~ 0 overlaps) while covering all distances up to the cutoff.
    const auto side = static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
    const double spacing = box / static_cast<double>(side);
    for (size_t i = 0; i < n; ++i) {
      const Philox4x32 w = random_words(7, 0, RngStream::initial_state, static_cast<uint32_t>(i), 0);
      particles.x[i] = (static_cast<double>(i % side) + 0.3 * to_unit_interval(w[0])) * spacing;
      particles.y[i] = (static_cast<double>(i / side) + 0.3 * to_unit_interval(w[1])) * spacing;
      particles.type[i] = static_cast<uint8_t>(i % kElementCount);
      particles.inv_mass[i] = 1.0;
    }
  }

  double energy() {
    std::vector<double> scratch;
    NeighborList fresh(params.box_size, params.cutoff, 0.3, team);
    ParticleArrays copy = particles;
    fresh.rebuild(copy, bonds);
    BondGeometry geometry;
    geometry.compute(copy, bonds, params, team);
    return compute_potential_energy(copy, fresh, bonds, params, geometry, team, scratch).total();
  }
};

void expect_forces_match_gradient(Fixture& f) {
  f.neighbors.rebuild(f.particles, f.bonds);
  BondGeometry geometry;
  compute_forces(f.particles, f.neighbors, f.bonds, f.params, f.team, geometry);
  const double h = 1e-6;
  for (uint32_t slot = 0; slot < f.particles.size(); slot += 7) {
    for (double* coordinate : {&f.particles.x[slot], &f.particles.y[slot]}) {
      const double saved = *coordinate;
      *coordinate = saved + h;
      const double up = f.energy();
      *coordinate = saved - h;
      const double down = f.energy();
      *coordinate = saved;
      const double numeric = -(up - down) / (2 * h);
      const double analytic = coordinate == &f.particles.x[slot] ? f.particles.fx[slot] : f.particles.fy[slot];
      EXPECT_NEAR(analytic, numeric, 1e-4 * std::max(1.0, std::fabs(numeric))) << "slot " << slot;
    }
  }
}

TEST(ForceField, LennardJonesForceIsMinusEnergyGradient) {
  Fixture f(64, 9.0);
  expect_forces_match_gradient(f);
}

TEST(ForceField, BondForcesAreMinusEnergyGradientAndBondedPairsSkipLennardJones) {
  Fixture f(64, 9.0);
  for (uint32_t a = 0; a + 1 < 64; a += 2) f.bonds.add(a, a + 1);  // grid neighbours: stretched or compressed bonds
  expect_forces_match_gradient(f);
}

TEST(ForceField, EnergyIsZeroBeyondTheCutoffAndContinuousAtIt) {
  Fixture f(2, 20.0);
  f.particles.x = {1.0, 1.0 + 2.5 - 1e-9};
  f.particles.y = {1.0, 1.0};
  EXPECT_NEAR(f.energy(), 0.0, 1e-8);  // shifted: V(rc) = 0
  f.particles.x[1] = 1.0 + 2.6;
  EXPECT_EQ(f.energy(), 0.0);
}

// The reaction sweep rejects breaks against dU >= -switch - (removed angles) x largest_angle_energy: the largest value
// must bound every angle's energy and be reached (else the bound is loose or wrong).
TEST(ForceField, LargestAngleEnergyIsTheMaximumOverAllAngles) {
  for (Hybridisation h : {Hybridisation::sp, Hybridisation::sp2, Hybridisation::sp3}) {
    const double largest = largest_angle_energy(h, kAngleStiffness);
    double highest = 0.0;
    for (int k = 0; k <= 100000; ++k) {
      const double energy = angle_energy(h, kAngleStiffness, -1.0 + 2.0 * k / 100000.0);
      EXPECT_GE(energy, 0.0);
      highest = std::max(highest, energy);
    }
    EXPECT_LE(highest, largest) << static_cast<int>(h);
    EXPECT_NEAR(highest, largest, 1e-9 * largest) << static_cast<int>(h);
  }
}

}  // namespace
}  // namespace live2::sim
