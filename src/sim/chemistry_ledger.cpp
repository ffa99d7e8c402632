#include "chemistry_ledger.h"

#include <algorithm>
#include <stdexcept>

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

}  // namespace

ChemistryLedger::ChemistryLedger(std::vector<Element> element_of_atom)
    : element_of_atom_(std::move(element_of_atom)),
      walker_(element_of_atom_.size()),
      hasher_(element_of_atom_.size()) {}

uint32_t ChemistryLedger::intern(const std::string& key, const std::string& formula) {
  auto [it, inserted] = species_of_key_.try_emplace(key, static_cast<uint32_t>(interned_.size()));
  if (inserted) interned_.push_back({key, formula});
  return it->second;
}

uint32_t ChemistryLedger::species_of_component(const std::vector<uint32_t>& atoms, const BondGraph& bonds,
                                               const PairToggle& toggle) {
  const std::string formula = hill_formula(count_elements(atoms, element_of_atom_));
  const uint32_t species = intern(species_key(formula, hasher_.hash(bonds, atoms, element_of_atom_, toggle)), formula);
  SpeciesInfo& info = interned_[species];
  if (info.atoms < 0) {
    int64_t bond_ends = 0;
    for (uint32_t a : atoms) for_each_partner(bonds, a, toggle, [&](uint32_t) { ++bond_ends; });
    info.atoms = static_cast<int64_t>(atoms.size());
    info.bonds = bond_ends / 2;
  }
  return species;
}

uint32_t ChemistryLedger::cache_component(uint32_t atom, const BondGraph& bonds, const PairToggle& toggle) {
  const std::vector<uint32_t>& atoms = walker_.component(bonds, atom, toggle);
  uint32_t molecule = 0;
  if (free_molecules_.empty()) {
    molecule = static_cast<uint32_t>(molecules_.size());
    molecules_.emplace_back();
  } else {
    molecule = free_molecules_.back();
    free_molecules_.pop_back();
  }
  Molecule& m = molecules_[molecule];
  m.species = species_of_component(atoms, bonds, toggle);
  m.atoms.assign(atoms.begin(), atoms.end());
  for (uint32_t a : atoms) molecule_of_atom_[a] = molecule;
  return m.species;
}

void ChemistryLedger::release_molecule(uint32_t molecule) { free_molecules_.push_back(molecule); }

void ChemistryLedger::track(const BondGraph& bonds) {
  if (cache_valid_) return;
  constexpr uint32_t kNone = UINT32_MAX;
  molecule_of_atom_.assign(element_of_atom_.size(), kNone);
  molecules_.clear();
  free_molecules_.clear();
  for (uint32_t atom = 0; atom < element_of_atom_.size(); ++atom) {
    if (molecule_of_atom_[atom] == kNone) cache_component(atom, bonds, {});
  }
  molecule_stamp_.assign(molecules_.size(), 0);
  census_generation_ = 0;
  cache_valid_ = true;
}

std::vector<uint32_t> ChemistryLedger::sorted_by_key(std::vector<uint32_t> species) const {
  std::sort(species.begin(), species.end(),
            [&](uint32_t a, uint32_t b) { return interned_[a].key < interned_[b].key; });
  return species;
}

uint32_t ChemistryLedger::reaction(const std::vector<uint32_t>& reactants, const std::vector<uint32_t>& products) {
  constexpr uint32_t kSideSeparator = UINT32_MAX;
  std::vector<uint32_t> sides(reactants);
  sides.push_back(kSideSeparator);
  sides.insert(sides.end(), products.begin(), products.end());
  auto [it, inserted] = reaction_of_sides_.try_emplace(std::move(sides), static_cast<uint32_t>(reactions_.size()));
  if (inserted) {
    const auto texts = [&](const std::vector<uint32_t>& side, bool formulas) {
      std::vector<std::string> terms;
      for (uint32_t species : side) terms.push_back(formulas ? interned_[species].formula : interned_[species].key);
      if (formulas) std::sort(terms.begin(), terms.end());
      return terms;
    };
    ReactionStats stats;
    stats.equation = equation_text(texts(reactants, false), texts(products, false));
    stats.formula_equation = equation_text(texts(reactants, true), texts(products, true));
    stats.reactants = reactants;
    stats.products = products;
    reactions_.push_back(std::move(stats));
  }
  return it->second;
}

