#include "chemistry_ledger.h"

#include <algorithm>

namespace live2::sim {
namespace {

std::string joined(const std::vector<std::string>& terms) {
  std::string text;
  for (size_t i = 0; i < terms.size(); ++i) text += (i ? " + " : "") + terms[i];
  return text;
}

std::string equation_text(const std::vector<std::string>& reactants, const std::vector<std::string>& products) {
  return joined(reactants) + " -> " + joined(products);
}

void put_strings(ByteWriter& out, const std::vector<std::string>& values) {
  out.put<uint64_t>(values.size());
  for (const std::string& value : values) out.put_string(value);
}

std::vector<std::string> get_strings(ByteReader& in) {
  const auto size = in.get<uint64_t>();
  std::vector<std::string> values;
  for (uint64_t i = 0; i < size && in.ok() && i <= in.remaining(); ++i) values.push_back(in.get_string());
  return values;
}

}  // namespace

ChemistryLedger::ChemistryLedger(std::vector<Element> element_of_atom)
    : element_of_atom_(std::move(element_of_atom)), walker_(element_of_atom_.size()) {}

std::string ChemistryLedger::species_key_of(const std::vector<uint32_t>& atoms, const BondGraph& bonds,
                                            const PairToggle& toggle) const {
  return species_key(hill_formula(count_elements(atoms, element_of_atom_)),
                     canonical_graph_hash(bonds, atoms, element_of_atom_, toggle));
}

ChemistryLedger::Side ChemistryLedger::side_of(const std::vector<std::vector<uint32_t>>& molecules,
                                               const BondGraph& bonds, const PairToggle& toggle) const {
  Side side;
  for (const std::vector<uint32_t>& atoms : molecules) {
    side.keys.push_back(species_key_of(atoms, bonds, toggle));
    side.formulas.push_back(hill_formula(count_elements(atoms, element_of_atom_)));
  }
  std::sort(side.keys.begin(), side.keys.end());
  std::sort(side.formulas.begin(), side.formulas.end());
  return side;
}

ChemistryLedger::ReactionStats& ChemistryLedger::reaction(const Side& reactants, const Side& products) {
  auto [it, inserted] = reactions_.try_emplace(equation_text(reactants.keys, products.keys));
  if (inserted) {
    it->second.formula_equation = equation_text(reactants.formulas, products.formulas);
    it->second.reactants = reactants.keys;
    it->second.products = products.keys;
  }
  return it->second;
}

void ChemistryLedger::count(ReactionStats& stats, int64_t step) {
  ++stats.count;
  if (stats.first_step < 0 || step < stats.first_step) stats.first_step = step;
}

void ChemistryLedger::record_event(const BondEvent& event, const BondGraph& bonds, int64_t step) {
  const PairToggle after{event.a, event.b};
  // The molecules holding a and b just before and just after the event: one or two on each side.
  std::vector<std::vector<uint32_t>> before = {walker_.component(bonds, event.a)};
  if (!walker_.contains(event.b)) before.push_back(walker_.component(bonds, event.b));
  std::vector<std::vector<uint32_t>> afterwards = {walker_.component(bonds, event.a, after)};
  if (!walker_.contains(event.b)) afterwards.push_back(walker_.component(bonds, event.b, after));
  const Side reactants = side_of(before, bonds, {});
  const Side products = side_of(afterwards, bonds, after);
  ReactionStats& stats = reaction(reactants, products);
  const std::pair<uint32_t, uint32_t> pair{event.a, event.b};

  if (!event.formed) {
    ++broken_since_census_;
    open_breaks_.insert_or_assign(pair, std::make_pair(equation_text(reactants.keys, products.keys), step));
    return;
  }
  ++formed_since_census_;
  if (const auto open = open_breaks_.find(pair); open != open_breaks_.end()) {
    ReactionStats& broken = reactions_.at(open->second.first);
    const int64_t broken_step = open->second.second;
    open_breaks_.erase(open);
    if (broken.reactants == products.keys && broken.products == reactants.keys) {
      ++broken.recrossings;  // the exact reverse: the molecules are as they were before the break
      return;
    }
    count(broken, broken_step);
  }
  count(stats, step);
}

MoleculeCensus ChemistryLedger::take_census(const BondGraph& bonds, int64_t step) {
  for (const auto& [pair, open] : open_breaks_) count(reactions_.at(open.first), open.second);
  open_breaks_.clear();

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
      const auto id = static_cast<int64_t>(key_of_species_id_.size());
      species_.emplace(key,
                       SpeciesStats{formula, static_cast<int64_t>(molecule.size()), bond_ends / 2, step, 0, 0, id});
      key_of_species_id_.push_back(key);
      ++census.new_species;
    }
  }
  census.n_species = static_cast<int64_t>(present.size());
  for (auto& [key, stats] : species_) {
    const auto found = present.find(key);
    stats.final_count = found == present.end() ? 0 : found->second;
    stats.max_count = std::max(stats.max_count, stats.final_count);
  }
  for (const auto& [key, n] : present) counts_.push_back({step, species_.at(key).id, n});
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
  for (const auto& [text, r] : reactions_) {
    if (r.count == 0 && r.recrossings == 0) continue;  // a break still open (between analyses)
    out.push_back({text, r.formula_equation, r.reactants, r.products, r.count, r.recrossings, r.first_step});
  }
  std::stable_sort(out.begin(), out.end(), [](const ReactionRecord& a, const ReactionRecord& b) {
    return a.count > b.count;  // stable over the map's equation order
  });
  return out;
}

