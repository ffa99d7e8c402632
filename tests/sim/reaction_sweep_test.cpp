// The reaction sweep evaluates its tries ahead on the engine's threads, against the bond graph as each block of slots
// found it, and evaluates again any try an earlier accepted move could have changed. That speculation must give
// exactly the outcomes of taking each try at its turn on the current graph: checked against that reference on a hot,
// fast-reacting system where many accepted moves in one sweep touch the atoms of later tries.
#include <gtest/gtest.h>

#include <variant>
#include <vector>

#include "config_from.h"
#include "sim/engine.h"
#include "sim/initial_state.h"
#include "sim/reaction_rules.h"

namespace live2::sim {
namespace {

struct SweepRecord {
  std::vector<ReactionEvent> events;
  std::vector<std::pair<uint32_t, uint32_t>> final_bonds;
  int64_t tries = 0;
};

bool same_event(const ReactionEvent& a, const ReactionEvent& b) {
  if (a.index() != b.index()) return false;
  if (const auto* step = std::get_if<BondEvent>(&a)) {
    const BondEvent& other = std::get<BondEvent>(b);
    return step->a == other.a && step->b == other.b && step->order_before == other.order_before &&
           step->order_after == other.order_after;
  }
  const BondTransfer &x = std::get<BondTransfer>(a), &y = std::get<BondTransfer>(b);
  return x.pivot == y.pivot && x.from == y.from && x.to == y.to;
}

SweepRecord run_sweeps(const SimulationConfig& config, int threads, bool evaluate_ahead, int sweeps) {
  InitialState initial = build_initial_state(config);
  EngineSettings settings;
  settings.box_size = config.box_size();
  settings.dt = config.dt();
  settings.chemistry_scale = config.chemistry_scale;
  settings.seed = config.seed;
  settings.threads = threads;
  Engine engine(settings, std::move(initial.particles), std::move(initial.bonds));
  engine.relax_overlaps(200.0, 5000);
  const HeatBath bath(config.bath_kT());
  ReactionSettings moves = reaction_settings(config);
  moves.try_probability = 1.0;  // every pair, every sweep
  moves.evaluate_ahead = evaluate_ahead;
  SweepRecord record;
  for (int sweep = 0; sweep < sweeps; ++sweep) {
    for (int step = 0; step < 5; ++step) EXPECT_TRUE(engine.step(bath));
    record.tries += run_reaction_sweep(engine, bath, initial.element_of_atom, moves,
                                       [&](const ReactionEvent& event) { record.events.push_back(event); });
  }
  record.final_bonds = engine.bonds().sorted_bonds();
  return record;
}

TEST(ReactionSweep, EvaluatingAheadOnAnyThreadCountGivesTheOutcomesOfTryingOneAtATime) {
  // Shallow bonds, no barriers and 3,000 K: about one atom in ten takes part in an accepted move per sweep, so every
  // block (4,096 slots; two here) holds accepted moves whose atoms later tries read.
  const SimulationConfig config = testing::config_from(R"({"simulation_config": {"mode": "open_chemistry",
      "config": {"num_particles": 6000, "density": 0.5, "temperature": 3000, "chemistry_scale": 0.02,
                 "barrier_scale": 0, "dt_fs": 0.2, "seed": 77}}})");
  constexpr int kSweeps = 10;
  const SweepRecord reference = run_sweeps(config, 1, false, kSweeps);
  ASSERT_GT(reference.events.size(), size_t{kSweeps} * 6000 / 20) << "too few accepted moves to test the re-evaluation";
  for (int threads : {1, 2, 3}) {
    const SweepRecord ahead = run_sweeps(config, threads, true, kSweeps);
    EXPECT_EQ(ahead.tries, reference.tries) << threads << " threads";
    ASSERT_EQ(ahead.events.size(), reference.events.size()) << threads << " threads";
    size_t differing = 0;
    for (size_t k = 0; k < ahead.events.size(); ++k)
      differing += same_event(ahead.events[k], reference.events[k]) ? 0 : 1;
    EXPECT_EQ(differing, 0u) << threads << " threads";
    EXPECT_EQ(ahead.final_bonds, reference.final_bonds) << threads << " threads";
  }
}

}  // namespace
}  // namespace live2::sim