void ChemistryLedger::count(ReactionStats& stats, int64_t step) {
  ++stats.count;
  if (stats.first_step < 0 || step < stats.first_step) stats.first_step = step;
}

void ChemistryLedger::record(const ReactionEvent& event, const BondGraph& bonds, int64_t step) {
  if (const auto* transfer = std::get_if<BondTransfer>(&event)) {
    record_transfer(*transfer, bonds, step);
  } else {
    record_order_step(std::get<BondEvent>(event), bonds, step);
  }
}

uint32_t ChemistryLedger::reaction_across(uint32_t x, uint32_t other_before, uint32_t other_after,
                                          const BondGraph& bonds, const PairToggle& toggle) {
  const uint32_t molecule_x = molecule_of_atom_[x], molecule_other = molecule_of_atom_[other_before];
  std::vector<uint32_t> before = {molecules_[molecule_x].species};
  if (molecule_other != molecule_x) before.push_back(molecules_[molecule_other].species);
  release_molecule(molecule_x);
  if (molecule_other != molecule_x) release_molecule(molecule_other);
  std::vector<uint32_t> afterwards = {cache_component(x, bonds, toggle)};
  if (!walker_.contains(other_after)) afterwards.push_back(cache_component(other_after, bonds, toggle));
  if (molecule_stamp_.size() < molecules_.size()) molecule_stamp_.resize(molecules_.size(), 0);
  return reaction(sorted_by_key(std::move(before)), sorted_by_key(std::move(afterwards)));
}

bool ChemistryLedger::closes_a_recrossing(const OpenKey& key, uint32_t index) {
  const auto open = open_events_.find(key);
  if (open == open_events_.end()) return false;
  const OpenEvent opened = open->second;
  open_events_.erase(open);
  ReactionStats& earlier = reactions_[opened.reaction];
  const ReactionStats& now = reactions_[index];
  if (earlier.reactants == now.products && earlier.products == now.reactants) {
    ++earlier.recrossings;  // the exact reverse: the molecules are as they were before the earlier event
    return true;
  }
  count(earlier, opened.step);
  return false;
}

void ChemistryLedger::leave_open(const OpenKey& key, uint32_t index, int64_t step) {
  // An event still open under the same key was undone otherwise (a bond broken, then re-formed by a transfer): counted.
  const auto [it, inserted] = open_events_.try_emplace(key, OpenEvent{index, step});
  if (inserted) return;
  count(reactions_[it->second.reaction], it->second.step);
  it->second = OpenEvent{index, step};
}

void ChemistryLedger::record_order_step(const BondEvent& event, const BondGraph& bonds, int64_t step) {
  track(bonds);
  // The molecules holding a and b just before the event come from the cache; those just after are walked.
  const uint32_t index = reaction_across(event.a, event.b, event.b, bonds, {event.a, event.b, event.order_after});
  const OpenKey key{event.a, event.b, PairToggle::kNoAtom};
  if (event.broken()) {
    ++broken_since_census_;
    leave_open(key, index, step);
    return;
  }
  if (!event.formed()) {  // an order change: a reaction of its own, never a recrossing
    ++order_changes_;
    count(reactions_[index], step);
    return;
  }
  ++formed_since_census_;
  if (!closes_a_recrossing(key, index)) count(reactions_[index], step);
}

