#include "reaction_rules.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <variant>

#include "counter_rng.h"
#include "reaction_table.h"
#include "vector4.h"

namespace live2::sim {
namespace {

constexpr uint32_t kNoAtom = PairToggle::kNoAtom;
constexpr int kPairs = kElementCount * kElementCount;
constexpr int kOrders = BondGraph::kMaxBondOrder + 1;  // 0 .. 3

// r_c^2 of an element pair (its index in the force field's single-bond table): the sweep's reach, and what the force
// pass marks (reaction_reach).
double capture_radius2(const ForceFieldParams& field, const ReactionSettings& settings, int pair) {
  const double capture = settings.capture_factor * field.bond_rest_length[pair];
  return capture * capture;
}

// A pair in reach, tried from its lower id: an order step and a transfer, each with its random words.
struct PairTry {
  uint32_t slot, other, atom, partner;
  uint32_t entry;  // where `other` is in the slot's neighbour list: the bonded flag is read there at the try
  double r2;
  Philox4x32 order_words, transfer_words;
};

// A try evaluated against the bond graph as it was: whether it was made (the try probability), the atoms whose bonds
// it read (nothing else it reads changes during a sweep, but K at constant energy) and, if accepted, the move.
struct TryOutcome {
  bool made = false;
  bool accepted = false;
  ReactionEvent event;
  double energy_change = 0.0;
  std::array<uint32_t, 3> read{kNoAtom, kNoAtom, kNoAtom};
};

// One sweep: the tables of the element pairs, the evaluation of tries (const: threads may evaluate at once) and their
// application (serial, in pair order).
class Sweep {
 public:
  Sweep(Engine& engine, const HeatBath& bath, const std::vector<Element>& element_of_atom,
        const ReactionSettings& settings, const ReachMarks* marks);

  // The pairs in reach of the slots [begin, end), each once from its lower id, in slot then list order, with their
  // random words, appended to `out`.
  void collect_pairs(uint32_t begin, uint32_t end, std::vector<PairTry>& out) const;
  // A try of the pair with these words, not yet evaluated: made with the try probability, reading the pair's atoms.
  TryOutcome start_try(const PairTry& pair, const Philox4x32& words) const;
  // Whether the pair is bonded now, from its neighbour-list entry (flipped by every bond event of the pair).
  bool bonded_now(const PairTry& pair) const {
    return (neighbors_.entries(pair.slot)[pair.entry] & NeighborList::kBondedFlag) != 0;
  }
  TryOutcome evaluate_order_step(const PairTry& pair) const;
  TryOutcome evaluate_transfer(const PairTry& pair) const;
  void apply(const TryOutcome& outcome, const std::function<void(const ReactionEvent&)>& on_event);
  // Constant energy: rescales the velocities to the kinetic energy the accepted moves left.
  void finish();

  bool constant_energy() const { return settings_.constant_energy; }

 private:
  double bath_kT_of_slot(uint32_t slot) const {
    return discs_.empty() ? bath_.base_kT() : bath_.kT_at(p_.x[slot], p_.y[slot], discs_);
  }
  double distance2(uint32_t slot_a, uint32_t slot_b) const {
    const double dx = minimum_image(p_.x[slot_a] - p_.x[slot_b], box_, half_box_);
    const double dy = minimum_image(p_.y[slot_a] - p_.y[slot_b], box_, half_box_);
    return dx * dx + dy * dy;
  }
  bool capture_holds(uint32_t slot_a, uint32_t slot_b) const {
    return distance2(slot_a, slot_b) < capture2_[p_.type[slot_a] * kElementCount + p_.type[slot_b]];
  }
  // Calls f(k) for each position k of the slot's neighbour list that may hold an atom in reach: the marked ones, or
  // every one without marks.
  template <typename F>
  void for_each_candidate(uint32_t slot, F&& f) const {
    const uint32_t count = neighbors_.count(slot);
    if (marks_ == nullptr) {
      for (uint32_t k = 0; k < count; ++k) f(k);
      return;
    }
    const uint32_t* words = marks_->of_slot(slot);
    for (uint32_t word = 0; 32 * word < count; ++word) {
      for (uint32_t bits = words[word]; bits != 0; bits &= bits - 1) f(32 * word + std::countr_zero(bits));
    }
  }
  bool has_free_valence(uint32_t atom) const {
    return bonds_.valence_used(atom) < valence_[element_index(element_of_atom_[atom])];
  }
  double lowest_transfer_barrier(int pair, int pivot_type) const {
    return 0.5 * (barrier_[pair * kOrders + 1] + lowest_single_barrier_[pivot_type]);
  }
  double acceptance_of(double climb, double hastings, double kT) const {
    if (settings_.constant_energy) {
      const double kinetic_at_top = kinetic_ - climb;
      return kinetic_at_top <= 0.0 ? 0.0 : hastings * std::pow(kinetic_at_top / kinetic_, microcanonical_exponent_);
    }
    return hastings * std::exp(-climb / kT);
  }
  // The change of the angle terms centred on `centre` when `toggle` and then `second` are applied.
  double angle_change(uint32_t centre, const PairToggle& toggle, const PairToggle& second = {}) const {
    return angle_energy_at(p_, bonds_, geometry_, field_, centre, toggle, second) -
           angle_energy_at(p_, bonds_, geometry_, field_, centre);
  }

