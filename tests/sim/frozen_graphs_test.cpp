// The reaction moves (order steps and bond transfers, docs/simulation.md "Reactions") keep the Boltzmann distribution
// of bond graphs on frozen positions, checked exactly: for 3 and 4 O atoms every valid bond graph G is enumerated with
// its weight exp(-U(G) / kT), independent samples G ~ pi are drawn from it, and one sweep moves each. pi is stationary
// iff, for every graph s, the expected number of samples that leave s equals the number that arrive; the samples are
// independent, so the net arrivals of s over N samples have standard error sqrt(arrivals + departures) (the multinomial
// error of the signed count), and a sweep that biased pi would show up as a net flow of many sigma.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "sim/engine.h"
#include "sim/heat_bath.h"
#include "sim/reaction_rules.h"

namespace live2::sim {
namespace {

struct FrozenCase {
  const char* name;
  std::vector<std::array<double, 2>> positions;  // sigma, in a box of 10
};

// O-O rest length about 1.2 sigma, capture radius 1.3 r0: pairs 1.1 apart are in reach, 2.2 and more are not.
const FrozenCase kCases[] = {
    {"Triangle", {{5.0, 5.0}, {6.1, 5.0}, {5.55, 5.95}}},
    {"LineThirdInReachOfTheMiddleOnly", {{5.0, 5.0}, {6.1, 5.0}, {7.2, 5.0}}},
    {"ThirdOutOfReach", {{5.0, 5.0}, {6.1, 5.0}, {8.5, 5.0}}},
    {"FourAtoms", {{5.0, 5.0}, {6.1, 5.0}, {5.55, 5.95}, {6.6, 5.9}}},
};

struct FlowCheck {
  double worst_z = 0.0;         // the largest |net arrivals| / standard error over graphs seen 100 times or more
  int64_t moved_samples = 0;    // samples whose sweep changed the graph
  int64_t transfers = 0;        // accepted bond transfers
};

// Samples from the graphs' weights at `sampling_kT` (the bath's kT is 1): 1 for the real check, another value for
// the check's own power.
FlowCheck check_flows(const FrozenCase& frozen, double chemistry_scale, double barrier_scale, double sampling_kT,
                      int64_t samples) {
  const int n = static_cast<int>(frozen.positions.size());
  ParticleArrays particles;
  particles.resize(n);
  for (int i = 0; i < n; ++i) {
    particles.x[i] = frozen.positions[i][0];
    particles.y[i] = frozen.positions[i][1];
    particles.inv_mass[i] = 1.0 / 16.0;
    particles.type[i] = static_cast<uint8_t>(element_index(Element::O));
    particles.id[i] = i;
    particles.slot_of_id[i] = i;
  }
  const std::vector<Element> elements(n, Element::O);
  EngineSettings engine_settings;
  engine_settings.box_size = 10.0;
  engine_settings.chemistry_scale = chemistry_scale;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (int a = 0; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) pairs.emplace_back(a, b);
  }
  const auto key = [&](const BondGraph& g) {
    int k = 0;
    for (auto [a, b] : pairs) k = 3 * k + g.order(a, b);
    return k;
  };
  // Every assignment of orders 0-2 to the pairs within O's valence 2.
  std::vector<BondGraph> graphs;
  std::vector<double> weights;
  std::map<int, size_t> index_of_key;
  int assignments = 1;
  for (size_t i = 0; i < pairs.size(); ++i) assignments *= 3;
  for (int code = 0; code < assignments; ++code) {
    std::vector<int> used(n, 0);
    BondGraph g(n);
    bool valid = true;
    for (int c = code, i = static_cast<int>(pairs.size()) - 1; i >= 0; --i, c /= 3) {
      const int order = c % 3;
      used[pairs[i].first] += order;
      used[pairs[i].second] += order;
      if (used[pairs[i].first] > 2 || used[pairs[i].second] > 2) valid = false;
      if (valid && order > 0) g.add(pairs[i].first, pairs[i].second, order);
    }
    if (!valid) continue;
    Engine engine(engine_settings, particles, g);
    index_of_key[key(g)] = graphs.size();
    weights.push_back(std::exp(-engine.potential_energy().total() / sampling_kT));
    graphs.push_back(std::move(g));
  }
  std::discrete_distribution<size_t> draw(weights.begin(), weights.end());
  std::mt19937_64 rng(20261206);
  const HeatBath bath(1.0);
  ReactionSettings settings;
  settings.chemistry_scale = chemistry_scale;
  settings.barrier_scale = barrier_scale;
  settings.try_probability = 1.0;
  std::vector<double> net(graphs.size(), 0.0), crossings(graphs.size(), 0.0);
  FlowCheck result;
  for (int64_t sample = 0; sample < samples; ++sample) {
    const size_t before = draw(rng);
    engine_settings.seed = 1000 + static_cast<uint64_t>(sample);
    Engine engine(engine_settings, particles, graphs[before]);
    run_reaction_sweep(engine, bath, elements, settings, [&](const ReactionEvent& event) {
      result.transfers += std::holds_alternative<BondTransfer>(event) ? 1 : 0;
    });
    const size_t after = index_of_key.at(key(engine.bonds()));
    if (after == before) continue;
    ++result.moved_samples;
    net[after] += 1.0;
    net[before] -= 1.0;
    crossings[after] += 1.0;
    crossings[before] += 1.0;
  }
  for (size_t s = 0; s < graphs.size(); ++s) {
    if (crossings[s] >= 100.0) result.worst_z = std::max(result.worst_z, std::fabs(net[s]) / std::sqrt(crossings[s]));
  }
  return result;
}

class FrozenGraphs : public ::testing::TestWithParam<FrozenCase> {};

// 5 sigma per graph: with at most 45 graphs a correct sweep fails with probability below 3e-5.
TEST_P(FrozenGraphs, OneSweepKeepsTheBoltzmannWeightsOfEveryBondGraph) {
  constexpr int64_t kSamples = 200'000;
  for (double barrier_scale : {0.0, 1.0}) {
    // chemistry_scale 1/30 (the default): bonded graphs and double bonds are both well populated.
    const FlowCheck check = check_flows(GetParam(), 1.0 / 30.0, barrier_scale, 1.0, kSamples);
    std::printf("%s, barriers x%.0f: %lld of %lld samples moved, %lld transfers, worst |z| %.2f\n", GetParam().name,
                barrier_scale, static_cast<long long>(check.moved_samples), static_cast<long long>(kSamples),
                static_cast<long long>(check.transfers), check.worst_z);
    EXPECT_GT(check.moved_samples, kSamples / 50);  // the sweeps do move graphs: the check is not vacuous
    // Three atoms in reach of one (all cases but ThirdOutOfReach) let a single bond move: the check covers transfers.
    if (std::string(GetParam().name) != "ThirdOutOfReach") {
      EXPECT_GT(check.transfers, kSamples / 100);
    }
    EXPECT_LT(check.worst_z, 5.0);
  }
}

// The check's power: samples drawn 5 % too hot are not stationary under the sweep, and the same statistic says so.
TEST(FrozenGraphsCheck, SeesADistributionFivePercentTooHot) {
  const FlowCheck check = check_flows(kCases[0], 1.0 / 30.0, 0.0, 1.05, 200'000);
  std::printf("sampled at kT 1.05: worst |z| %.2f\n", check.worst_z);
  EXPECT_GT(check.worst_z, 5.0);
}

INSTANTIATE_TEST_SUITE_P(ReactionMoves, FrozenGraphs, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<FrozenCase>& info) { return info.param.name; });

}  // namespace
}  // namespace live2::sim
