// The stochastic bond formation / breaking rule (docs/simulation.md, "Reactions"). Decisions are drawn from the
// counter-based RNG keyed by (seed, step, atom ids); candidates are gathered in parallel, then applied in a fixed
// order (breaks by atom ids, formations by their random draw), so the outcome is independent of the thread count.
// Valence is checked at application time, so it is never exceeded. Not thread safe (mutates the engine).
#pragma once

#include <cstdint>
#include <vector>

#include "engine.h"
#include "heat_bath.h"

namespace live2::sim {

struct BondEvent {
  uint32_t a, b;  // atom ids, a < b
  bool formed;    // false: broken
};

// The events that happen at the engine's current step, in application order (formations already filtered against
// valence, given the breaks before them).
std::vector<BondEvent> decide_reactions(const Engine& engine, const HeatBath& bath,
                                        const std::vector<Element>& element_of_atom);

// One reaction attempt: decides, then applies each event, calling `on_event` just BEFORE the change so the caller
// sees the molecules as they were.
template <typename OnEvent>
void attempt_reactions(Engine& engine, const HeatBath& bath, const std::vector<Element>& element_of_atom,
                       OnEvent&& on_event) {
  for (const BondEvent& event : decide_reactions(engine, bath, element_of_atom)) {
    on_event(event);
    if (event.formed) {
      engine.form_bond(event.a, event.b);
    } else {
      engine.break_bond(event.a, event.b);
    }
  }
}

}  // namespace live2::sim
