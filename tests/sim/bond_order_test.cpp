// Bond orders and angles (issue 15, item 1): closed-shell molecules form from atoms and survive at 300 K, the order
// moves obey detailed balance, and the default run ends with few radicals and few 3-membered rings while bonds still
// break. Molecules are read from snapshots (bonds with their orders), as a chemist reading results.h5 would.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <map>
#include <set>
#include <string>

#include "block_average.h"
#include "config_from.h"
#include "sim/force_field.h"
#include "sim/molecule_graph.h"
#include "sim/reaction_table.h"
#include "sim/simulation.h"

namespace live2::sim {
namespace {

using testing::config_from;

struct MoleculeView {
  std::string formula;
  bool closed_shell = true;  // every atom's bond orders sum to its valence
  int valence_sum = 0;       // odd: an odd number of electrons, whatever the bond orders
};

// The molecules (two or more atoms) of a snapshot.
std::vector<MoleculeView> molecules_of(const Snapshot& snap) {
  const size_t n = snap.types.size();
  std::vector<int> used(n, 0);
  for (size_t b = 0; b < snap.bond_orders.size(); ++b) {
    used[snap.bonds[2 * b]] += snap.bond_orders[b];
    used[snap.bonds[2 * b + 1]] += snap.bond_orders[b];
  }
  std::map<uint32_t, std::vector<uint32_t>> members;
  for (uint32_t a = 0; a < n; ++a) members[snap.molecule_ids[a]].push_back(a);
  std::vector<MoleculeView> out;
  for (const auto& [id, atoms] : members) {
    if (atoms.size() < 2) continue;
    MoleculeView m;
    ElementCounts counts{};
    for (uint32_t a : atoms) {
      const auto e = static_cast<Element>(snap.types[a]);
      ++counts[element_index(e)];
      m.valence_sum += element_valence(e);
      m.closed_shell = m.closed_shell && used[a] == element_valence(e);
    }
    m.formula = hill_formula(counts);
    out.push_back(m);
  }
  return out;
}

// 3-membered rings and all independent rings (bonds - atoms + components, over bonded atoms) of a snapshot.
std::pair<int, int> three_rings_and_rings(const Snapshot& snap) {
  std::vector<std::set<uint32_t>> partners(snap.types.size());
  for (size_t b = 0; b + 1 < snap.bonds.size(); b += 2) {
    partners[snap.bonds[b]].insert(snap.bonds[b + 1]);
    partners[snap.bonds[b + 1]].insert(snap.bonds[b]);
  }
  int triangles = 0;
  for (size_t b = 0; b + 1 < snap.bonds.size(); b += 2) {
    const uint32_t x = snap.bonds[b], y = snap.bonds[b + 1];
    for (uint32_t z : partners[x]) triangles += (z > std::max(x, y) && partners[y].contains(z)) ? 1 : 0;
  }
  std::set<uint32_t> molecules;
  int bonded_atoms = 0;
  for (uint32_t a = 0; a < partners.size(); ++a) {
    if (partners[a].empty()) continue;
    ++bonded_atoms;
    molecules.insert(snap.molecule_ids[a]);
  }
  const int rings = static_cast<int>(snap.bonds.size() / 2) - bonded_atoms + static_cast<int>(molecules.size());
  return {triangles, rings};
}

// The default run (1,000 atoms H 0.5 C 0.2 N 0.1 O 0.2, 300 K, chemistry scale 1/10, 50,000 steps of 0.8 fs) against
// issue 15's targets: at most 15 % odd-electron molecules, at most 5 % of rings 3-membered, and bonds still break. The
// run is deterministic (seed 42), so the test measures exactly what a user's default job gives; other seeds end at
// 8.5-12.3 % (seeds 1-6, docs/simulation.md "Why the defaults"), so 15 % is not a seed's luck.
TEST(BondOrders, DefaultRunHasFewRadicalsAndThreeMemberedRingsAndStillBreaksBonds) {
  const SimulationConfig config = config_from(R"({"simulation_config": {"mode": "open_chemistry"}})");
  Simulation sim(config, 2);
  int64_t broken = 0;
  while (sim.current_step() < config.steps) {
    ASSERT_FALSE(sim.advance(config.analysis_interval));
    broken += sim.analyze().bonds_broken;
  }
  const Snapshot snap = sim.snapshot();
  const std::vector<MoleculeView> molecules = molecules_of(snap);
  int odd = 0;
  for (const MoleculeView& m : molecules) odd += m.valence_sum % 2;
  const auto [triangles, rings] = three_rings_and_rings(snap);
  const double odd_fraction = static_cast<double>(odd) / static_cast<double>(molecules.size());
  const double three_ring_fraction = rings > 0 ? static_cast<double>(triangles) / rings : 0.0;
  std::printf("molecules %zu, odd-electron %d (%.1f %%), rings %d, 3-membered %d (%.1f %%), bonds broken %lld\n",
              molecules.size(), odd, 100 * odd_fraction, rings, triangles, 100 * three_ring_fraction,
              static_cast<long long>(broken));
  EXPECT_LE(odd_fraction, 0.15);
  EXPECT_LE(three_ring_fraction, 0.05);
  EXPECT_GT(broken, 1000);  // a frozen model is not the goal
}

// A closed-shell molecule forms from atoms of the right composition and, once formed, mostly survives: of the
// closed-shell molecules present halfway through the run (600 atoms, 1,500 for the rarer H2CO; 6,000 steps at the
// default scale 1/10 and step), at least half are still there at the end, with the same heavy atoms and the same
// closed shell. Each at a temperature where the real molecule is stable at T / s: 300 K (real 3,000 K) for H2, H2O,
// N2 and CO2, 150 K (1,500 K) for HCN, 60 K (600 K) for CH4, NH3 and H2CO, which decompose at the higher ones as
// they do in reality (methane pyrolysis). Seeds 5-8 all pass, the fewest formed being 5 (H2CO) and 6 (CH4).
struct ClosedShellCase {
  const char* formula;
  const char* composition;
  double kelvin;
  int atoms = 600;
};

class ClosedShell : public ::testing::TestWithParam<ClosedShellCase> {};

// The closed-shell molecules of `formula` in a snapshot, each as the sorted ids of its atoms other than hydrogen (all
// its atoms if it has only hydrogen): a bond transfer may trade a hydrogen between two molecules (NH3 + NH2 -> NH2 +
// NH3) without either coming apart, so a molecule is the same while it keeps its heavy atoms.
std::set<std::vector<uint32_t>> closed_shell_molecules(const Snapshot& snap, const std::string& formula) {
  std::map<uint32_t, std::vector<uint32_t>> members;
  for (uint32_t a = 0; a < snap.types.size(); ++a) members[snap.molecule_ids[a]].push_back(a);
  const std::vector<MoleculeView> views = molecules_of(snap);
  std::set<std::vector<uint32_t>> out;
  size_t next = 0;
  for (const auto& [id, atoms] : members) {
    if (atoms.size() < 2) continue;
    const MoleculeView& view = views[next++];  // molecules_of walks the same map in the same order
    if (!view.closed_shell || view.formula != formula) continue;
    std::vector<uint32_t> heavy;
    for (uint32_t atom : atoms) {
      if (static_cast<Element>(snap.types[atom]) != Element::H) heavy.push_back(atom);
    }
    out.insert(heavy.empty() ? atoms : heavy);
  }
  return out;
}

TEST_P(ClosedShell, FormsFromAtomsAndSurvives) {
  const ClosedShellCase c = GetParam();
  const SimulationConfig config = config_from(
      std::string(R"({"simulation_config": {"mode": "open_chemistry", "config": {"steps": 6000, "num_particles": )") +
      std::to_string(c.atoms) + R"(, "temperature": )" + std::to_string(c.kelvin) + R"(, "seed": 5, "composition": )" + c.composition + "}}}");
  Simulation sim(config, 1);
  ASSERT_FALSE(sim.advance(config.steps / 2));
  const std::set<std::vector<uint32_t>> formed = closed_shell_molecules(sim.snapshot(), c.formula);
  ASSERT_FALSE(sim.advance(config.steps / 2));
  const std::set<std::vector<uint32_t>> later = closed_shell_molecules(sim.snapshot(), c.formula);
  int survived = 0;
  for (const std::vector<uint32_t>& molecule : formed) survived += later.contains(molecule) ? 1 : 0;
  std::printf("%s: %zu closed-shell at step %lld, %d of them still at %lld, %zu in all\n", c.formula, formed.size(),
              static_cast<long long>(config.steps / 2), survived, static_cast<long long>(config.steps),
              later.size());
  EXPECT_GE(formed.size(), 3u) << c.formula << " did not form";
  EXPECT_GE(2 * survived, static_cast<int>(formed.size())) << c.formula << " is not stable";
}

INSTANTIATE_TEST_SUITE_P(Species, ClosedShell,
                         ::testing::Values(ClosedShellCase{"H2", R"({"H": 1})", 300},
                                           ClosedShellCase{"H2O", R"({"H": 0.67, "O": 0.33})", 300},
                                           ClosedShellCase{"CH4", R"({"H": 0.8, "C": 0.2})", 60},
                                           ClosedShellCase{"H3N", R"({"H": 0.75, "N": 0.25})", 60},
                                           ClosedShellCase{"N2", R"({"N": 1})", 300},
                                           ClosedShellCase{"CO2", R"({"C": 0.33, "O": 0.67})", 300},
                                           ClosedShellCase{"CHN", R"({"H": 0.34, "C": 0.33, "N": 0.33})", 150},
                                           ClosedShellCase{"CH2O", R"({"H": 0.5, "C": 0.25, "O": 0.25})", 60, 1500}),
                         [](const ::testing::TestParamInfo<ClosedShellCase>& info) {
                           return std::string(info.param.formula);
                         });

// Detailed balance of the order moves: for an O-O pair that is a molecule of its own (O2), the ratio of time spent as
// O=O to time spent as O-O is the ratio of the two bonds' partition functions, Z_n = integral 2 pi r dr
// exp(-beta (-D_n + k/2 (r - r0_n)^2)) (no angle and no LJ term inside a dimer; the surroundings see the same two
// atoms either way), whatever the barriers and the proposal's Hastings factor. The scale is lowered so that the two
// states are comparably populated (D2 - D1 = 0.85 kT). The gas is thin (0.1 atoms per sigma^2) so that the dimers
// are nearly isolated: at 0.2 the shorter O=O packs better among its LJ neighbours and the ratio came out 5-7 % above
// the isolated dimer's (2.17-2.18 +- 0.02-0.04 over 600 time units; 4 sigma under the sanitizers' trajectory), a real
// effect of the fluid that the prediction leaves out; at 0.1 it is about 3 % (2.093 +- 0.071 and 2.095 +- 0.053 at
// seeds 11 and 12), inside the error. 800 atoms keep about as many dimers as 400 did at 0.2.
TEST(BondOrders, DoubleToSingleRatioOfO2IsTheRatioOfTheBondPartitionFunctions) {
  const SimulationConfig config = config_from(
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 800, "steps": 62000,
          "composition": {"O": 1}, "density": 0.1, "chemistry_scale": 0.006, "dt_fs": 0.8, "seed": 11}}})");
  const ForceFieldParams field = model_force_field(config.box_size(), 0.3, config.chemistry_scale);
  const double kT = config.temperature / 300.0;
  const int o = element_index(Element::O);
  const auto partition = [&](int order) {
    const int index = ForceFieldParams::bond_index(o, o, order);
    double z = 0.0;
    constexpr double kDr = 1e-4;
    for (double r = kDr / 2; r < 3.0; r += kDr) {
      const double stretch = r - field.bond_rest_length[index];
      z += 2.0 * std::numbers::pi * r * kDr *
           std::exp(-(0.5 * field.bond_stiffness * stretch * stretch - field.bond_depth[index]) / kT);
    }
    return z;
  };
  const double predicted = partition(2) / partition(1);

  Simulation sim(config, 1);
  ASSERT_FALSE(sim.advance(2000));  // start-up from atoms
  std::vector<double> doubles, singles;
  while (sim.current_step() < config.steps) {
    ASSERT_FALSE(sim.advance(10));
    const Snapshot snap = sim.snapshot();
    std::vector<int> degree(snap.types.size(), 0);
    for (uint32_t atom : snap.bonds) ++degree[atom];
    double n[3] = {0, 0, 0};
    for (size_t b = 0; b < snap.bond_orders.size(); ++b) {
      if (degree[snap.bonds[2 * b]] == 1 && degree[snap.bonds[2 * b + 1]] == 1) n[snap.bond_orders[b]] += 1;
    }
    singles.push_back(n[1]);
    doubles.push_back(n[2]);
  }
  const testing::BlockMean single = testing::block_mean(singles), twofold = testing::block_mean(doubles);
  const double ratio = twofold.mean / single.mean;
  // Error of a ratio of two means (first order; the two are anti-correlated, so this overestimates it).
  const double error = ratio * std::hypot(twofold.stderr_of_mean / twofold.mean, single.stderr_of_mean / single.mean);
  std::printf("O=O / O-O dimers: measured %.3f +- %.3f (%.1f and %.1f on average), predicted %.3f\n", ratio, error,
              twofold.mean, single.mean, predicted);
  // Precise enough to see a missing Hastings factor (a factor 2 on this ratio: O-O's ladder is 0, 1, 2).
  ASSERT_LE(4.0 * error, 0.25 * predicted) << "run too short to resolve 25 %";
  EXPECT_NEAR(ratio, predicted, 4.0 * error);
}

}  // namespace
}  // namespace live2::sim