  Engine& engine_;
  const HeatBath& bath_;
  const std::vector<Element>& element_of_atom_;
  const ReactionSettings& settings_;
  const ParticleArrays& p_;  // positions never change during a sweep; bonds and forces do
  const BondGraph& bonds_;
  const NeighborList& neighbors_;
  const ForceFieldParams& field_;
  const BondGeometry& geometry_;
  const ReachMarks* marks_;
  const double box_, half_box_;
  const uint64_t seed_;
  const int64_t step_;
  const std::vector<HeatBath::Disc> discs_;
  std::array<int, kElementCount> valence_{};
  std::array<double, kPairs> capture2_{};
  std::array<int, kPairs> max_order_{};
  std::array<double, kPairs * kOrders> barrier_{};  // [pair * kOrders + upper order of the step]
  std::array<double, kElementCount> lowest_single_barrier_{};
  double hottest_kT_;
  // Most tries stop at a bound on their acceptance that depends only on the barriers. With the thermostat on, the
  // bounds' exponentials are the same for every pair of two elements: computed once per sweep, bit for bit what each
  // try would compute (the order step's only while kT is the same everywhere, no energy source active).
  bool uniform_kT_;
  std::array<double, kPairs * kOrders> barrier_weight_{};               // exp(-Ea / kT)
  std::array<double, kPairs * kElementCount> transfer_bound_weight_{};  // [pair, pivot element]
  // Constant energy: the internal kinetic energy K absorbs every accepted dU; the velocities are rescaled once at the
  // end (every try needs only the number K). The microcanonical weight of a configuration is K^(f/2 - 1), f = 2N - 2.
  double kinetic_before_, kinetic_;
  double microcanonical_exponent_;
};

Sweep::Sweep(Engine& engine, const HeatBath& bath, const std::vector<Element>& element_of_atom,
             const ReactionSettings& settings, const ReachMarks* marks)
    : engine_(engine),
      bath_(bath),
      element_of_atom_(element_of_atom),
      settings_(settings),
      p_(engine.particles()),
      bonds_(engine.bonds()),
      neighbors_(engine.neighbors()),
      field_(engine.force_field()),
      geometry_(engine.bond_geometry()),
      marks_(marks),
      box_(engine.settings().box_size),
      half_box_(0.5 * engine.settings().box_size),
      seed_(engine.settings().seed),
      step_(engine.step_index()),
      discs_(bath.active_discs(engine.time())) {
  for (Element e : kAllElements) valence_[element_index(e)] = element_valence(e);
  for (Element a : kAllElements) {
    for (Element b : kAllElements) {
      const int pair = element_index(a) * kElementCount + element_index(b);
      capture2_[pair] = capture_radius2(field_, settings, pair);
      max_order_[pair] = max_bond_order(a, b);
      for (int order = 1; order <= max_order_[pair]; ++order) {
        barrier_[pair * kOrders + order] =
            settings.barrier_scale * bond_energetics(a, b, settings.chemistry_scale, order).activation_energy;
      }
    }
  }
  for (Element a : kAllElements) {
    double lowest = barrier_[element_index(a) * kElementCount * kOrders + 1];
    for (Element b : kAllElements) {
      lowest = std::min(lowest, barrier_[(element_index(a) * kElementCount + element_index(b)) * kOrders + 1]);
    }
    lowest_single_barrier_[element_index(a)] = lowest;
  }
  hottest_kT_ = bath.base_kT();
  for (const HeatBath::Disc& disc : discs_) hottest_kT_ = std::max(hottest_kT_, disc.kT);
  uniform_kT_ = discs_.empty() && !settings.constant_energy;
  for (int pair = 0; pair < kPairs; ++pair) {
    for (int order = 1; order <= max_order_[pair]; ++order) {
      barrier_weight_[pair * kOrders + order] = std::exp(-barrier_[pair * kOrders + order] / bath.base_kT());
    }
    for (int pivot_type = 0; pivot_type < kElementCount; ++pivot_type) {
      transfer_bound_weight_[pair * kElementCount + pivot_type] =
          std::exp(-lowest_transfer_barrier(pair, pivot_type) / hottest_kT_);
    }
  }
  kinetic_before_ = settings.constant_energy ? engine.internal_kinetic_energy() : 0.0;
  kinetic_ = kinetic_before_;
  microcanonical_exponent_ = static_cast<double>(p_.size()) - 2.0;
}

void Sweep::collect_pairs(uint32_t begin, uint32_t end, std::vector<PairTry>& out) const {
  const size_t first_pair = out.size();
  for (uint32_t slot = begin; slot < end; ++slot) {
    const uint32_t atom = p_.id[slot];
    const uint32_t* list = neighbors_.entries(slot);
    for_each_candidate(slot, [&](uint32_t k) {
      const uint32_t other = list[k] & NeighborList::kSlotMask;
      if (p_.id[other] <= atom) return;  // also the list's self padding
      const double r2 = distance2(slot, other);
      if (r2 < capture2_[p_.type[slot] * kElementCount + p_.type[other]]) {
        out.push_back({slot, other, atom, p_.id[other], k, r2, {}, {}});
      }
    });
  }
  // Both kinds of move of every pair, eight draws at a time (a vectorised Philox evaluation of eight costs little
  // more than one scalar one).
  const size_t draws = 2 * (out.size() - first_pair);
  for (size_t first = 0; first < draws; first += 8) {
    RngStream streams[8];
    uint32_t a[8], b[8];
    for (size_t lane = 0; lane < 8; ++lane) {
      const size_t draw = std::min(first + lane, draws - 1);
      const PairTry& pair = out[first_pair + draw / 2];
      streams[lane] = draw % 2 == 0 ? RngStream::reaction_move : RngStream::bond_transfer;
      a[lane] = pair.atom;
      b[lane] = pair.partner;
    }
    const PhiloxLanes<8> lanes = random_words8(seed_, step_, streams, a, b);
    for (size_t lane = 0; lane < 8 && first + lane < draws; ++lane) {
      PairTry& pair = out[first_pair + (first + lane) / 2];
      (lane % 2 == 0 ? pair.order_words : pair.transfer_words) = {lanes.word[0][lane], lanes.word[1][lane],
                                                                  lanes.word[2][lane], lanes.word[3][lane]};
    }
  }
}

TryOutcome Sweep::start_try(const PairTry& pair, const Philox4x32& words) const {
  TryOutcome outcome;
  outcome.read = {pair.atom, pair.partner, kNoAtom};
  outcome.made = settings_.try_probability >= 1.0 || to_unit_interval(words[0]) < settings_.try_probability;
  return outcome;
}

// One step along the order ladder of the pair.
TryOutcome Sweep::evaluate_order_step(const PairTry& pair) const {
  const uint32_t slot = pair.slot, other = pair.other, atom = pair.atom, partner = pair.partner;
  const Philox4x32& words = pair.order_words;
  TryOutcome outcome = start_try(pair, words);
  if (!outcome.made) return outcome;
  const int type_pair = p_.type[slot] * kElementCount + p_.type[other];
  // The proposal: one step along the pair's order ladder 0 .. m, uniform over the step's one or two neighbours,
  // whatever the valences (so it is the same from both ends of a step); the Hastings factor below corrects for the
  // ends of the ladder having one neighbour.
  const int top = max_order_[type_pair];
  const int order = bonded_now(pair) ? bonds_.order(atom, partner) : 0;
  const auto neighbours = [top](int n) { return (n > 0 ? 1 : 0) + (n < top ? 1 : 0); };
  int target = order == 0 ? 1 : order - 1;
  if (order > 0 && order < top && (words[2] & 1u) != 0) target = order + 1;
  // Transition state E_ts = max(U_old, U_new) + Ea: the climb from now is max(0, dU) + Ea either way. Times
  // min(1, q(back) / q(forth)) (1 or 1/2): the ratio of forth and back acceptances is then q(back) / q(forth)
  // exp(-dU / kT), detailed balance for the proposal above.
  const double hastings = std::min(1.0, static_cast<double>(neighbours(order)) / neighbours(target));
  const double barrier_climb = barrier_[type_pair * kOrders + std::max(order, target)];
  const double kT = settings_.constant_energy ? 0.0 : 0.5 * (bath_kT_of_slot(slot) + bath_kT_of_slot(other));
  const double uniform = to_unit_interval(words[1]);
  // The climb is at least the barrier, so a draw at or above the barrier's own acceptance rejects whatever dU is:
  // most tries end here without computing any energy (the same decisions as computing it first).
  const double best = uniform_kT_ ? hastings * barrier_weight_[type_pair * kOrders + std::max(order, target)]
                                  : acceptance_of(barrier_climb, hastings, kT);
  if (best < 1.0 && uniform >= best) return outcome;
  // Raising an order past either atom's valence leads to a state of zero weight: rejected.
  if (target > order && (!has_free_valence(atom) || !has_free_valence(partner))) return outcome;
  const double r = std::sqrt(pair.r2);
  double energy_change = 0.0;
  if (order == 0 || target == 0) {
    const double switch_energy = bond_switch_energy(field_, p_.type[slot], p_.type[other], r);
    energy_change = order == 0 ? switch_energy : -switch_energy;
    // Breaking a single bond keeps both atoms' hybridisations and removes only the angles that bond made, none above
    // its term's largest value: dU >= -switch - those maxima. A draw at or above that bound's acceptance rejects
    // whatever the angles are: most breaks (of bonds many kT deep) end here, with the decision computing them would
    // give (the 1e-9 is far above the rounding of the angle sums).
    if (target == 0) {
      double lowest = energy_change - 1e-9;
      for (uint32_t centre : {atom, partner}) {
        lowest -=
            (bonds_.degree(centre) - 1) * largest_angle_energy(geometry_.hybridisation(centre), field_.angle_stiffness);
      }
      const double bound = acceptance_of(std::max(0.0, lowest) + barrier_climb, hastings, kT);
      if (bound < 1.0 && uniform >= bound) return outcome;
    }
  } else {
    energy_change = bond_energy(field_, p_.type[slot], p_.type[other], target, r) -
                    bond_energy(field_, p_.type[slot], p_.type[other], order, r);
  }
  // The angles centred on the two atoms change (new or lost arms, new hybridisation); no other angle does.
  const PairToggle after{atom, partner, target};
  for (uint32_t centre : {atom, partner}) energy_change += angle_change(centre, after);
  const double acceptance = acceptance_of(std::max(0.0, energy_change) + barrier_climb, hastings, kT);
  if (acceptance < 1.0 && uniform >= acceptance) return outcome;
  outcome.accepted = true;
  outcome.event = BondEvent{atom, partner, order, target};
  outcome.energy_change = energy_change;
  return outcome;
}

// A bond transfer through the pair {x, y} (docs/simulation.md, "Bond transfer"): a pivot (x or y by a random bit)
// moves one of its single bonds between an atom `from` and an atom `to`, both within its capture radius. With the
// pivot unbonded to the other atom of the pair, the other atom is `to` and `from` is drawn uniformly from the
// pivot's n_b single-bonded partners in range ("bring in"); with the pair single-bonded, the other atom is `from`
// and `to` is drawn uniformly from the n_u atoms in range not bonded to the pivot ("send out"). The reverse of a
// move is the other kind through the pair {pivot, from}, and n_b and n_u are the same before and after it, so
// q(back) / q(forth) = n_b / n_u (bring in) or n_u / n_b (send out).
TryOutcome Sweep::evaluate_transfer(const PairTry& pair) const {
  const uint32_t slot_x = pair.slot, slot_y = pair.other, x = pair.atom, y = pair.partner;
  const Philox4x32& words = pair.transfer_words;
  TryOutcome outcome = start_try(pair, words);
  if (!outcome.made) return outcome;
  const bool bonded = bonded_now(pair);
  const bool pivot_is_x = (words[2] & 1u) == 0;
  const uint32_t pivot = pivot_is_x ? x : y, other = pivot_is_x ? y : x;
  const uint32_t pivot_slot = pivot_is_x ? slot_x : slot_y;
  const bool bring_in = !bonded;
  if (bonded && bonds_.order(pivot, other) != 1) return outcome;                            // only single bonds move
  if (bring_in && (bonds_.degree(pivot) == 0 || !has_free_valence(other))) return outcome;  // nothing to move, no room
  const double uniform = to_unit_interval(words[1]);
  // Ea is at least half the pair's barrier plus half the lowest single-bond barrier of the pivot's element, the
  // Hastings factor at most 1 and kT at most the hottest bath's: a draw above that bound rejects before anything is
  // counted.
  const int type_pair = p_.type[slot_x] * kElementCount + p_.type[slot_y];
  const double best = settings_.constant_energy
                          ? acceptance_of(lowest_transfer_barrier(type_pair, p_.type[pivot_slot]), 1.0, hottest_kT_)
                          : transfer_bound_weight_[type_pair * kElementCount + p_.type[pivot_slot]];
  if (best < 1.0 && uniform >= best) return outcome;
  // n_b and n_u, the pivot's single-bonded partners and unbonded atoms within its capture radius. The kind of move
  // draws from one of them; the other only enters the Hastings factor, so it is counted once the move is possible.
  const auto single_bonded_in_range = [&](int k) {
    return bonds_.orders(pivot)[k] == 1 && capture_holds(pivot_slot, p_.slot_of_id[bonds_.partners(pivot)[k]]);
  };
  const uint32_t* list = neighbors_.entries(pivot_slot);
  const auto unbonded_in_range = [&](uint32_t k) {
    const uint32_t entry_slot = list[k] & NeighborList::kSlotMask;
    return entry_slot != pivot_slot && (list[k] & NeighborList::kBondedFlag) == 0 &&
           capture_holds(pivot_slot, entry_slot);
  };
  const auto count_single_bonded = [&] {
    int count = 0;
    for (int k = 0; k < bonds_.degree(pivot); ++k) count += single_bonded_in_range(k) ? 1 : 0;
    return count;
  };
  const auto count_unbonded = [&] {
    int count = 0;
    for_each_candidate(pivot_slot, [&](uint32_t k) { count += unbonded_in_range(k) ? 1 : 0; });
    return count;
  };
  const int candidates = bring_in ? count_single_bonded() : count_unbonded();
  if (candidates == 0) return outcome;
  int pick = std::min(candidates - 1, static_cast<int>(to_unit_interval(words[3]) * candidates));
  uint32_t drawn = kNoAtom;
  if (bring_in) {
    for (int k = 0; k < bonds_.degree(pivot) && drawn == kNoAtom; ++k) {
      if (single_bonded_in_range(k) && pick-- == 0) drawn = bonds_.partners(pivot)[k];
    }
  } else {
    for_each_candidate(pivot_slot, [&](uint32_t k) {
      if (drawn == kNoAtom && unbonded_in_range(k) && pick-- == 0) drawn = p_.id[list[k] & NeighborList::kSlotMask];
    });
  }
  outcome.read[2] = drawn;
  const uint32_t from = bring_in ? drawn : other, to = bring_in ? other : drawn;
  if (!bring_in && !has_free_valence(to)) return outcome;  // a state of zero weight
  const int single_bonded = bring_in ? candidates : count_single_bonded();
  const int unbonded = bring_in ? count_unbonded() : candidates;
  const double hastings = std::min(
      1.0, bring_in ? static_cast<double>(single_bonded) / unbonded : static_cast<double>(unbonded) / single_bonded);
  const uint32_t from_slot = p_.slot_of_id[from], to_slot = p_.slot_of_id[to];
  // kT of the three atoms' baths: the same three for the move and its reverse.
  const double kT = (bath_kT_of_slot(pivot_slot) + bath_kT_of_slot(from_slot) + bath_kT_of_slot(to_slot)) / 3.0;
  const int pivot_type = p_.type[pivot_slot];
  const int from_pair = pivot_type * kElementCount + p_.type[from_slot];
  const int to_pair = pivot_type * kElementCount + p_.type[to_slot];
  const double barrier_climb = 0.5 * (barrier_[from_pair * kOrders + 1] + barrier_[to_pair * kOrders + 1]);
  const PairToggle lost{pivot, from, 0}, gained{pivot, to, 1};
  double energy_change =
      bond_switch_energy(field_, pivot_type, p_.type[to_slot], std::sqrt(distance2(pivot_slot, to_slot))) -
      bond_switch_energy(field_, pivot_type, p_.type[from_slot], std::sqrt(distance2(pivot_slot, from_slot)));
  energy_change += angle_change(pivot, lost, gained);
  energy_change += angle_change(from, lost);
  energy_change += angle_change(to, gained);
  const double acceptance = acceptance_of(std::max(0.0, energy_change) + barrier_climb, hastings, kT);
  if (acceptance < 1.0 && uniform >= acceptance) return outcome;
  outcome.accepted = true;
  outcome.event = BondTransfer{pivot, from, to};
  outcome.energy_change = energy_change;
  return outcome;
}

void Sweep::apply(const TryOutcome& outcome, const std::function<void(const ReactionEvent&)>& on_event) {
  if (const auto* order_step = std::get_if<BondEvent>(&outcome.event)) {
    on_event(*order_step);  // before: the ledger reads the molecules the step changes
    if (order_step->broken()) {
      engine_.break_bond(order_step->a, order_step->b);
    } else if (order_step->formed()) {
      engine_.form_bond(order_step->a, order_step->b);
    } else {
      engine_.set_bond_order(order_step->a, order_step->b, order_step->order_after);
    }
  } else {
    const BondTransfer& transfer = std::get<BondTransfer>(outcome.event);
    engine_.break_bond(transfer.pivot, transfer.from);
    engine_.form_bond(transfer.pivot, transfer.to);
    on_event(transfer);
  }
  kinetic_ -= outcome.energy_change;
}

void Sweep::finish() {
  if (settings_.constant_energy && kinetic_ != kinetic_before_) {
    engine_.scale_internal_velocities(std::sqrt(kinetic_ / kinetic_before_));
  }
}

// The atoms whose bonds an accepted move changed.
std::array<uint32_t, 3> atoms_of(const ReactionEvent& event) {
  if (const auto* order_step = std::get_if<BondEvent>(&event)) return {order_step->a, order_step->b, kNoAtom};
  const BondTransfer& transfer = std::get<BondTransfer>(event);
  return {transfer.pivot, transfer.from, transfer.to};
}

}  // namespace

ReachMarks reaction_reach(const ForceFieldParams& field, const ReactionSettings& settings) {
  ReachMarks marks;
  for (int pair = 0; pair < kPairs; ++pair) {
    marks.reach2[pair] = capture_radius2(field, settings, pair) * (1.0 + 1e-9);
  }
  return marks;
}

ReactionSettings reaction_settings(const SimulationConfig& config) {
  ReactionSettings s;
  s.capture_factor = config.capture_factor;
  s.barrier_scale = config.barrier_scale;
  s.constant_energy = !config.thermostat;
  s.chemistry_scale = config.chemistry_scale;
  if (!config.reactions) return s;
  // attempt_rate * dt <= 1 (validated). Sweeping every M steps with probability nu M dt keeps nu tries per unit time
  // and spends the sweep's pass over the pairs on as many tries as possible. The epsilon keeps 1 / (20 * 0.005) = 10.
  const double tries_per_step = config.attempt_rate * config.dt();
  s.interval_steps = std::max<int64_t>(1, static_cast<int64_t>(std::floor(1.0 / tries_per_step + 1e-9)));
  s.try_probability = std::min(1.0, tries_per_step * static_cast<double>(s.interval_steps));
  return s;
}

bool sweep_due(const ReactionSettings& settings, int64_t step) {
  return settings.try_probability > 0.0 && step % settings.interval_steps == 0;
}

int64_t run_reaction_sweep(Engine& engine, const HeatBath& bath, const std::vector<Element>& element_of_atom,
                           const ReactionSettings& settings, const std::function<void(const ReactionEvent&)>& on_event,
                           const ReachMarks* marks) {
  Sweep sweep(engine, bath, element_of_atom, settings, marks);
  const auto n = static_cast<uint32_t>(engine.particles().size());
  ThreadTeam& team = engine.team();
  // Slots go in blocks. The team collects a block's pairs and, with the thermostat on, evaluates every try against
  // the bond graph as the block found it (speculation: most tries are rejected, and the few accepted moves touch few
  // atoms). Then the tries run serially in pair order: a try that read no atom an accepted move of this block has
  // touched keeps its outcome, any other is evaluated again on the current graph. So every try's outcome is exactly
  // the serial sweep's, whatever the thread count. At constant energy every acceptance changes K, which every try
  // reads, so the tries are evaluated in the serial pass only.
  constexpr uint32_t kBlockSlots = 4096;
  const bool speculate = settings.evaluate_ahead && !settings.constant_energy;
  std::vector<std::vector<PairTry>> pairs_of_chunk(team.size());
  std::vector<std::vector<std::array<TryOutcome, 2>>> outcomes_of_chunk(team.size());
  std::vector<uint8_t> touched(n, 0);
  std::vector<uint32_t> touched_atoms;
  const auto untouched = [&](const TryOutcome& outcome) {
    return std::none_of(outcome.read.begin(), outcome.read.end(),
                        [&](uint32_t atom) { return atom != kNoAtom && touched[atom] != 0; });
  };
  int64_t tries = 0;
  for (uint32_t block = 0; block < n; block += kBlockSlots) {
    const uint32_t block_end = std::min(n, block + kBlockSlots);
    for (std::vector<PairTry>& pairs : pairs_of_chunk) pairs.clear();  // a chunk may get no slots
    team.run(block_end - block, [&](int64_t begin, int64_t end, int chunk) {
      std::vector<PairTry>& pairs = pairs_of_chunk[chunk];
      sweep.collect_pairs(block + static_cast<uint32_t>(begin), block + static_cast<uint32_t>(end), pairs);
      std::vector<std::array<TryOutcome, 2>>& outcomes = outcomes_of_chunk[chunk];
      outcomes.clear();
      if (!speculate) return;
      outcomes.reserve(pairs.size());
      for (const PairTry& pair : pairs) {
        outcomes.push_back({sweep.evaluate_order_step(pair), sweep.evaluate_transfer(pair)});
      }
    });
    for (int chunk = 0; chunk < team.size(); ++chunk) {
      const std::vector<PairTry>& pairs = pairs_of_chunk[chunk];
      for (size_t k = 0; k < pairs.size(); ++k) {
        for (int kind = 0; kind < 2; ++kind) {
          // The outcome evaluated ahead, unless an accepted move of this block touched what it read.
          const TryOutcome* outcome = speculate ? &outcomes_of_chunk[chunk][k][kind] : nullptr;
          TryOutcome evaluated_now;
          if (outcome == nullptr || !untouched(*outcome)) {
            evaluated_now = kind == 0 ? sweep.evaluate_order_step(pairs[k]) : sweep.evaluate_transfer(pairs[k]);
            outcome = &evaluated_now;
          }
          tries += kind == 0 && outcome->made ? 1 : 0;
          if (!outcome->accepted) continue;
          sweep.apply(*outcome, on_event);
          for (uint32_t atom : atoms_of(outcome->event)) {
            if (atom == kNoAtom || touched[atom] != 0) continue;
            touched[atom] = 1;
            touched_atoms.push_back(atom);
          }
        }
      }
    }
    for (uint32_t atom : touched_atoms) touched[atom] = 0;
    touched_atoms.clear();
  }
  sweep.finish();
  return tries;
}

}  // namespace live2::sim