std::vector<SpeciesCountRecord> ChemistryLedger::species_counts() const {
  std::vector<SpeciesCountRecord> out;
  out.reserve(counts_.size());
  for (const CountRow& row : counts_) {
    out.push_back({row.step, 0.0, key_of_species_id_[static_cast<size_t>(row.species_id)], row.count});
  }
  return out;
}

void ChemistryLedger::save(ByteWriter& out) const {
  out.put<int64_t>(formed_since_census_);
  out.put<int64_t>(broken_since_census_);
  out.put<uint64_t>(species_.size());
  for (const auto& [key, s] : species_) {
    out.put_string(key);
    out.put_string(s.formula);
    for (int64_t v : {s.atoms, s.bonds, s.first_seen_step, s.final_count, s.max_count, s.id}) out.put<int64_t>(v);
  }
  out.put<uint64_t>(reactions_.size());
  for (const auto& [text, r] : reactions_) {
    out.put_string(text);
    out.put_string(r.formula_equation);
    put_strings(out, r.reactants);
    put_strings(out, r.products);
    for (int64_t v : {r.count, r.recrossings, r.first_step}) out.put<int64_t>(v);
  }
  out.put<uint64_t>(open_breaks_.size());
  for (const auto& [pair, open] : open_breaks_) {
    out.put<uint32_t>(pair.first);
    out.put<uint32_t>(pair.second);
    out.put_string(open.first);
    out.put<int64_t>(open.second);
  }
  out.put<uint64_t>(counts_.size());
  for (const CountRow& row : counts_) {
    for (int64_t v : {row.step, row.species_id, row.count}) out.put<int64_t>(v);
  }
}

bool ChemistryLedger::load(ByteReader& in) {
  formed_since_census_ = in.get<int64_t>();
  broken_since_census_ = in.get<int64_t>();
  species_.clear();
  reactions_.clear();
  open_breaks_.clear();
  counts_.clear();
  const auto n_species = in.get<uint64_t>();
  for (uint64_t i = 0; i < n_species && in.ok(); ++i) {
    std::string key = in.get_string();
    SpeciesStats s;
    s.formula = in.get_string();
    for (int64_t* v : {&s.atoms, &s.bonds, &s.first_seen_step, &s.final_count, &s.max_count, &s.id}) {
      *v = in.get<int64_t>();
    }
    species_.emplace(std::move(key), std::move(s));
  }
  key_of_species_id_.assign(species_.size(), std::string());
  for (const auto& [key, s] : species_) {
    if (s.id < 0 || static_cast<uint64_t>(s.id) >= species_.size() || !key_of_species_id_[s.id].empty()) return false;
    key_of_species_id_[static_cast<size_t>(s.id)] = key;
  }
  const auto n_reactions = in.get<uint64_t>();
  for (uint64_t i = 0; i < n_reactions && in.ok(); ++i) {
    std::string text = in.get_string();
    ReactionStats r;
    r.formula_equation = in.get_string();
    r.reactants = get_strings(in);
    r.products = get_strings(in);
    for (int64_t* v : {&r.count, &r.recrossings, &r.first_step}) *v = in.get<int64_t>();
    reactions_.emplace(std::move(text), std::move(r));
  }
  const auto n_open = in.get<uint64_t>();
  for (uint64_t i = 0; i < n_open && in.ok(); ++i) {
    const auto a = in.get<uint32_t>();
    const auto b = in.get<uint32_t>();
    std::string text = in.get_string();
    const auto step = in.get<int64_t>();
    if (!reactions_.contains(text)) return false;
    open_breaks_.emplace(std::make_pair(a, b), std::make_pair(std::move(text), step));
  }
  const auto n_counts = in.get<uint64_t>();
  if (!in.ok() || n_counts > in.remaining() / (3 * sizeof(int64_t))) return false;
  counts_.resize(n_counts);
  for (CountRow& row : counts_) {
    for (int64_t* v : {&row.step, &row.species_id, &row.count}) *v = in.get<int64_t>();
    if (row.species_id < 0 || static_cast<uint64_t>(row.species_id) >= species_.size()) return false;
  }
  return in.ok();
}

}  // namespace live2::sim
