// The reaction moves (docs/simulation.md, "Reactions"): Monte Carlo moves that change the bond graph and never move
// an atom. An order step changes one pair's bond order by one (0 -> 1 forms a bond, 1 -> 0 breaks it, 1 <-> 2 <-> 3
// where both elements allow); a bond transfer moves one single bond of a pivot atom from one partner to another
// (A-B + C -> A + B-C, how an unpaired electron travels without a homolysis). Every pair closer than its capture radius
// r_c = capture_factor * r0, bonded or not, is tried at attempt_rate tries per unit simulated time for each kind of
// move; a try proposes one change (with its Hastings factor) and is accepted with the Metropolis rule for the model's
// Hamiltonian (with a barrier), or with the microcanonical rule at constant energy. Tries take effect one at a time on
// the current state in a fixed order (slot order, then neighbour-list order), with counter-based random numbers keyed
// by (seed, step, atom ids); the engine's threads evaluate them ahead, speculatively, and any try an earlier move
// could have changed is evaluated again, so the outcome does not depend on the thread count. Not thread safe (mutates
// the engine; runs its loops on the engine's team).
#pragma once

#include <cstdint>
#include <functional>
#include <variant>
#include <vector>

#include "engine.h"
#include "heat_bath.h"
#include "params.h"

namespace live2::sim {

struct BondEvent {
  uint32_t a, b;                 // atom ids, a < b
  int order_before, order_after;  // 0: no bond; they differ by one
  bool formed() const { return order_before == 0; }
  bool broken() const { return order_after == 0; }
};

// The single bond pivot-from became pivot-to (from != to, both atom ids): one elementary step, one reaction.
struct BondTransfer {
  uint32_t pivot, from, to;
};

using ReactionEvent = std::variant<BondEvent, BondTransfer>;

struct ReactionSettings {
  double capture_factor = 1.3;  // r_c = capture_factor * r0 of the pair, for forming and breaking alike
  double barrier_scale = 1.0;   // Ea of a pair = barrier_scale * the table's Ea
  bool constant_energy = false;  // microcanonical acceptance and velocity rescaling instead of the bath's kT
  double chemistry_scale = 1.0 / 30.0;  // the barriers follow the depths D = chemistry_scale * BDE
  // Sweeps run every interval_steps steps and try each pair in range with probability try_probability =
  // attempt_rate * interval_steps * dt <= 1: attempt_rate tries per unit time whatever dt is.
  int64_t interval_steps = 1;
  double try_probability = 0.0;
  // Evaluate tries ahead on the engine's threads (run_reaction_sweep); false evaluates each at its turn, the
  // reference the speculation must match (tests).
  bool evaluate_ahead = true;
};

ReactionSettings reaction_settings(const SimulationConfig& config);

// True when a sweep runs at the engine's current step (reactions on and the step a multiple of interval_steps).
bool sweep_due(const ReactionSettings& settings, int64_t step);

// What the force pass before a sweep marks (Engine::step): each element pair's capture radius, widened by a relative
// 1e-9 so the marks hold every pair the sweep's own distance (the same arithmetic, perhaps rounded once differently)
// puts in range. The sweep holds every marked pair to its exact radius, so the marks change no outcome.
ReachMarks reaction_reach(const ForceFieldParams& field, const ReactionSettings& settings);

// One sweep at the engine's current step (between two integrator steps: after the closing half kick, before the next
// opening one). Calls `on_event` for each accepted move: an order step just BEFORE it is applied, a transfer just
// AFTER (its two bond changes are one step; the caller reads the molecules before it from what it saw last).
// `marks`, if given, must be those of the step just taken (from reaction_reach); without them the sweep scans every
// list entry, with the same outcome. Returns the number of order-step tries made.
int64_t run_reaction_sweep(Engine& engine, const HeatBath& bath, const std::vector<Element>& element_of_atom,
                           const ReactionSettings& settings, const std::function<void(const ReactionEvent&)>& on_event,
                           const ReachMarks* marks = nullptr);

}  // namespace live2::sim