void ChemistryLedger::record_transfer(const BondTransfer& transfer, const BondGraph& bonds, int64_t step) {
  // `bonds` already holds the transfer: the cache (kept by track before the sweep) still has the molecules before it,
  // pivot's (which held `from`) and to's; pivot's component now holds `to`.
  if (!cache_valid_) throw std::logic_error("ChemistryLedger::record_transfer before track");
  const uint32_t index = reaction_across(transfer.pivot, transfer.to, transfer.from, bonds, {});
  ++broken_since_census_;
  ++formed_since_census_;
  ++transfers_;
  if (!closes_a_recrossing({transfer.pivot, transfer.from, transfer.to}, index)) {
    leave_open({transfer.pivot, transfer.to, transfer.from}, index, step);
  }
}

MoleculeCensus ChemistryLedger::take_census(const BondGraph& bonds, int64_t step) {
  for (const auto& [pair, open] : open_events_) count(reactions_[open.reaction], open.step);
  open_events_.clear();
  track(bonds);

  MoleculeCensus census;
  present_count_.resize(interned_.size(), 0);
  std::vector<uint32_t> present;  // species present, in the order first met by atom id (the census ids' order)
  if (++census_generation_ == 0) {
    std::fill(molecule_stamp_.begin(), molecule_stamp_.end(), 0);
    census_generation_ = 1;
  }
  for (uint32_t atom = 0; atom < element_of_atom_.size(); ++atom) {
    const uint32_t molecule = molecule_of_atom_[atom];
    const Molecule& m = molecules_[molecule];
    if (m.atoms.size() < 2 || molecule_stamp_[molecule] == census_generation_) continue;
    molecule_stamp_[molecule] = census_generation_;
    ++census.n_molecules;
    census.largest_molecule = std::max<int64_t>(census.largest_molecule, static_cast<int64_t>(m.atoms.size()));
    if (present_count_[m.species]++ > 0) continue;
    present.push_back(m.species);
    SpeciesInfo& info = interned_[m.species];
    if (info.census_id < 0) {
      info.census_id = static_cast<int64_t>(seen_.size());
      seen_.push_back({m.species, step, 0, 0});
      ++census.new_species;
    }
  }
  census.n_species = static_cast<int64_t>(present.size());
  for (SpeciesStats& stats : seen_) {
    stats.final_count = present_count_[stats.species];
    stats.max_count = std::max(stats.max_count, stats.final_count);
  }
  for (uint32_t species : sorted_by_key(present)) {
    counts_.push_back({step, interned_[species].census_id, present_count_[species]});
    present_count_[species] = 0;
  }
  formed_since_census_ = 0;
  broken_since_census_ = 0;
  return census;
}

std::vector<uint32_t> ChemistryLedger::seen_in_key_order() const {
  std::vector<uint32_t> order(seen_.size());
  for (size_t i = 0; i < seen_.size(); ++i) order[i] = static_cast<uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return interned_[seen_[a].species].key < interned_[seen_[b].species].key;
  });
  return order;
}

std::vector<uint32_t> ChemistryLedger::reactions_in_equation_order() const {
  std::vector<uint32_t> order(reactions_.size());
  for (size_t i = 0; i < reactions_.size(); ++i) order[i] = static_cast<uint32_t>(i);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return reactions_[a].equation < reactions_[b].equation; });
  return order;
}

std::vector<SpeciesRecord> ChemistryLedger::species() const {
  std::vector<SpeciesRecord> out;
  out.reserve(seen_.size());
  for (uint32_t id : seen_in_key_order()) {
    const SpeciesStats& s = seen_[id];
    const SpeciesInfo& info = interned_[s.species];
    out.push_back({info.key, info.formula, info.atoms, info.bonds, s.first_seen_step, s.final_count, s.max_count});
  }
  return out;
}

