// Bookkeeping of the chemistry: every bond event as a reaction equation of Hill formulas (counted, with the first
// step it happened), the species table (key, formula, first seen, current and maximum count) and the novelty of each
// analysis. Everything here is part of the checkpoint. Not thread safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
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

  // Records `event` as an equation; `bonds` is the graph just BEFORE the event is applied.
  void record_event(const BondEvent& event, const BondGraph& bonds, int64_t step);
  // Molecules and species in `bonds` now; updates the species table. Resets the event counters.
  MoleculeCensus take_census(const BondGraph& bonds, int64_t step);

  int64_t bonds_formed_since_census() const { return formed_since_census_; }
  int64_t bonds_broken_since_census() const { return broken_since_census_; }
  std::vector<SpeciesRecord> species() const;     // sorted by key
  std::vector<ReactionRecord> reactions() const;  // by count desc, then equation
  const std::vector<Element>& element_of_atom() const { return element_of_atom_; }

  void save(ByteWriter& out) const;
  bool load(ByteReader& in);  // false on a malformed section

 private:
  struct SpeciesStats {
    std::string formula;
    int64_t atoms, bonds, first_seen_step, final_count, max_count;
  };
  struct ReactionStats {
    int64_t count, first_step;
  };

  std::vector<Element> element_of_atom_;
  ComponentWalker walker_;
  std::map<std::string, SpeciesStats> species_;
  std::map<std::string, ReactionStats> reactions_;
  int64_t formed_since_census_ = 0, broken_since_census_ = 0;
};

}  // namespace live2::sim
