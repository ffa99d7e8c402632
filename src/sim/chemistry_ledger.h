// Bookkeeping of the chemistry: every bond event as a reaction between species keys (counted, with the first step it
// happened, a break undone by its exact reverse before the next analysis counted apart as a recrossing), the species
// table (key, formula, first seen, current and maximum count), the species counts at every analysis and the novelty of
// each analysis. Everything here is part of the checkpoint. Not thread safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
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

  // Records `event` as a reaction; `bonds` is the graph just BEFORE the event is applied.
  void record_event(const BondEvent& event, const BondGraph& bonds, int64_t step);
  // Molecules and species in `bonds` now; updates the species table and the species counts, and counts the breaks
  // still open to a recrossing. Resets the event counters.
  MoleculeCensus take_census(const BondGraph& bonds, int64_t step);

  int64_t bonds_formed_since_census() const { return formed_since_census_; }
  int64_t bonds_broken_since_census() const { return broken_since_census_; }
  std::vector<SpeciesRecord> species() const;     // sorted by key
  std::vector<ReactionRecord> reactions() const;  // by count desc, then equation
  // Every census's counts, by step, then key; `time` is left 0 (the ledger does not know dt).
  std::vector<SpeciesCountRecord> species_counts() const;
  const std::vector<Element>& element_of_atom() const { return element_of_atom_; }

  void save(ByteWriter& out) const;
  bool load(ByteReader& in);  // false on a malformed section

 private:
  struct SpeciesStats {
    std::string formula;
    int64_t atoms, bonds, first_seen_step, final_count, max_count;
    int64_t id;  // order of first appearance: 0, 1, ...; the species counts refer to it
  };
  struct ReactionStats {
    std::string formula_equation;
    std::vector<std::string> reactants, products;
    int64_t count = 0, recrossings = 0, first_step = -1;
  };
  struct CountRow {
    int64_t step, species_id, count;
  };
  struct Side {
    std::vector<std::string> keys, formulas;
  };

  Side side_of(const std::vector<std::vector<uint32_t>>& molecules, const BondGraph& bonds,
               const PairToggle& toggle) const;
  ReactionStats& reaction(const Side& reactants, const Side& products);
  void count(ReactionStats& stats, int64_t step);
  std::string species_key_of(const std::vector<uint32_t>& atoms, const BondGraph& bonds,
                             const PairToggle& toggle) const;

  std::vector<Element> element_of_atom_;
  ComponentWalker walker_;
  std::map<std::string, SpeciesStats> species_;
  std::vector<std::string> key_of_species_id_;
  std::map<std::string, ReactionStats> reactions_;  // by equation of species keys
  // Breaks since the last census, by atom pair: the equation and step, not yet counted (a re-forming that is the
  // exact reverse turns it into a recrossing; the census counts the rest).
  std::map<std::pair<uint32_t, uint32_t>, std::pair<std::string, int64_t>> open_breaks_;
  std::vector<CountRow> counts_;
  int64_t formed_since_census_ = 0, broken_since_census_ = 0;
};

}  // namespace live2::sim
