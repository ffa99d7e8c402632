// Bookkeeping of the chemistry: every accepted move (a bond forming, breaking or changing order, or a bond transfer) as
// a reaction between species keys (counted, with the first step it happened; a break or transfer undone by its exact
// reverse before the next analysis counted apart as a recrossing), the species
// table (key, formula, first seen, current and maximum count), the species counts at every analysis and the novelty of
// each analysis. Everything here except the molecule cache is part of the checkpoint. Not thread safe.
//
// Cost: each molecule's species is cached (the molecule of every atom, and its interned species key), so an event
// walks and hashes only the one or two molecules it creates, and an analysis walks none; the cache is a function of
// the bond graph alone (rebuilt from it after a resume), and every output is ordered by key text, never by cache or
// interning order, so results do not depend on when the cache was built.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bond_graph.h"
#include "byte_stream.h"
#include "molecule_graph.h"
#include "reaction_rules.h"
#include "simulation.h"

namespace live2::sim {

struct MoleculeCensus {
  int64_t n_molecules = 0, n_species = 0, new_species = 0, largest_molecule = 0;
};

class ChemistryLedger {
 public:
  explicit ChemistryLedger(std::vector<Element> element_of_atom);

  // Brings the molecule cache up to `bonds` (it is empty after a resume). Call before each sweep: a transfer is
  // recorded after it is applied, and its molecules before come from the cache.
  void track(const BondGraph& bonds);
  // Records `event` as a reaction: an order step with `bonds` the graph just BEFORE it, a transfer with `bonds` the
  // graph just AFTER it (run_reaction_sweep's order of calls).
  void record(const ReactionEvent& event, const BondGraph& bonds, int64_t step);
  // Molecules and species in `bonds` now; updates the species table and the species counts, and counts the breaks
  // still open to a recrossing. Resets the event counters.
  MoleculeCensus take_census(const BondGraph& bonds, int64_t step);

  int64_t bonds_formed_since_census() const { return formed_since_census_; }
  int64_t bonds_broken_since_census() const { return broken_since_census_; }
  int64_t bond_order_changes() const { return order_changes_; }  // since the run began
  int64_t bond_transfers() const { return transfers_; }          // since the run began
  std::vector<SpeciesRecord> species() const;     // sorted by key
  std::vector<ReactionRecord> reactions() const;  // by count desc, then equation
  // Every census's counts, by step, then key; `time` is left 0 (the ledger does not know dt).
  std::vector<SpeciesCountRecord> species_counts() const;
  const std::vector<Element>& element_of_atom() const { return element_of_atom_; }

  void save(ByteWriter& out) const;
  bool load(ByteReader& in);  // false on a malformed section

 private:
  // A species key met in an event or an analysis, interned: reactions and molecules refer to it by index.
  struct SpeciesInfo {
    std::string key, formula;
    int64_t atoms = -1, bonds = -1;  // -1 until a molecule of it is walked (keys read from a checkpoint's reactions)
    int64_t census_id = -1;          // index in seen_, -1 while never present at an analysis
  };
  // A species present at some analysis; its census id (index in seen_) is the order of first appearance, which the
  // species counts refer to.
  struct SpeciesStats {
    uint32_t species;
    int64_t first_seen_step, final_count, max_count;
  };
  struct ReactionStats {
    std::string equation, formula_equation;
    std::vector<uint32_t> reactants, products;  // interned species, each side in key-text order
    int64_t count = 0, recrossings = 0, first_step = -1;
  };
  struct CountRow {
    int64_t step, species_id, count;
  };
  struct OpenEvent {
    uint32_t reaction;
    int64_t step;
  };
  using OpenKey = std::array<uint32_t, 3>;
  struct Molecule {
    uint32_t species;
    std::vector<uint32_t> atoms;
  };

  uint32_t intern(const std::string& key, const std::string& formula);
  // Interns the species of the component `atoms` (just walked) of `bonds` with `toggle` applied.
  uint32_t species_of_component(const std::vector<uint32_t>& atoms, const BondGraph& bonds, const PairToggle& toggle);
  // Replaces `old_molecules` in the cache by the component of `atom` (with `toggle` applied); returns its species.
  uint32_t cache_component(uint32_t atom, const BondGraph& bonds, const PairToggle& toggle);
  void release_molecule(uint32_t molecule);
  void record_order_step(const BondEvent& event, const BondGraph& bonds, int64_t step);
  void record_transfer(const BondTransfer& transfer, const BondGraph& bonds, int64_t step);
  // The reaction that turned the cached molecules of x and `other_before` into the components of x and `other_after`
  // in `bonds` with `toggle` applied; caches the latter.
  uint32_t reaction_across(uint32_t x, uint32_t other_before, uint32_t other_after, const BondGraph& bonds,
                           const PairToggle& toggle);
  // Closes the open event under `key`, if any: true when reaction `index` is its exact reverse (one recrossing),
  // otherwise that event is counted and the answer is false.
  bool closes_a_recrossing(const OpenKey& key, uint32_t index);
  // Leaves reaction `index` of `step` open under `key` (a break or a transfer, counted at the census unless reversed).
  void leave_open(const OpenKey& key, uint32_t index, int64_t step);
  std::vector<uint32_t> sorted_by_key(std::vector<uint32_t> species) const;
  uint32_t reaction(const std::vector<uint32_t>& reactants, const std::vector<uint32_t>& products);
  void count(ReactionStats& stats, int64_t step);
  std::vector<uint32_t> seen_in_key_order() const;
  std::vector<uint32_t> reactions_in_equation_order() const;

  std::vector<Element> element_of_atom_;
  ComponentWalker walker_;
  MoleculeHasher hasher_;
  std::vector<SpeciesInfo> interned_;
  std::unordered_map<std::string, uint32_t> species_of_key_;
  std::vector<SpeciesStats> seen_;
  std::vector<ReactionStats> reactions_;
  std::map<std::vector<uint32_t>, uint32_t> reaction_of_sides_;  // reactants, kSideSeparator, products -> index
  // Breaks and transfers since the last census: the reaction and step, not yet counted (the exact reverse before the
  // census turns the two into one recrossing; the census counts the rest). Keyed by the atoms the reverse names: a
  // break of (a, b) by {a, b, kNoAtom}, a transfer of pivot p from f to t by {p, t, f}.
  std::map<OpenKey, OpenEvent> open_events_;
  std::vector<CountRow> counts_;
  int64_t formed_since_census_ = 0, broken_since_census_ = 0, order_changes_ = 0, transfers_ = 0;

  // The molecule cache: every atom's molecule (lone atoms included) and its species.
  bool cache_valid_ = false;
  std::vector<uint32_t> molecule_of_atom_;
  std::vector<Molecule> molecules_;
  std::vector<uint32_t> free_molecules_;
  std::vector<uint32_t> molecule_stamp_;  // census pass marks
  uint32_t census_generation_ = 0;
  std::vector<int64_t> present_count_;  // by interned species, during a census
};

}  // namespace live2::sim
