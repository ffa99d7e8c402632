// The reaction sweep evaluates its tries ahead on the engine's threads, against the bond graph as each block of slots
// found it, and evaluates again any try an earlier accepted move could have changed. That speculation must give
// exactly the outcomes of taking each try at its turn on the current graph: checked against that reference on a hot,
// fast-reacting system where many accepted moves in one sweep touch the atoms of later tries. The same system checks
// that the pairs the force pass marks in reach give exactly the outcomes of scanning every neighbour list.
#include <gtest/gtest.h>

#include <string>
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

SweepRecord run_sweeps(const SimulationConfig& config, int threads, bool evaluate_ahead, bool marked, int sweeps) {
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
  ReachMarks reach = reaction_reach(engine.force_field(), moves);
  ReachMarks* marks = marked ? &reach : nullptr;
  SweepRecord record;
  for (int sweep = 0; sweep < sweeps; ++sweep) {
    for (int step = 0; step < 4; ++step) EXPECT_TRUE(engine.step(bath));
    EXPECT_TRUE(engine.step(bath, marks));
    record.tries += run_reaction_sweep(
        engine, bath, initial.element_of_atom, moves,
        [&](const ReactionEvent& event) { record.events.push_back(event); }, marks);
  }
  record.final_bonds = engine.bonds().sorted_bonds();
  return record;
}

void expect_same_sweeps(const SweepRecord& record, const SweepRecord& reference, const std::string& what) {
  EXPECT_EQ(record.tries, reference.tries) << what;
  ASSERT_EQ(record.events.size(), reference.events.size()) << what;
  size_t differing = 0;
  for (size_t k = 0; k < record.events.size(); ++k)
    differing += same_event(record.events[k], reference.events[k]) ? 0 : 1;
  EXPECT_EQ(differing, 0u) << what;
  EXPECT_EQ(record.final_bonds, reference.final_bonds) << what;
}

// Shallow bonds, no barriers and 3,000 K: about one atom in ten takes part in an accepted move per sweep, so every
// block (4,096 slots; two here) holds accepted moves whose atoms later tries read.
SimulationConfig hot_fast_reacting_system() {
  return testing::config_from(R"({"simulation_config": {"mode": "open_chemistry",
      "config": {"num_particles": 6000, "density": 0.5, "temperature": 3000, "chemistry_scale": 0.02,
                 "barrier_scale": 0, "dt_fs": 0.2, "seed": 77}}})");
}

constexpr int kSweeps = 10;

TEST(ReactionSweep, EvaluatingAheadOnAnyThreadCountGivesTheOutcomesOfTryingOneAtATime) {
  const SimulationConfig config = hot_fast_reacting_system();
  const SweepRecord reference = run_sweeps(config, 1, false, false, kSweeps);
  ASSERT_GT(reference.events.size(), size_t{kSweeps} * 6000 / 20) << "too few accepted moves to test the re-evaluation";
  for (int threads : {1, 2, 3}) {
    expect_same_sweeps(run_sweeps(config, threads, true, false, kSweeps), reference,
                       std::to_string(threads) + " threads");
  }
}

TEST(ReactionSweep, PairsMarkedByTheForcePassGiveTheOutcomesOfScanningEveryList) {
  // The sweep holds each marked entry to its exact capture radius, so only an entry in reach left unmarked could
  // change anything: a pair never tried, or a transfer counting and drawing from too few atoms.
  const SimulationConfig config = hot_fast_reacting_system();
  const SweepRecord reference = run_sweeps(config, 2, true, false, kSweeps);
  for (int threads : {1, 2}) {
    expect_same_sweeps(run_sweeps(config, threads, true, true, kSweeps), reference,
                       std::to_string(threads) + " threads, marked");
  }
}

}  // namespace
}  // namespace live2::sim
