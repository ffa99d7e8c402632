// Constant-energy mode (thermostat false): BAOAB without friction is velocity Verlet, and the reaction moves use the
// microcanonical acceptance and rescale the velocities, so K + U is unchanged by every sweep. The energy error is then
// the integrator's alone: the same with and without reactions, and second order in dt.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "block_average.h"
#include "sim/engine.h"
#include "sim/initial_state.h"
#include "sim/reaction_rules.h"
#include "sim/simulation.h"
#include "sim/units.h"

namespace live2::sim {
namespace {

SimulationConfig miller_urey(double dt, bool reactions) {
  ParseOutcome outcome = parse_params(boost::json::parse(R"({"simulation_config": {"mode": "preset_prebiotic",
      "config": {"num_particles": 400, "density": 0.3, "thermostat": false, "seed": 3}}})"));
  EXPECT_TRUE(outcome.config);
  SimulationConfig config = *outcome.config;
  config.dt_fs = dt * kFemtosecondsPerTimeUnit;
  config.reactions = reactions;
  return config;
}

struct EnergyRecord {
  // Mean absolute deviation of E / N from its mean within windows of 0.5 time units (every step), averaged over the
  // windows: the integrator's fluctuation about its shadow energy, without the slow wander of that energy itself.
  // (The absolute deviation rather than the variance: rare hard collisions give the squared deviation a tail that
  // needs ten times the run length for the same precision.)
  testing::BlockMean fluctuation;
  double drift_per_atom = 0.0;      // (E(end) - E(start)) / N
  double worst_sweep_change = 0.0;  // largest |E after - E before| of one reaction sweep
  double energy = 0.0;              // E at the start
  int64_t bond_events = 0;
};

EnergyRecord run_constant_energy(double dt, bool reactions, double time_units) {
  const SimulationConfig config = miller_urey(dt, reactions);
  InitialState initial = build_initial_state(config);
  EngineSettings settings;
  settings.box_size = config.box_size();
  settings.dt = dt;
  settings.friction = 0.0;
  settings.seed = config.seed;
  settings.threads = 1;
  Engine engine(settings, std::move(initial.particles), std::move(initial.bonds));
  engine.relax_overlaps(200.0, 5000);
  const HeatBath bath(config.bath_kT());
  const ReactionSettings moves = reaction_settings(config);
  const auto energy = [&] { return engine.kinetic_energy() + engine.potential_energy().total(); };
  const auto steps = static_cast<int64_t>(std::llround(time_units / dt));
  EnergyRecord record;
  record.energy = energy();
  std::vector<double> energies;
  for (int64_t s = 0; s < steps; ++s) {
    EXPECT_TRUE(engine.step(bath));
    if (reactions && sweep_due(moves, engine.step_index())) {
      const double before = energy();
      run_reaction_sweep(engine, bath, initial.element_of_atom, moves,
                         [&](const ReactionEvent&) { ++record.bond_events; });
      record.worst_sweep_change = std::max(record.worst_sweep_change, std::fabs(energy() - before));
    }
    energies.push_back(energy() / static_cast<double>(config.num_particles));
  }
  record.drift_per_atom = energies.back() - record.energy / static_cast<double>(config.num_particles);
  const auto window = static_cast<size_t>(std::llround(0.5 / dt));
  std::vector<double> deviations;
  for (size_t begin = 0; begin + window <= energies.size(); begin += window) {
    double mean = 0.0, deviation = 0.0;
    for (size_t k = begin; k < begin + window; ++k) mean += energies[k] / static_cast<double>(window);
    for (size_t k = begin; k < begin + window; ++k) deviation += std::fabs(energies[k] - mean);
    deviations.push_back(deviation / static_cast<double>(window));
  }
  record.fluctuation = testing::block_mean(deviations);
  return record;
}

// Ratio of two block means with its standard error (independent runs: relative errors add in quadrature).
testing::BlockMean ratio(const testing::BlockMean& a, const testing::BlockMean& b) {
  const double r = a.mean / b.mean;
  return {r, r * std::hypot(a.stderr_of_mean / a.mean, b.stderr_of_mean / b.mean)};
}

// Derivation: velocity Verlet conserves a shadow Hamiltonian H~ = H + O(dt^2), so E = K + U fluctuates about it with
// an amplitude proportional to dt^2 (here dominated by the bond vibrations, omega dt <= 0.11, so the O(dt^4)
// correction is about 1 %): halving dt divides the fluctuation by 4 (by 2 if it were first order). A reaction sweep
// changes U by dU and the rescaled velocities K by -dU, so E is unchanged up to rounding (checked per sweep to 1e-10 of
// |E|), and the fluctuation with reactions is that of the integrator on the same kind of state: equal to the run
// without reactions from the same start within the statistical error. Tolerances: 4 standard errors of the block
// averages over the windows (40 time units: 80 windows of 0.5, each some 20 periods of the slowest bond).
TEST(ConstantEnergy, ReactionsAddNoDriftAndTheIntegratorErrorIsSecondOrderInDt) {
  const EnergyRecord coarse = run_constant_energy(0.004, true, 40.0);
  const EnergyRecord fine = run_constant_energy(0.002, true, 40.0);
  const EnergyRecord coarse_without = run_constant_energy(0.004, false, 40.0);
  const EnergyRecord fine_without = run_constant_energy(0.002, false, 40.0);
  for (const EnergyRecord* r : {&coarse, &fine}) {
    EXPECT_GT(r->bond_events, 50);  // the moves did change the bond graph
    EXPECT_LE(r->worst_sweep_change, 1e-10 * std::fabs(r->energy));
  }
  const testing::BlockMean scaling = ratio(coarse.fluctuation, fine.fluctuation);
  const testing::BlockMean scaling_without = ratio(coarse_without.fluctuation, fine_without.fluctuation);
  const testing::BlockMean with_vs_without = ratio(coarse.fluctuation, coarse_without.fluctuation);
  std::printf("E fluctuation per atom: dt 0.004 %.3g +- %.2g (without reactions %.3g +- %.2g), dt 0.002 %.3g +- %.2g "
              "(without %.3g +- %.2g); halving dt divides it by %.2f +- %.2f (without reactions %.2f +- %.2f); with / "
              "without reactions at dt 0.004: %.3f +- %.3f; E(end) - E(start) per atom at dt 0.004 %.2g (without %.2g), at 0.002 %.2g "
              "(without %.2g)\n",
              coarse.fluctuation.mean, coarse.fluctuation.stderr_of_mean, coarse_without.fluctuation.mean,
              coarse_without.fluctuation.stderr_of_mean, fine.fluctuation.mean, fine.fluctuation.stderr_of_mean,
              fine_without.fluctuation.mean, fine_without.fluctuation.stderr_of_mean, scaling.mean,
              scaling.stderr_of_mean, scaling_without.mean, scaling_without.stderr_of_mean, with_vs_without.mean,
              with_vs_without.stderr_of_mean, coarse.drift_per_atom, coarse_without.drift_per_atom, fine.drift_per_atom,
              fine_without.drift_per_atom);
  ASSERT_LE(4.0 * scaling.stderr_of_mean, 2.0) << "too noisy to tell dt^2 (4x) from dt (2x)";
  EXPECT_NEAR(scaling.mean, 4.0, 4.0 * scaling.stderr_of_mean);
  EXPECT_NEAR(scaling_without.mean, 4.0, 4.0 * scaling_without.stderr_of_mean);
  ASSERT_LE(4.0 * with_vs_without.stderr_of_mean, 0.5) << "too noisy to compare with and without reactions";
  EXPECT_NEAR(with_vs_without.mean, 1.0, 4.0 * with_vs_without.stderr_of_mean);
}

// The same through the parameters a job gives: thermostat false reaches the engine as friction 0 and the reaction moves
// as microcanonical (at dt 0.005 and chemistry scale 1/30, where bonds turn over within the run). Measured from step
// 100: the first steps leave the preset's relaxed but strained start (forces up to 200), where Verlet's error is
// largest. Derivation of the bound: the integrator's fluctuation at dt 0.005 is (0.005 / 0.004)^2 x 3.8e-5 = 6e-5 per
// atom about its window mean (test above) and its slow wander reached 1.4e-4 per atom in 40 time units, so E stays
// within about 5e-4 per atom of its value at step 100; 1e-3 per atom is still 50x below what a bath would change (K
// alone scatters by kT / sqrt(N) = 0.05 per atom at 400 atoms) and D ~ 5 per bond event without the rescaling.
TEST(ConstantEnergy, ThermostatFalseKeepsTheTotalEnergyOfAReactiveRun) {
  ParseOutcome outcome = parse_params(boost::json::parse(R"({"simulation_config": {"mode": "preset_prebiotic",
      "config": {"num_particles": 400, "density": 0.3, "thermostat": false, "steps": 4000, "seed": 3, "dt_fs": 0.4,
      "chemistry_scale": 0.03333333333333333}}})"));
  ASSERT_TRUE(outcome.config);
  Simulation sim(*outcome.config, 2);
  ASSERT_FALSE(sim.advance(100));
  const MetricsRow first = sim.analyze();
  int64_t events = 0;
  double worst = 0.0;
  while (sim.current_step() < outcome.config->steps) {
    ASSERT_FALSE(sim.advance(100));
    const MetricsRow row = sim.analyze();
    events += row.bonds_formed + row.bonds_broken;
    worst = std::max(worst, std::fabs(row.kinetic_energy + row.potential_energy - first.kinetic_energy -
                                      first.potential_energy) / 400.0);
  }
  std::printf("constant-energy run: %lld bond events, largest |E - E0| per atom %.3g\n", static_cast<long long>(events),
              worst);
  EXPECT_GT(events, 20);
  EXPECT_LT(worst, 1e-3);
}

}  // namespace
}  // namespace live2::sim
