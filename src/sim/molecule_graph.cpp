#include "molecule_graph.h"

#include <algorithm>
#include <cstdio>

namespace live2::sim {
namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t combine(uint64_t seed, uint64_t value) { return splitmix64(seed ^ splitmix64(value)); }

// Hash of a multiset: sort, then fold in order.
uint64_t multiset_hash(std::vector<uint64_t>& values, uint64_t seed) {
  std::sort(values.begin(), values.end());
  for (uint64_t v : values) seed = combine(seed, v);
  return seed;
}

size_t distinct_count(const std::vector<uint64_t>& values, std::vector<uint64_t>& sorted) {
  sorted.assign(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return static_cast<size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
}

}  // namespace

std::string hill_formula(const ElementCounts& counts) {
  std::string formula;
  for (Element e : {Element::C, Element::H, Element::N, Element::O, Element::P, Element::S}) {
    const int64_t n = counts[element_index(e)];
    if (n == 0) continue;
    formula += element_symbol(e);
    if (n > 1) formula += std::to_string(n);
  }
  return formula;
}

const std::vector<uint32_t>& ComponentWalker::component(const BondGraph& bonds, uint32_t start,
                                                        const PairToggle& toggle) {
  if (++generation_ == 0) {  // wrapped after 2^32 walks: clear once
    std::fill(stamp_.begin(), stamp_.end(), 0);
    generation_ = 1;
  }
  atoms_.clear();
  atoms_.push_back(start);
  stamp_[start] = generation_;
  for (size_t head = 0; head < atoms_.size(); ++head) {
    for_each_partner(bonds, atoms_[head], toggle, [&](uint32_t next) {
      if (stamp_[next] != generation_) {
        stamp_[next] = generation_;
        atoms_.push_back(next);
      }
    });
  }
  return atoms_;
}

ElementCounts count_elements(const std::vector<uint32_t>& atoms, const std::vector<Element>& element_of_atom) {
  ElementCounts counts{};
  for (uint32_t a : atoms) ++counts[element_index(element_of_atom[a])];
  return counts;
}

uint64_t MoleculeHasher::hash(const BondGraph& bonds, const std::vector<uint32_t>& atoms,
                             const std::vector<Element>& element_of_atom, const PairToggle& toggle) {
  const size_t n = atoms.size();
  for (size_t i = 0; i < n; ++i) local_[atoms[i]] = static_cast<uint32_t>(i);
  colour_.resize(n);
  next_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    int degree = 0;
    for_each_partner(bonds, atoms[i], toggle, [&](uint32_t) { ++degree; });
    colour_[i] = combine(element_index(element_of_atom[atoms[i]]) + 1, degree);
  }
  // Refine until the number of colour classes stops growing: an isomorphism invariant stopping rule, at most n rounds.
  size_t classes = distinct_count(colour_, sorted_);
  for (size_t round = 0; round < n; ++round) {
    for (size_t i = 0; i < n; ++i) {
      neighbour_colours_.clear();
      // A multiple bond labels its edge (a single bond adds nothing, so single-bonded molecules keep their keys).
      for_each_bond(bonds, atoms[i], toggle, [&](uint32_t partner, int order) {
        const uint64_t colour = colour_[local_[partner]];
        neighbour_colours_.push_back(order == 1 ? colour : combine(colour, static_cast<uint64_t>(order)));
      });
      next_[i] = multiset_hash(neighbour_colours_, colour_[i]);
    }
    colour_.swap(next_);
    const size_t refined = distinct_count(colour_, sorted_);
    if (refined == classes) break;
    classes = refined;
  }
  return multiset_hash(colour_, combine(n, 0x6C697665325F7369ull));  // "live2_si"
}

uint64_t canonical_graph_hash(const BondGraph& bonds, const std::vector<uint32_t>& atoms,
                              const std::vector<Element>& element_of_atom, const PairToggle& toggle) {
  return MoleculeHasher(bonds.atoms()).hash(bonds, atoms, element_of_atom, toggle);
}

std::string species_key(const std::string& formula, uint64_t graph_hash) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(graph_hash));
  return formula + "#" + hex;
}

}  // namespace live2::sim
