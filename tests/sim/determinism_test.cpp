// Bit-identical results for any thread count and across checkpoint/resume; corrupt or foreign checkpoints are refused.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstring>
#include <sstream>

#include "sim/simulation.h"

namespace live2::sim {
namespace {

SimulationConfig small_config() {
  // Hot energy source + reactions: exercises every code path that could depend on work order.
  ParseOutcome outcome = parse_params(boost::json::parse(R"({"simulation_config": {"mode": "open_chemistry",
      "config": {"num_particles": 500, "steps": 1000, "seed": 12345, "density": 0.6,
                 "energy_sources": [{"x": 0.5, "y": 0.5, "radius": 0.2, "temperature": 1500, "period_steps": 300,
                                     "duty": 0.5}]}}})"));
  EXPECT_TRUE(outcome.config);
  return *outcome.config;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void expect_identical(Simulation& a, Simulation& b) {
  const Snapshot sa = a.snapshot(), sb = b.snapshot();
  EXPECT_EQ(sa.step, sb.step);
  EXPECT_TRUE(same_bits(sa.positions, sb.positions));
  EXPECT_TRUE(same_bits(sa.velocities, sb.velocities));
  EXPECT_EQ(sa.bonds, sb.bonds);
  EXPECT_EQ(sa.molecule_ids, sb.molecule_ids);
  ASSERT_EQ(a.metrics_history().size(), b.metrics_history().size());
  for (size_t i = 0; i < a.metrics_history().size(); ++i) {
    const MetricsRow &ra = a.metrics_history()[i], &rb = b.metrics_history()[i];
    EXPECT_EQ(std::memcmp(&ra, &rb, sizeof ra), 0) << "row " << i;
  }
  // Each call builds the whole sorted table: taken once, not per row.
  const std::vector<SpeciesRecord> species_a = a.species(), species_b = b.species();
  ASSERT_EQ(species_a.size(), species_b.size());
  for (size_t i = 0; i < species_a.size(); ++i) {
    EXPECT_EQ(species_a[i].key, species_b[i].key);
    EXPECT_EQ(species_a[i].max_count, species_b[i].max_count);
  }
  const std::vector<ReactionRecord> reactions_a = a.reactions(), reactions_b = b.reactions();
  ASSERT_EQ(reactions_a.size(), reactions_b.size());
  for (size_t i = 0; i < reactions_a.size(); ++i) {
    EXPECT_EQ(reactions_a[i].equation, reactions_b[i].equation);
    EXPECT_EQ(reactions_a[i].count, reactions_b[i].count);
    EXPECT_EQ(reactions_a[i].recrossings, reactions_b[i].recrossings);
    EXPECT_EQ(reactions_a[i].first_step, reactions_b[i].first_step);
  }
  const std::vector<SpeciesCountRecord> ca = a.species_counts(), cb = b.species_counts();
  ASSERT_EQ(ca.size(), cb.size());
  for (size_t i = 0; i < ca.size(); ++i) {
    EXPECT_EQ(ca[i].step, cb[i].step);
    EXPECT_EQ(ca[i].key, cb[i].key);
    EXPECT_EQ(ca[i].count, cb[i].count);
  }
}

// Analyses at every multiple of 500 steps, wherever `sim` starts.
void run(Simulation& sim, int64_t until) {
  while (sim.current_step() < until) {
    ASSERT_FALSE(sim.advance(std::min<int64_t>(500 - sim.current_step() % 500, until - sim.current_step())));
    sim.analyze();
  }
}

TEST(Determinism, SameResultsOnOneTwoAndEightThreads) {
  const SimulationConfig config = small_config();
  Simulation one(config, 1), two(config, 2), eight(config, 8);
  for (Simulation* sim : {&one, &two, &eight}) run(*sim, config.steps);
  EXPECT_GT(one.metrics_history().back().n_bonds, 0);
  expect_identical(one, two);
  expect_identical(one, eight);
}

// Checkpoints at an analysis step (as the worker writes them periodically) and between two analyses (a stop at any
// step; the breaks still open to a recrossing are then part of the state); a different thread count on resume.
TEST(Determinism, ResumedRunIsBitIdenticalToAnUninterruptedOne) {
  const SimulationConfig config = small_config();
  Simulation straight(config, 1);
  run(straight, config.steps);

  Simulation first_half(config, 2);
  ASSERT_FALSE(first_half.advance(250));
  std::stringstream between_analyses;
  first_half.save_checkpoint(between_analyses);
  run(first_half, 500);  // the same analysis points (500, 1000) as the straight run
  std::stringstream at_analysis;
  first_half.save_checkpoint(at_analysis);

  for (std::stringstream* checkpoint : {&between_analyses, &at_analysis}) {
    auto loaded = Simulation::load_checkpoint(*checkpoint, config, 1);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    Simulation& resumed = **loaded;
    EXPECT_EQ(resumed.current_step(), checkpoint == &at_analysis ? 500 : 250);
    run(resumed, config.steps);
    expect_identical(straight, resumed);
  }
}

TEST(Determinism, CheckpointRefusesCorruptionAndOtherParameters) {
  const SimulationConfig config = small_config();
  Simulation sim(config, 1);
  ASSERT_FALSE(sim.advance(20));
  std::stringstream out;
  sim.save_checkpoint(out);
  const std::string bytes = out.str();

  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x01;
  std::istringstream corrupt(flipped);
  auto result = Simulation::load_checkpoint(corrupt, config, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::corrupt_payload);
  EXPECT_NE(result.error().message.find("checksum"), std::string::npos);

  std::istringstream truncated(bytes.substr(0, bytes.size() - 100));
  EXPECT_FALSE(Simulation::load_checkpoint(truncated, config, 1).ok());
  std::istringstream empty("");
  EXPECT_FALSE(Simulation::load_checkpoint(empty, config, 1).ok());

  SimulationConfig other = config;
  other.seed += 1;
  std::istringstream intact(bytes);
  result = Simulation::load_checkpoint(intact, other, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::invalid_input);
  EXPECT_NE(result.error().message.find("different parameters"), std::string::npos);
}

// A checkpoint of format version 3 (before bond orders: no orders in the bond graph) is refused by its version,
// whatever follows it; the worker then starts the run over.
TEST(Determinism, ACheckpointOfTheFormerFormatIsRefusedByItsVersion) {
  const SimulationConfig config = small_config();
  Simulation sim(config, 1);
  std::stringstream out;
  sim.save_checkpoint(out);
  std::string old_format = out.str();
  const uint32_t version_3 = 3;
  std::memcpy(old_format.data() + 8, &version_3, sizeof version_3);  // after the 8-byte magic "LIVE2CKP"
  std::istringstream in(old_format);
  const auto result = Simulation::load_checkpoint(in, config, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "unsupported checkpoint version 3 (this build reads version 5)");
}

}  // namespace
}  // namespace live2::sim

