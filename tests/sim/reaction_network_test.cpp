// The reaction network against the species counts it must explain: on a small reacting run every reaction balances
// the atoms of each element, the counted reactions account exactly for every species' change between the first and the
// last analysis, and every move is either one counted reaction or half of a recrossing. Molecule ids agree with the
// bonds.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "config_from.h"
#include "sim/simulation.h"

namespace live2::sim {
namespace {

using testing::config_from;

// Element counts of a species key "C2H6O#0123..." (its Hill formula before the '#').
std::map<char, int64_t> atoms_of_key(const std::string& key) {
  std::map<char, int64_t> counts;
  const std::string formula = key.substr(0, key.find('#'));
  for (size_t i = 0; i < formula.size();) {
    const char element = formula[i++];
    int64_t n = 0;
    while (i < formula.size() && std::isdigit(static_cast<unsigned char>(formula[i]))) n = 10 * n + (formula[i++] - '0');
    counts[element] += n == 0 ? 1 : n;
  }
  return counts;
}

std::map<char, int64_t> atoms_of_side(const std::vector<std::string>& keys) {
  std::map<char, int64_t> total;
  for (const std::string& key : keys) {
    for (const auto& [element, n] : atoms_of_key(key)) total[element] += n;
  }
  return total;
}

class ReactionNetwork : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Hot enough that bonds break and re-form often within an analysis interval (recrossings) and between them.
    const SimulationConfig config = config_from(R"({"simulation_config": {"mode": "open_chemistry", "config": {
        "num_particles": 400, "steps": 3000, "seed": 5, "temperature": 450, "analysis_interval": 100}}})");
    sim_ = std::make_unique<Simulation>(config, 2);
    sim_->analyze();
    while (sim_->current_step() < config.steps) {
      ASSERT_FALSE(sim_->advance(config.analysis_interval));
      sim_->analyze();
    }
  }
  static void TearDownTestSuite() { sim_.reset(); }
  static inline std::unique_ptr<Simulation> sim_;
};

TEST_F(ReactionNetwork, EveryReactionBalancesTheAtomsOfEachElement) {
  const std::vector<ReactionRecord> reactions = sim_->reactions();
  ASSERT_GT(reactions.size(), 20u);
  for (const ReactionRecord& r : reactions) {
    EXPECT_EQ(atoms_of_side(r.reactants), atoms_of_side(r.products)) << r.equation;
    EXPECT_FALSE(r.reactants.empty());
    // One bond joins two molecules or splits one; a transfer takes one or two molecules to one or two.
    EXPECT_LE(r.reactants.size(), 2u) << r.equation;
    EXPECT_LE(r.products.size(), 2u) << r.equation;
  }
}

TEST_F(ReactionNetwork, CountedReactionsAccountForEverySpeciesChange) {
  std::map<std::string, int64_t> first, last;
  const std::vector<SpeciesCountRecord> counts = sim_->species_counts();
  ASSERT_FALSE(counts.empty());
  const int64_t first_step = 0, last_step = counts.back().step;  // from atoms: no species at step 0, no rows
  ASSERT_EQ(last_step, 3000);
  for (const SpeciesCountRecord& row : counts) {
    if (row.step == first_step) first[row.key] = row.count;
    if (row.step == last_step) last[row.key] = row.count;
    EXPECT_DOUBLE_EQ(row.time, static_cast<double>(row.step) * sim_->config().dt());
  }
  std::map<std::string, int64_t> net;
  for (const ReactionRecord& r : sim_->reactions()) {
    for (const std::string& key : r.reactants) net[key] -= r.count;
    for (const std::string& key : r.products) net[key] += r.count;
  }
  std::set<std::string> keys;
  for (const auto* table : {&first, &last, &net}) {
    for (const auto& [key, n] : *table) keys.insert(key);
  }
  // Lone atoms are no species: their count is not in the series, and reactions that make or use them balance the rest.
  for (const std::string& key : keys) {
    if (atoms_of_key(key).size() == 1 && atoms_of_key(key).begin()->second == 1) continue;
    EXPECT_EQ(last[key] - first[key], net[key]) << key;
  }
}

// A transfer breaks one bond and forms one (both in the metrics) but is one reaction, so the bond events are the
// counted reactions, two per recrossing, and one more per transfer.
TEST_F(ReactionNetwork, EveryMoveIsACountedReactionOrHalfARecrossing) {
  int64_t events = sim_->bond_order_changes(), counted = 0, recrossings = 0;
  for (const MetricsRow& row : sim_->metrics_history()) events += row.bonds_formed + row.bonds_broken;
  for (const ReactionRecord& r : sim_->reactions()) {
    counted += r.count;
    recrossings += r.recrossings;
  }
  EXPECT_GT(recrossings, 0) << "a hot run re-forms bonds it has just broken";
  EXPECT_GT(sim_->bond_order_changes(), 0) << "C, N and O raise and lower bond orders";
  EXPECT_GT(sim_->bond_transfers(), 0) << "single bonds move between partners";
  EXPECT_EQ(events, counted + 2 * recrossings + sim_->bond_transfers());
  // Only a transfer takes two molecules to two (A-B + C -> A + B-C): it is recorded as one reaction, not as a break
  // and a formation with a made-up intermediate between them.
  int64_t two_to_two = 0;
  for (const ReactionRecord& r : sim_->reactions()) {
    two_to_two += r.reactants.size() == 2 && r.products.size() == 2 ? r.count : 0;
  }
  EXPECT_GT(two_to_two, 0);
}

TEST_F(ReactionNetwork, MoleculeIdsFollowTheBonds) {
  const Snapshot snap = sim_->snapshot();
  ASSERT_EQ(snap.molecule_ids.size(), snap.types.size());
  for (size_t i = 0; i < snap.bonds.size(); i += 2) {
    EXPECT_EQ(snap.molecule_ids[snap.bonds[i]], snap.molecule_ids[snap.bonds[i + 1]]);
  }
  // Numbered 0, 1, ... in the order of each molecule's lowest atom id.
  uint32_t next = 0;
  for (uint32_t id : snap.molecule_ids) {
    ASSERT_LE(id, next);
    if (id == next) ++next;
  }
  int64_t lone = 0;
  std::vector<int> degree(snap.types.size(), 0);
  for (uint32_t atom : snap.bonds) ++degree[atom];
  for (int d : degree) lone += d == 0 ? 1 : 0;
  EXPECT_EQ(static_cast<int64_t>(next), sim_->metrics_history().back().n_molecules + lone);
}

}  // namespace
}  // namespace live2::sim
