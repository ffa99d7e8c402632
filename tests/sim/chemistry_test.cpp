// The chemistry end to end on the default open_chemistry run (1000 atoms, 10,000 steps): valence is never exceeded,
// equations balance, the run keeps hundreds of molecules and dozens of species turning over, heat breaks more bonds,
// and presets start from their molecules.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <sstream>

#include "config_from.h"
#include "sim/simulation.h"

namespace live2::sim {
namespace {

using testing::config_from;
// Element counts of one side of "A + B2C -> ...".
std::map<char, int> atoms_of_side(const std::string& side) {
  std::map<char, int> counts;
  std::istringstream terms(side);
  std::string term;
  while (terms >> term) {
    if (term == "+") continue;
    for (size_t i = 0; i < term.size();) {
      const char element = term[i++];
      int n = 0;
      while (i < term.size() && std::isdigit(term[i])) n = 10 * n + (term[i++] - '0');
      counts[element] += n == 0 ? 1 : n;
    }
  }
  return counts;
}

// The sum of an atom's bond orders never exceeds its valence.
void expect_valence_respected(const Snapshot& snap) {
  std::vector<int> used(snap.types.size(), 0);
  for (size_t b = 0; b < snap.bond_orders.size(); ++b) {
    used[snap.bonds[2 * b]] += snap.bond_orders[b];
    used[snap.bonds[2 * b + 1]] += snap.bond_orders[b];
  }
  for (size_t i = 0; i < used.size(); ++i) {
    ASSERT_LE(used[i], element_valence(static_cast<Element>(snap.types[i]))) << "atom " << i;
  }
}

struct RunSummary {
  std::vector<MetricsRow> rows;
  std::vector<ReactionRecord> reactions;
  int64_t broken = 0;
};

RunSummary run_default(double temperature) {
  SimulationConfig config = config_from(R"({"simulation_config": {"mode": "open_chemistry"}})");
  config.temperature = temperature;
  Simulation sim(config, 1);
  sim.analyze();
  RunSummary summary;
  while (sim.current_step() < config.steps) {
    EXPECT_FALSE(sim.advance(1000));
    summary.rows.push_back(sim.analyze());
    summary.broken += summary.rows.back().bonds_broken;
    expect_valence_respected(sim.snapshot());
  }
  summary.reactions = sim.reactions();
  return summary;
}

TEST(Chemistry, DefaultRunMakesManyMoleculesAndSpeciesAndKeepsTurningOver) {
  const RunSummary run = run_default(300.0);
  const MetricsRow& last = run.rows.back();
  EXPECT_GE(last.n_molecules, 100);
  EXPECT_GE(last.n_species, 24);
  // The last 3,000 steps (2.4 ps) still react: 39 bonds form and 39 break there in the default run; more than 20 each
  // is 3 Poisson standard deviations below that, and far above a frozen model's 0.
  int64_t late_formed = 0, late_broken = 0;
  for (size_t i = run.rows.size() - 3; i < run.rows.size(); ++i) {
    late_formed += run.rows[i].bonds_formed;
    late_broken += run.rows[i].bonds_broken;
  }
  EXPECT_GT(late_formed, 20);
  EXPECT_GT(late_broken, 20);
  ASSERT_FALSE(run.reactions.empty());
  for (const ReactionRecord& r : run.reactions) {
    const size_t arrow = r.formula_equation.find(" -> ");
    ASSERT_NE(arrow, std::string::npos) << r.formula_equation;
    EXPECT_EQ(atoms_of_side(r.formula_equation.substr(0, arrow)), atoms_of_side(r.formula_equation.substr(arrow + 4)))
        << r.formula_equation;
    EXPECT_GT(r.count + r.recrossings, 0);
  }
  for (size_t i = 1; i < run.reactions.size(); ++i) EXPECT_GE(run.reactions[i - 1].count, run.reactions[i].count);

  const RunSummary hot = run_default(600.0);
  EXPECT_GT(hot.broken, 2 * run.broken);
}

TEST(Chemistry, PresetStartsFromItsMolecules) {
  SimulationConfig config = config_from(R"({"simulation_config": {"mode": "preset_prebiotic", "config": {
      "num_particles": 400, "steps": 100}}})");
  Simulation sim(config, 1);
  const MetricsRow first = sim.analyze();
  std::map<std::string, int64_t> formulas;
  for (const SpeciesRecord& s : sim.species()) formulas[s.formula] = s.final_count;
  EXPECT_GT(formulas["CH4"], 0);
  EXPECT_GT(formulas["H3N"], 0);
  EXPECT_GT(formulas["H2O"], 0);
  EXPECT_GT(formulas["H2"], 0);
  EXPECT_EQ(first.n_species, 4);
  expect_valence_respected(sim.snapshot());
  ASSERT_FALSE(sim.advance(100));
  EXPECT_EQ(sim.analyze().step, 100);

  for (std::string_view preset : {"hydrothermal", "formamide"}) {
    SimulationConfig other = config;
    other.preset = preset;
    Simulation s(other, 1);
    s.analyze();
    std::map<std::string, int64_t> found;
    for (const SpeciesRecord& r : s.species()) found[r.formula] = r.final_count;
    EXPECT_GT(found["H2O"], 0) << preset;
    EXPECT_GT(preset == "formamide" ? found["CH3NO"] : found["CO2"], 0) << preset;
  }
}

TEST(Chemistry, ReactionsOffMeansNoBondChanges) {
  SimulationConfig config = config_from(R"({"simulation_config": {"mode": "preset_prebiotic", "config": {
      "num_particles": 300, "reactions": false}}})");
  Simulation sim(config, 1);
  const int64_t bonds = sim.analyze().n_bonds;
  ASSERT_FALSE(sim.advance(500));
  const MetricsRow row = sim.analyze();
  EXPECT_EQ(row.n_bonds, bonds);
  EXPECT_EQ(row.bonds_formed + row.bonds_broken, 0);
  EXPECT_TRUE(sim.reactions().empty());
}

}  // namespace
}  // namespace live2::sim
