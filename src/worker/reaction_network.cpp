#include "worker/reaction_network.h"

#include <boost/json/array.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <fmt/format.h>

#include <map>
#include <optional>

#include "base/markup_escape.h"
#include "sim/units.h"

namespace live2::worker {
namespace {

// A species of the network. `record` is absent for lone atoms and for molecules that lived only between two
// analyses: the species table lists what an analysis saw.
struct Node {
  std::string formula;
  std::optional<sim::SpeciesRecord> record;
};

// Atoms in a Hill formula ("C2H6O": 9).
int64_t atoms_in_formula(const std::string& formula) {
  int64_t atoms = 0;
  for (size_t i = 0; i < formula.size();) {
    ++i;  // the element symbol: one capital letter for the six elements
    int64_t n = 0;
    while (i < formula.size() && formula[i] >= '0' && formula[i] <= '9') n = 10 * n + (formula[i++] - '0');
    atoms += n == 0 ? 1 : n;
  }
  return atoms;
}

// Every species key in the network: the species table's and every reactant and product (lone atoms included).
std::map<std::string, Node> nodes_of(const NetworkInput& input) {
  std::map<std::string, Node> nodes;
  for (const sim::SpeciesRecord& s : input.species) nodes[s.key] = {s.formula, s};
  for (const sim::ReactionRecord& r : input.reactions) {
    for (const auto* side : {&r.reactants, &r.products}) {
      for (const std::string& key : *side) {
        if (!nodes.contains(key)) nodes[key] = {key.substr(0, key.find('#')), std::nullopt};
      }
    }
  }
  return nodes;
}

double duration_ps(const NetworkInput& input) {
  return static_cast<double>(input.steps) * input.dt * sim::kTimeUnitPs;
}

// How many times each key occurs on one side ("A + A -> B": A twice).
std::map<std::string, int> multiplicities(const std::vector<std::string>& keys) {
  std::map<std::string, int> counts;
  for (const std::string& key : keys) ++counts[key];
  return counts;
}

}  // namespace

RateEstimate reaction_rate_per_ps(int64_t count, double duration_ps) {
  if (duration_ps <= 0) return {0, 0, 0};
  const auto n = static_cast<double>(count);
  const double low = count == 0 ? 0.0 : boost::math::gamma_p_inv(n, 0.025);
  const double high = boost::math::gamma_p_inv(n + 1.0, 0.975);
  return {n / duration_ps, low / duration_ps, high / duration_ps};
}

boost::json::object reaction_network_json(const NetworkInput& input) {
  const double duration = duration_ps(input);
  boost::json::array species;
  for (const auto& [key, node] : nodes_of(input)) {
    boost::json::object entry{{"key", key}, {"formula", node.formula}, {"atoms", atoms_in_formula(node.formula)},
                              {"seen_at_analysis", node.record.has_value()}};
    if (node.record) {
      entry["bonds"] = node.record->bonds;
      entry["first_seen_step"] = node.record->first_seen_step;
      entry["final_count"] = node.record->final_count;
      entry["max_count"] = node.record->max_count;
    }
    species.push_back(std::move(entry));
  }
  boost::json::array reactions;
  for (const sim::ReactionRecord& r : input.reactions) {
    const RateEstimate rate = reaction_rate_per_ps(r.count, duration);
    boost::json::array reactants(r.reactants.begin(), r.reactants.end());
    boost::json::array products(r.products.begin(), r.products.end());
    boost::json::object entry{{"equation", r.equation},
                              {"formula_equation", r.formula_equation},
                              {"reactants", std::move(reactants)},
                              {"products", std::move(products)},
                              {"count", r.count},
                              {"recrossings", r.recrossings},
                              {"rate_per_ps", rate.rate},
                              {"rate_ci95_per_ps", boost::json::array{rate.low, rate.high}}};
    if (r.first_step >= 0) {
      entry["first_step"] = r.first_step;
      entry["first_time_ps"] = static_cast<double>(r.first_step) * input.dt * sim::kTimeUnitPs;
    } else {
      entry["first_step"] = nullptr;
      entry["first_time_ps"] = nullptr;
    }
    reactions.push_back(std::move(entry));
  }
  return {{"duration_ps", duration},
          {"steps", input.steps},
          {"units", {{"time", "ps"}, {"rate", "1/ps"}, {"model_time_unit", sim::unit_text(sim::Quantity::time)}}},
          {"species", std::move(species)},
          {"reactions", std::move(reactions)}};
}

std::string reaction_network_graphml(const NetworkInput& input) {
  const double duration = duration_ps(input);
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
      "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
      "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
      "  <key id=\"final_count\" for=\"node\" attr.name=\"final_count\" attr.type=\"long\"/>\n"
      "  <key id=\"count\" for=\"node\" attr.name=\"count\" attr.type=\"long\"/>\n"
      "  <key id=\"recrossings\" for=\"node\" attr.name=\"recrossings\" attr.type=\"long\"/>\n"
      "  <key id=\"rate_per_ps\" for=\"node\" attr.name=\"rate_per_ps\" attr.type=\"double\"/>\n"
      "  <key id=\"rate_ci95_low_per_ps\" for=\"node\" attr.name=\"rate_ci95_low_per_ps\" attr.type=\"double\"/>\n"
      "  <key id=\"rate_ci95_high_per_ps\" for=\"node\" attr.name=\"rate_ci95_high_per_ps\" attr.type=\"double\"/>\n"
      "  <key id=\"first_step\" for=\"node\" attr.name=\"first_step\" attr.type=\"long\"/>\n"
      "  <key id=\"role\" for=\"edge\" attr.name=\"role\" attr.type=\"string\"/>\n"
      "  <key id=\"stoichiometry\" for=\"edge\" attr.name=\"stoichiometry\" attr.type=\"int\"/>\n"
      "  <graph id=\"reaction_network\" edgedefault=\"directed\">\n";
  for (const auto& [key, node] : nodes_of(input)) {
    out += fmt::format("    <node id=\"{}\"><data key=\"kind\">species</data><data key=\"label\">{}</data>",
                       markup_escaped(key), markup_escaped(node.formula));
    if (node.record) out += fmt::format("<data key=\"final_count\">{}</data>", node.record->final_count);
    out += "</node>\n";
  }
  for (size_t i = 0; i < input.reactions.size(); ++i) {
    const sim::ReactionRecord& r = input.reactions[i];
    const RateEstimate rate = reaction_rate_per_ps(r.count, duration);
    const std::string id = fmt::format("reaction:{}", i);
    out += fmt::format(
        "    <node id=\"{}\"><data key=\"kind\">reaction</data><data key=\"label\">{}</data>"
        "<data key=\"count\">{}</data><data key=\"recrossings\">{}</data><data key=\"rate_per_ps\">{}</data>"
        "<data key=\"rate_ci95_low_per_ps\">{}</data><data key=\"rate_ci95_high_per_ps\">{}</data>"
        "<data key=\"first_step\">{}</data></node>\n",
        id, markup_escaped(r.formula_equation), r.count, r.recrossings, rate.rate, rate.low, rate.high, r.first_step);
    for (const auto& [key, n] : multiplicities(r.reactants)) {
      out += fmt::format(
          "    <edge source=\"{}\" target=\"{}\"><data key=\"role\">reactant</data>"
          "<data key=\"stoichiometry\">{}</data></edge>\n",
          markup_escaped(key), id, n);
    }
    for (const auto& [key, n] : multiplicities(r.products)) {
      out += fmt::format(
          "    <edge source=\"{}\" target=\"{}\"><data key=\"role\">product</data>"
          "<data key=\"stoichiometry\">{}</data></edge>\n",
          id, markup_escaped(key), n);
    }
  }
  out += "  </graph>\n</graphml>\n";
  return out;
}

}  // namespace live2::worker
