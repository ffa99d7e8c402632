// Numerical instability: positions that are NaN, infinite or far outside the box never index outside the cell lists,
// and a run that blows up stops at a step, the same for any thread count, with a sentence naming dt and temperature.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sim/engine.h"
#include "sim/simulation.h"
#include "sim/units.h"

namespace live2::sim {
namespace {

ParticleArrays grid(size_t side, double spacing) {
  ParticleArrays p;
  p.resize(side * side);
  for (size_t i = 0; i < p.size(); ++i) {
    p.x[i] = (static_cast<double>(i % side) + 0.5) * spacing;
    p.y[i] = (static_cast<double>(i / side) + 0.5) * spacing;
    p.inv_mass[i] = 1.0;
  }
  return p;
}

TEST(Stability, AnyPositionFallsIntoSomeCell) {
  const size_t side = 10;
  const double spacing = 1.5;
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(), 1e300, -1e300, 3e9, -3e9}) {
    ParticleArrays p = grid(side, spacing);
    p.x[17] = bad;
    p.y[42] = bad;
    EngineSettings settings;
    settings.box_size = side * spacing;
    settings.threads = 2;
    // Building the lists sorts every atom into a cell: before the clamp, NaN became cell INT_MIN and this crashed.
    Engine engine(settings, std::move(p), BondGraph{});
    EXPECT_EQ(engine.neighbors().rebuilds(), 1) << bad;
  }
}

TEST(Stability, ANonFinitePositionStopsTheStep) {
  ParticleArrays p = grid(10, 1.5);
  p.x[3] = std::numeric_limits<double>::quiet_NaN();
  EngineSettings settings;
  settings.box_size = 15.0;
  Engine engine(settings, std::move(p), BondGraph{});
  EXPECT_FALSE(engine.step(HeatBath(1.0)));
  EXPECT_EQ(engine.step_index(), 1);
}

TEST(Stability, AHealthyStepPasses) {
  EngineSettings settings;
  settings.box_size = 15.0;
  Engine engine(settings, grid(10, 1.5), BondGraph{});
  for (int s = 0; s < 100; ++s) ASSERT_TRUE(engine.step(HeatBath(1.0)));
}

// The crashing parameters, built without the validator (which now refuses them): the run must stop with the
// instability, not crash, and stop at the same step for any thread count.
SimulationConfig crashing_config() {
  SimulationConfig config;
  config.num_particles = 500;
  config.steps = 3000;
  config.temperature = 5000;
  config.dt_fs = 0.02 * kFemtosecondsPerTimeUnit;
  config.composition[element_index(Element::H)] = 0.5;
  config.composition[element_index(Element::C)] = 0.2;
  config.composition[element_index(Element::N)] = 0.1;
  config.composition[element_index(Element::O)] = 0.2;
  return config;
}

TEST(Stability, AnUnstableRunStopsAtTheSameStepOnAnyThreadCount) {
  std::optional<Instability> first;
  for (int threads : {1, 2, 3}) {
    Simulation sim(crashing_config(), threads);
    const std::optional<Instability> unstable = sim.advance(3000);
    ASSERT_TRUE(unstable) << threads << " threads";
    EXPECT_LT(unstable->step, 3000);
    EXPECT_EQ(unstable->step, sim.current_step());
    if (!first) {
      first = unstable;
      EXPECT_EQ(unstable->message, "unstable at step " + std::to_string(unstable->step) +
                                       ": atoms moved more than 0.5 sigma in one step; lower dt_fs (now 1.6) or "
                                       "temperature (now 5000 K)");
    } else {
      EXPECT_EQ(unstable->step, first->step) << threads << " threads";
    }
  }
}

TEST(Stability, AHotEnergySourceIsNamedWhenItIsTheHottestBath) {
  SimulationConfig config = crashing_config();
  config.temperature = 300;
  config.energy_sources = {{0.5, 0.5, 0.5, 5000.0, 0, 1.0}};
  Simulation sim(config, 1);
  const std::optional<Instability> unstable = sim.advance(3000);
  ASSERT_TRUE(unstable);
  EXPECT_TRUE(unstable->message.ends_with("lower dt_fs (now 1.6) or the energy sources' temperature (hottest 5000 K)"))
      << unstable->message;
}

}  // namespace
}  // namespace live2::sim