std::vector<ReactionRecord> ChemistryLedger::reactions() const {
  const auto keys = [&](const std::vector<uint32_t>& side) {
    std::vector<std::string> out;
    for (uint32_t species : side) out.push_back(interned_[species].key);
    return out;
  };
  std::vector<ReactionRecord> out;
  out.reserve(reactions_.size());
  for (uint32_t index : reactions_in_equation_order()) {
    const ReactionStats& r = reactions_[index];
    if (r.count == 0 && r.recrossings == 0) continue;  // a break still open (between analyses)
    out.push_back({r.equation, r.formula_equation, keys(r.reactants), keys(r.products), r.count, r.recrossings,
                   r.first_step});
  }
  std::stable_sort(out.begin(), out.end(), [](const ReactionRecord& a, const ReactionRecord& b) {
    return a.count > b.count;  // stable over the equation order
  });
  return out;
}

std::vector<SpeciesCountRecord> ChemistryLedger::species_counts() const {
  std::vector<SpeciesCountRecord> out;
  out.reserve(counts_.size());
  for (const CountRow& row : counts_) {
    out.push_back({row.step, 0.0, interned_[seen_[static_cast<size_t>(row.species_id)].species].key, row.count});
  }
  return out;
}

void ChemistryLedger::save(ByteWriter& out) const {
  out.put<int64_t>(formed_since_census_);
  out.put<int64_t>(broken_since_census_);
  out.put<int64_t>(order_changes_);
  out.put<int64_t>(transfers_);
  out.put<uint64_t>(seen_.size());
  for (uint32_t id : seen_in_key_order()) {
    const SpeciesStats& s = seen_[id];
    const SpeciesInfo& info = interned_[s.species];
    out.put_string(info.key);
    out.put_string(info.formula);
    for (int64_t v : {info.atoms, info.bonds, s.first_seen_step, s.final_count, s.max_count, int64_t{id}}) {
      out.put<int64_t>(v);
    }
  }
  // The reactions' species once, in key order; a reaction names its sides by their positions there and an open event
  // its reaction by its position in equation order. The equations are rebuilt from the keys when loading: written
  // out, they and the keys repeated in every reaction were most of a large run's checkpoint beyond its atoms.
  std::vector<uint32_t> species;
  for (const ReactionStats& r : reactions_) {
    species.insert(species.end(), r.reactants.begin(), r.reactants.end());
    species.insert(species.end(), r.products.begin(), r.products.end());
  }
  species = sorted_by_key(std::move(species));  // one key per species: repeats end up side by side
  species.erase(std::unique(species.begin(), species.end()), species.end());
  std::unordered_map<uint32_t, uint32_t> position_of_species;
  out.put<uint64_t>(species.size());
  for (uint32_t k = 0; k < species.size(); ++k) {
    position_of_species.emplace(species[k], k);
    out.put_string(interned_[species[k]].key);
  }
  const std::vector<uint32_t> order = reactions_in_equation_order();
  std::vector<uint32_t> position_of_reaction(reactions_.size());
  out.put<uint64_t>(order.size());
  for (uint32_t k = 0; k < order.size(); ++k) {
    position_of_reaction[order[k]] = k;
    const ReactionStats& r = reactions_[order[k]];
    for (const std::vector<uint32_t>* side : {&r.reactants, &r.products}) {
      out.put<uint32_t>(static_cast<uint32_t>(side->size()));
      for (uint32_t s : *side) out.put<uint32_t>(position_of_species.at(s));
    }
    for (int64_t v : {r.count, r.recrossings, r.first_step}) out.put<int64_t>(v);
  }
  out.put<uint64_t>(open_events_.size());
  for (const auto& [key, open] : open_events_) {
    for (uint32_t atom : key) out.put<uint32_t>(atom);
    out.put<uint32_t>(position_of_reaction[open.reaction]);
    out.put<int64_t>(open.step);
  }
  out.put<uint64_t>(counts_.size());
  for (const CountRow& row : counts_) {
    for (int64_t v : {row.step, row.species_id, row.count}) out.put<int64_t>(v);
  }
}

