#include "reaction_rules.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "counter_rng.h"
#include "reaction_table.h"

namespace live2::sim {
namespace {

struct Candidate {
  double draw;  // the uniform number that accepted it: formations compete in increasing draw order
  uint32_t a, b;
  bool operator<(const Candidate& o) const {
    return draw != o.draw ? draw < o.draw : (a != o.a ? a < o.a : b < o.b);
  }
};

double minimum_image(double d, double box) { return d - box * std::nearbyint(d / box); }

double arrhenius_probability(double rate, double energy, double kT) {
  return 1.0 - std::exp(-rate * std::exp(-energy / kT));
}

// Concatenates per-chunk results; the final sort makes the order independent of how atoms were split.
std::vector<Candidate> merge(std::vector<std::vector<Candidate>>& per_chunk) {
  std::vector<Candidate> all;
  for (auto& part : per_chunk) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace

std::vector<BondEvent> decide_reactions(const Engine& engine, const HeatBath& bath,
                                        const std::vector<Element>& element_of_atom) {
  const ParticleArrays& p = engine.particles();
  const BondGraph& bonds = engine.bonds();
  const NeighborList& neighbors = engine.neighbors();
  const ForceFieldParams& field = engine.force_field();
  const double box = engine.settings().box_size;
  const uint64_t seed = engine.settings().seed;
  const int64_t step = engine.step_index();
  const std::vector<HeatBath::Disc> discs = bath.active_discs(step);
  const auto local_kT = [&](uint32_t slot_a, uint32_t slot_b) {
    if (discs.empty()) return bath.base_kT();
    return 0.5 * (bath.kT_at(p.x[slot_a], p.y[slot_a], discs) + bath.kT_at(p.x[slot_b], p.y[slot_b], discs));
  };
  std::array<int, kElementCount> valence{};
  for (Element e : kAllElements) valence[element_index(e)] = element_valence(e);
  const auto free_valence = [&](uint32_t atom) {
    return valence[element_index(element_of_atom[atom])] - bonds.degree(atom);
  };

  ThreadTeam& team = engine.team();
  std::vector<std::vector<Candidate>> breaks(team.size()), forms(team.size());
  team.run(static_cast<int64_t>(p.size()), [&](int64_t begin, int64_t end, int chunk) {
    auto& my_breaks = breaks[chunk];
    auto& my_forms = forms[chunk];
    for (int64_t i = begin; i < end; ++i) {
      const auto slot = static_cast<uint32_t>(i);
      const uint32_t atom = p.id[slot];
      const Element element = element_of_atom[atom];
      for (int k = 0; k < bonds.degree(atom); ++k) {
        const uint32_t partner = bonds.partners(atom)[k];
        if (partner < atom) continue;  // each bond once, from its lower id
        const uint32_t other = p.slot_of_id[partner];
        const double dx = minimum_image(p.x[slot] - p.x[other], box);
        const double dy = minimum_image(p.y[slot] - p.y[other], box);
        const double r = std::sqrt(dx * dx + dy * dy);
        if (r < kMinBreakDistance) continue;
        const double stretch = bond_stretch_energy(field, p.type[slot], p.type[other], r);
        const double barrier = bond_energetics(element, element_of_atom[partner]).dissociation_energy - stretch;
        const double u = to_unit_interval(random_words(seed, step, RngStream::bond_break, atom, partner)[0]);
        if (u < arrhenius_probability(kBreakAttemptRate, barrier, local_kT(slot, other))) {
          my_breaks.push_back({0.0, atom, partner});
        }
      }
      if (free_valence(atom) <= 0) continue;
      const uint32_t* list = neighbors.entries(slot);
      for (uint32_t k = 0; k < neighbors.count(slot); ++k) {
        if (list[k] & NeighborList::kBondedFlag) continue;
        const uint32_t other = list[k];
        const uint32_t partner = p.id[other];
        if (partner < atom || free_valence(partner) <= 0) continue;
        const double rest = field.bond_rest_length[p.type[slot] * kElementCount + p.type[other]];
        const double dx = minimum_image(p.x[slot] - p.x[other], box);
        const double dy = minimum_image(p.y[slot] - p.y[other], box);
        if (dx * dx + dy * dy > kCaptureFactor * kCaptureFactor * rest * rest) continue;
        const double u = to_unit_interval(random_words(seed, step, RngStream::bond_form, atom, partner)[0]);
        const double barrier = bond_energetics(element, element_of_atom[partner]).activation_energy;
        if (u < arrhenius_probability(kFormAttemptRate, barrier, local_kT(slot, other))) {
          my_forms.push_back({u, atom, partner});
        }
      }
    }
  });

  std::vector<BondEvent> events;
  std::unordered_map<uint32_t, int> degree_change;  // of atoms touched so far in this attempt
  for (const Candidate& c : merge(breaks)) {
    events.push_back({c.a, c.b, false});
    --degree_change[c.a];
    --degree_change[c.b];
  }
  for (const Candidate& c : merge(forms)) {
    if (free_valence(c.a) - degree_change[c.a] <= 0 || free_valence(c.b) - degree_change[c.b] <= 0) continue;
    events.push_back({c.a, c.b, true});
    ++degree_change[c.a];
    ++degree_change[c.b];
  }
  return events;
}

}  // namespace live2::sim
