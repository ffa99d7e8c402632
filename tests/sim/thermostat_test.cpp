// The Langevin bath: Gaussian noise in the exact Ornstein-Uhlenbeck step, so velocities are Maxwell-Boltzmann for
// every element at the extremes of friction and dt, and the default reactive run holds the bath temperature.
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "block_average.h"
#include "config_from.h"
#include "sim/simulation.h"

namespace live2::sim {
namespace {

using testing::config_from;
using testing::block_mean;
using testing::BlockMean;

struct ElementVelocities {
  BlockMean variance;         // <z^2> of the standardised components z = v sqrt(m / kT): 1 for the bath's kT
  BlockMean excess_kurtosis;  // <z^4> / <z^2>^2 - 3: 0 for a Gaussian, -1.2 for uniform noise
};

// Per element, from `snapshots` snapshots every `every` steps after `warm_up` steps. The moments are pooled over the
// snapshots of each of 10 blocks before the kurtosis is formed: the sample kurtosis of n numbers is biased by about
// -6 / n, which for the 200 components of one snapshot's 100 N atoms would be -0.03, and over a block's 10,000 is
// -0.0006.
std::array<ElementVelocities, kElementCount> velocity_statistics(const SimulationConfig& config, int64_t warm_up,
                                                                 int64_t every, int snapshots) {
  constexpr int kBlocks = 10;
  Simulation sim(config, 2);
  EXPECT_FALSE(sim.advance(warm_up));
  std::array<std::array<double, kBlocks>, kElementCount> sum2{}, sum4{}, count{};
  for (int k = 0; k < snapshots; ++k) {
    EXPECT_FALSE(sim.advance(every));
    const Snapshot snap = sim.snapshot();
    const int block = k * kBlocks / snapshots;
    for (size_t atom = 0; atom < snap.types.size(); ++atom) {
      const double scale = std::sqrt(element_mass(static_cast<Element>(snap.types[atom])) / config.bath_kT());
      for (int axis = 0; axis < 2; ++axis) {
        const double z2 = std::pow(snap.velocities[2 * atom + axis] * scale, 2);
        sum2[snap.types[atom]][block] += z2;
        sum4[snap.types[atom]][block] += z2 * z2;
        count[snap.types[atom]][block] += 1;
      }
    }
  }
  std::array<ElementVelocities, kElementCount> out{};
  for (int e = 0; e < kElementCount; ++e) {
    if (count[e][0] == 0) continue;
    std::vector<double> variances, kurtoses;
    for (int b = 0; b < kBlocks; ++b) {
      const double m2 = sum2[e][b] / count[e][b];
      variances.push_back(m2);
      kurtoses.push_back(sum4[e][b] / count[e][b] / (m2 * m2) - 3.0);
    }
    out[e] = {block_mean(variances, kBlocks), block_mean(kurtoses, kBlocks)};
  }
  return out;
}

// Derivation: with Gaussian noise the O step maps a Gaussian velocity to a Gaussian one, so the standardised
// components of every element have excess kurtosis 0 (uniform noise gave -1.15 at friction 100, dt 0.02, where the O
// step replaces 87 % of the velocity by fresh noise each step). Friction 0.01 is the other extreme, where collisions
// rather than the bath shape the distribution. dt 0.02 is the largest step (reactions off: the bond bound). Tolerance:
// 4 standard errors of the block average over 500 snapshots every 20 steps; the precision check makes sure the test
// would see the uniform-noise defect. (The variance itself is BAOAB's, a fraction of a percent below kT / m at this dt,
// and not what this test is about.)
TEST(Thermostat, VelocitiesAreMaxwellBoltzmannPerElementAtTheFrictionAndDtExtremes) {
  for (double friction : {100.0, 0.01}) {
    SimulationConfig config = config_from(R"({"simulation_config": {"mode": "open_chemistry", "config": {
        "dt_fs": 1.6, "reactions": false, "seed": 11}}})");
    config.friction = friction;
    const auto stats = velocity_statistics(config, 5000, 20, 500);
    for (Element element : {Element::H, Element::C, Element::N, Element::O}) {
      const BlockMean& kurtosis = stats[element_index(element)].excess_kurtosis;
      std::printf("friction %g, dt 0.02, %s: excess kurtosis %.4f +- %.4f\n", friction,
                  std::string(element_symbol(element)).c_str(), kurtosis.mean, kurtosis.stderr_of_mean);
      ASSERT_LE(4.0 * kurtosis.stderr_of_mean, 0.2) << element_symbol(element);
      EXPECT_NEAR(kurtosis.mean, 0.0, 4.0 * kurtosis.stderr_of_mean)
          << "friction " << friction << ", " << element_symbol(element);
    }
  }
}

// Derivation: reaction moves obey detailed balance with respect to the bath's kT and never touch velocities, so
// bond formation heats nothing and the kinetic temperature is the bath's (the former rule drove it to 525 K). Measured
// in the default run (1000 atoms: the instantaneous T scatters by 300 / sqrt(1000) = 9.5 K) carried on to 20,000 steps
// for precision, every 100 steps after the first 2,000 (the relaxation of the grid start); tolerance 2 % as the issue
// states, after checking that 4 standard errors are below it.
TEST(Thermostat, DefaultReactiveRunHoldsTheBathTemperature) {
  SimulationConfig config = config_from(R"({"simulation_config": {"mode": "open_chemistry"}})");
  config.steps = 20000;
  Simulation sim(config, 2);
  std::vector<double> temperatures;
  while (sim.current_step() < config.steps) {
    EXPECT_FALSE(sim.advance(100));
    const MetricsRow row = sim.analyze();
    if (row.step > 2000) temperatures.push_back(row.temperature);
  }
  const BlockMean temperature = block_mean(temperatures);
  std::printf("default reactive run: mean T %.2f +- %.2f K (bath 300 K), %lld bonds at the end\n", temperature.mean,
              temperature.stderr_of_mean, static_cast<long long>(sim.metrics_history().back().n_bonds));
  ASSERT_LE(4.0 * temperature.stderr_of_mean, 0.02 * 300.0);
  EXPECT_NEAR(temperature.mean, 300.0, 0.02 * 300.0);
}

}  // namespace
}  // namespace live2::sim
