#include "chemistry_ledger.h"

#include <algorithm>

namespace live2::sim {
namespace {

std::string equation(std::vector<std::string> reactants, std::vector<std::string> products) {
  std::sort(reactants.begin(), reactants.end());
  std::sort(products.begin(), products.end());
  std::string text;
  for (size_t i = 0; i < reactants.size(); ++i) text += (i ? " + " : "") + reactants[i];
  text += " ->";
  for (size_t i = 0; i < products.size(); ++i) text += (i ? " + " : " ") + products[i];
  return text;
}

ElementCounts minus(ElementCounts a, const ElementCounts& b) {
  for (int e = 0; e < kElementCount; ++e) a[e] -= b[e];
  return a;
}

ElementCounts plus(ElementCounts a, const ElementCounts& b) {
  for (int e = 0; e < kElementCount; ++e) a[e] += b[e];
  return a;
}

}  // namespace

ChemistryLedger::ChemistryLedger(std::vector<Element> element_of_atom)
    : element_of_atom_(std::move(element_of_atom)), walker_(element_of_atom_.size()) {}

void ChemistryLedger::record_event(const BondEvent& event, const BondGraph& bonds, int64_t step) {
  std::string text;
  const ElementCounts molecule_a = count_elements(walker_.component(bonds, event.a), element_of_atom_);
  if (event.formed) {
    ++formed_since_census_;
    if (walker_.contains(event.b)) {  // ring closure: one molecule before and after
      text = equation({hill_formula(molecule_a)}, {hill_formula(molecule_a)});
    } else {
      const ElementCounts molecule_b = count_elements(walker_.component(bonds, event.b), element_of_atom_);
      text = equation({hill_formula(molecule_a), hill_formula(molecule_b)}, {hill_formula(plus(molecule_a, molecule_b))});
    }
  } else {
    ++broken_since_census_;
    const ElementCounts side_a =
        count_elements(walker_.component(bonds, event.a, event.a, event.b), element_of_atom_);
    if (walker_.contains(event.b)) {  // ring opening
      text = equation({hill_formula(molecule_a)}, {hill_formula(molecule_a)});
    } else {
      text = equation({hill_formula(molecule_a)}, {hill_formula(side_a), hill_formula(minus(molecule_a, side_a))});
    }
  }
  auto [it, inserted] = reactions_.try_emplace(std::move(text), ReactionStats{0, step});
  ++it->second.count;
}

MoleculeCensus ChemistryLedger::take_census(const BondGraph& bonds, int64_t step) {
  MoleculeCensus census;
  std::map<std::string, int64_t> present;
  std::vector<bool> seen(element_of_atom_.size(), false);
  for (uint32_t atom = 0; atom < element_of_atom_.size(); ++atom) {
    if (seen[atom] || bonds.degree(atom) == 0) continue;
    const std::vector<uint32_t>& molecule = walker_.component(bonds, atom);
    int64_t bond_ends = 0;
    for (uint32_t a : molecule) {
      seen[a] = true;
      bond_ends += bonds.degree(a);
    }
    ++census.n_molecules;
    census.largest_molecule = std::max<int64_t>(census.largest_molecule, static_cast<int64_t>(molecule.size()));
    const std::string formula = hill_formula(count_elements(molecule, element_of_atom_));
    const std::string key = species_key(formula, canonical_graph_hash(bonds, molecule, element_of_atom_));
    if (++present[key] == 1 && !species_.contains(key)) {
      species_.emplace(key, SpeciesStats{formula, static_cast<int64_t>(molecule.size()), bond_ends / 2, step, 0, 0});
      ++census.new_species;
    }
  }
  census.n_species = static_cast<int64_t>(present.size());
  for (auto& [key, stats] : species_) {
    const auto found = present.find(key);
    stats.final_count = found == present.end() ? 0 : found->second;
    stats.max_count = std::max(stats.max_count, stats.final_count);
  }
  formed_since_census_ = 0;
  broken_since_census_ = 0;
  return census;
}

std::vector<SpeciesRecord> ChemistryLedger::species() const {
  std::vector<SpeciesRecord> out;
  out.reserve(species_.size());
  for (const auto& [key, s] : species_) {
    out.push_back({key, s.formula, s.atoms, s.bonds, s.first_seen_step, s.final_count, s.max_count});
  }
  return out;
}

std::vector<ReactionRecord> ChemistryLedger::reactions() const {
  std::vector<ReactionRecord> out;
  out.reserve(reactions_.size());
  for (const auto& [text, r] : reactions_) out.push_back({text, r.count, r.first_step});
  std::stable_sort(out.begin(), out.end(), [](const ReactionRecord& a, const ReactionRecord& b) {
    return a.count > b.count;  // stable over the map's equation order
  });
  return out;
}

void ChemistryLedger::save(ByteWriter& out) const {
  out.put<int64_t>(formed_since_census_);
  out.put<int64_t>(broken_since_census_);
  out.put<uint64_t>(species_.size());
  for (const auto& [key, s] : species_) {
    out.put_string(key);
    out.put_string(s.formula);
    for (int64_t v : {s.atoms, s.bonds, s.first_seen_step, s.final_count, s.max_count}) out.put<int64_t>(v);
  }
  out.put<uint64_t>(reactions_.size());
  for (const auto& [text, r] : reactions_) {
    out.put_string(text);
    out.put<int64_t>(r.count);
    out.put<int64_t>(r.first_step);
  }
}

bool ChemistryLedger::load(ByteReader& in) {
  formed_since_census_ = in.get<int64_t>();
  broken_since_census_ = in.get<int64_t>();
  species_.clear();
  reactions_.clear();
  const auto n_species = in.get<uint64_t>();
  for (uint64_t i = 0; i < n_species && in.ok(); ++i) {
    std::string key = in.get_string();
    SpeciesStats s;
    s.formula = in.get_string();
    for (int64_t* v : {&s.atoms, &s.bonds, &s.first_seen_step, &s.final_count, &s.max_count}) *v = in.get<int64_t>();
    species_.emplace(std::move(key), std::move(s));
  }
  const auto n_reactions = in.get<uint64_t>();
  for (uint64_t i = 0; i < n_reactions && in.ok(); ++i) {
    std::string text = in.get_string();
    ReactionStats r;
    r.count = in.get<int64_t>();
    r.first_step = in.get<int64_t>();
    reactions_.emplace(std::move(text), r);
  }
  return in.ok();
}

}  // namespace live2::sim
