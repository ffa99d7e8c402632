// The integrator: without friction BAOAB is velocity Verlet and conserves energy; with the Langevin bath the measured
// temperature settles at the bath's; the LJ benchmark reproduces the LAMMPS state point of bench/in.lj2d.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "sim/counter_rng.h"
#include "sim/engine.h"
#include "sim/lj_benchmark.h"

namespace live2::sim {
namespace {

ParticleArrays lattice(size_t side, double spacing, double speed) {
  ParticleArrays p;
  p.resize(side * side);
  for (size_t i = 0; i < p.size(); ++i) {
    p.x[i] = static_cast<double>(i % side) * spacing;
    p.y[i] = static_cast<double>(i / side) * spacing;
    p.inv_mass[i] = 1.0;
    const Philox4x32 w = random_words(3, 0, RngStream::initial_state, static_cast<uint32_t>(i), 0);
    p.vx[i] = speed * to_unit_variance_uniform(w[0]);
    p.vy[i] = speed * to_unit_variance_uniform(w[1]);
  }
  return p;
}

TEST(Integrator, WithoutFrictionTotalEnergyIsConserved) {
  const size_t side = 20;
  const double spacing = 1.0 / std::sqrt(0.7);
  EngineSettings settings;
  settings.box_size = side * spacing;
  settings.friction = 0.0;
  settings.dt = 0.005;
  settings.threads = 1;
  Engine engine(settings, lattice(side, spacing, 1.0), BondGraph{});
  const HeatBath bath(1.0);
  const double n = side * side;
  for (int s = 0; s < 200; ++s) ASSERT_TRUE(engine.step(bath));  // let the lattice melt
  const double start = (engine.kinetic_energy() + engine.potential_energy().total()) / n;
  double worst = 0.0;
  for (int s = 0; s < 2000; ++s) {
    ASSERT_TRUE(engine.step(bath));
    const double now = (engine.kinetic_energy() + engine.potential_energy().total()) / n;
    worst = std::max(worst, std::fabs(now - start));
  }
  // Shifted-potential LJ with dt = 0.005: fluctuations of order 1e-4 per atom, no systematic drift.
  EXPECT_LT(worst, 2e-3);
}

TEST(Integrator, MeasuredTemperatureMatchesTheBath) {
  for (double kT : {0.5, 2.0}) {
    const size_t side = 20;
    const double spacing = 1.0 / std::sqrt(0.5);
    EngineSettings settings;
    settings.box_size = side * spacing;
    settings.threads = 1;
    Engine engine(settings, lattice(side, spacing, 0.1), BondGraph{});
    const HeatBath bath(kT);
    for (int s = 0; s < 1000; ++s) ASSERT_TRUE(engine.step(bath));
    double sum = 0.0;
    int samples = 0;
    for (int s = 0; s < 2000; ++s) {
      ASSERT_TRUE(engine.step(bath));
      if (s % 10 == 0) {
        sum += engine.kinetic_energy() / (side * side);
        ++samples;
      }
    }
    EXPECT_NEAR(sum / samples, kT, 0.05 * kT);
  }
}

// LAMMPS on bench/in.lj2d with pair_modify shift yes (10,000 atoms, 2-D, rho 0.7, T* 1.0, cut 2.5 shifted): PE/atom
// -1.763 +- 0.005 and P 1.815 +- 0.03 (issue 14). Ours on the same 10,000 atoms over 10,000 steps, the second half
// averaged (about 8 s on two threads: the shortest run whose block errors reach LAMMPS's precision). Tolerance:
// LAMMPS's stated uncertainty plus 4 standard errors of our block average, after checking that 4 standard errors of
// ours are within LAMMPS's uncertainty.
TEST(Integrator, LjBenchmarkMatchesTheLammpsStatePoint) {
  LjBenchmarkOptions options;
  options.atoms = 10000;
  options.steps = 10000;
  options.threads = 2;
  const LjBenchmarkResult result = run_lj_benchmark(options);
  std::printf("LJ state point: PE/atom %.4f +- %.4f (LAMMPS -1.763 +- 0.005), P %.4f +- %.4f (LAMMPS 1.815 +- 0.03), "
              "T %.4f +- %.4f\n",
              result.potential_energy_per_atom, result.potential_energy_stderr, result.pressure, result.pressure_stderr,
              result.temperature, result.temperature_stderr);
  EXPECT_EQ(result.atoms, 10000);
  ASSERT_LE(4.0 * result.potential_energy_stderr, 0.005);
  ASSERT_LE(4.0 * result.pressure_stderr, 0.03);
  EXPECT_NEAR(result.potential_energy_per_atom, -1.763, 0.005 + 4.0 * result.potential_energy_stderr);
  EXPECT_NEAR(result.pressure, 1.815, 0.03 + 4.0 * result.pressure_stderr);
  EXPECT_NEAR(result.temperature, 1.0, 4.0 * result.temperature_stderr + 0.005);
  EXPECT_GT(result.particle_steps_per_second, 0.0);
  EXPECT_GT(result.neighbor_rebuilds, 10);
}

}  // namespace
}  // namespace live2::sim