bool ChemistryLedger::load(ByteReader& in) {
  formed_since_census_ = in.get<int64_t>();
  broken_since_census_ = in.get<int64_t>();
  order_changes_ = in.get<int64_t>();
  transfers_ = in.get<int64_t>();
  interned_.clear();
  species_of_key_.clear();
  seen_.clear();
  reactions_.clear();
  reaction_of_sides_.clear();
  open_events_.clear();
  counts_.clear();
  cache_valid_ = false;
  // The key's formula is the text before '#' (species_key).
  const auto intern_key = [&](const std::string& key) { return intern(key, key.substr(0, key.find('#'))); };
  const auto n_species = in.get<uint64_t>();
  if (!in.ok() || n_species > in.remaining()) return false;
  seen_.assign(n_species, SpeciesStats{UINT32_MAX, 0, 0, 0});
  for (uint64_t i = 0; i < n_species && in.ok(); ++i) {
    const std::string key = in.get_string();
    const std::string formula = in.get_string();
    int64_t atoms = 0, bonds = 0, id = 0;
    SpeciesStats s{};
    for (int64_t* v : {&atoms, &bonds, &s.first_seen_step, &s.final_count, &s.max_count, &id}) *v = in.get<int64_t>();
    if (id < 0 || static_cast<uint64_t>(id) >= n_species || seen_[id].species != UINT32_MAX) return false;
    s.species = intern(key, formula);
    SpeciesInfo& info = interned_[s.species];
    if (info.census_id >= 0) return false;  // the same key twice
    info.atoms = atoms;
    info.bonds = bonds;
    info.census_id = id;
    seen_[id] = s;
  }
  const auto n_keys = in.get<uint64_t>();
  if (!in.ok() || n_keys > in.remaining()) return false;
  std::vector<uint32_t> species_at;
  for (uint64_t k = 0; k < n_keys && in.ok(); ++k) species_at.push_back(intern_key(in.get_string()));
  const auto n_reactions = in.get<uint64_t>();
  if (!in.ok() || n_reactions > in.remaining()) return false;
  std::vector<uint32_t> reaction_at;
  for (uint64_t i = 0; i < n_reactions && in.ok(); ++i) {
    std::vector<uint32_t> sides[2];
    for (std::vector<uint32_t>& side : sides) {
      const auto size = in.get<uint32_t>();
      if (size > 2) return false;  // one or two molecules on each side
      for (uint32_t k = 0; k < size; ++k) {
        const auto position = in.get<uint32_t>();
        if (!in.ok() || position >= species_at.size()) return false;
        side.push_back(species_at[position]);
      }
    }
    const size_t known = reactions_.size();
    const uint32_t index = reaction(sides[0], sides[1]);
    if (reactions_.size() == known) return false;  // the same reaction twice
    ReactionStats& r = reactions_[index];
    for (int64_t* v : {&r.count, &r.recrossings, &r.first_step}) *v = in.get<int64_t>();
    reaction_at.push_back(index);
  }
  const auto n_open = in.get<uint64_t>();
  for (uint64_t i = 0; i < n_open && in.ok(); ++i) {
    OpenKey key{};
    for (uint32_t& atom : key) atom = in.get<uint32_t>();
    const auto position = in.get<uint32_t>();
    const auto step = in.get<int64_t>();
    if (!in.ok() || position >= reaction_at.size()) return false;
    open_events_.emplace(key, OpenEvent{reaction_at[position], step});
  }
  const auto n_counts = in.get<uint64_t>();
  if (!in.ok() || n_counts > in.remaining() / (3 * sizeof(int64_t))) return false;
  counts_.resize(n_counts);
  for (CountRow& row : counts_) {
    for (int64_t* v : {&row.step, &row.species_id, &row.count}) *v = in.get<int64_t>();
    if (row.species_id < 0 || static_cast<uint64_t>(row.species_id) >= seen_.size()) return false;
  }
  return in.ok();
}

}  // namespace live2::sim
