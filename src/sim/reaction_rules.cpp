#include "reaction_rules.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "counter_rng.h"
#include "reaction_table.h"

namespace live2::sim {
namespace {

// Minimum image for |d| < 1.5 L (positions lie at most skin/2 outside [0, L)): the same value as
// d - L * nearbyint(d / L) without the division.
double minimum_image(double d, double box, double half_box) {
  d = d > half_box ? d - box : d;
  return d < -half_box ? d + box : d;
}

}  // namespace

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
                           const ReactionSettings& settings,
                           const std::function<void(const ReactionEvent&)>& on_event) {
  const ParticleArrays& p = engine.particles();  // positions never change during a sweep; bonds and forces do
  const BondGraph& bonds = engine.bonds();
  const NeighborList& neighbors = engine.neighbors();
  const ForceFieldParams& field = engine.force_field();
  const BondGeometry& geometry = engine.bond_geometry();
  const double box = engine.settings().box_size, half_box = 0.5 * box;
  const uint64_t seed = engine.settings().seed;
  const int64_t step = engine.step_index();
  const std::vector<HeatBath::Disc> discs = bath.active_discs(engine.time());
  const auto bath_kT_of_slot = [&](uint32_t slot) {
    return discs.empty() ? bath.base_kT() : bath.kT_at(p.x[slot], p.y[slot], discs);
  };
  const auto distance2 = [&](uint32_t slot_a, uint32_t slot_b) {
    const double dx = minimum_image(p.x[slot_a] - p.x[slot_b], box, half_box);
    const double dy = minimum_image(p.y[slot_a] - p.y[slot_b], box, half_box);
    return dx * dx + dy * dy;
  };
  std::array<int, kElementCount> valence{};
  for (Element e : kAllElements) valence[element_index(e)] = element_valence(e);
  const auto has_free_valence = [&](uint32_t atom) {
    return bonds.valence_used(atom) < valence[element_index(element_of_atom[atom])];
  };
  constexpr int kOrders = BondGraph::kMaxBondOrder + 1;  // 0 .. 3
  std::array<double, kElementCount * kElementCount> capture2{};
  std::array<int, kElementCount * kElementCount> max_order{};
  std::array<double, kElementCount * kElementCount * kOrders> barrier{};  // [pair * kOrders + upper order of the step]
  for (Element a : kAllElements) {
    for (Element b : kAllElements) {
      const int pair = element_index(a) * kElementCount + element_index(b);
      const double capture = settings.capture_factor * field.bond_rest_length[pair];
      capture2[pair] = capture * capture;
      max_order[pair] = max_bond_order(a, b);
      for (int order = 1; order <= max_order[pair]; ++order) {
        barrier[pair * kOrders + order] =
            settings.barrier_scale * bond_energetics(a, b, settings.chemistry_scale, order).activation_energy;
      }
    }
  }
  std::array<double, kElementCount> lowest_single_barrier{};
  for (Element a : kAllElements) {
    double lowest = barrier[element_index(a) * kElementCount * kOrders + 1];
    for (Element b : kAllElements) {
      lowest = std::min(lowest, barrier[(element_index(a) * kElementCount + element_index(b)) * kOrders + 1]);
    }
    lowest_single_barrier[element_index(a)] = lowest;
  }
  double hottest_kT = bath.base_kT();
  for (const HeatBath::Disc& disc : discs) hottest_kT = std::max(hottest_kT, disc.kT);
  // Most tries stop at a bound on their acceptance that depends only on the barriers (below). With the thermostat on,
  // the bounds' exponentials are the same for every pair of two elements: computed here once per sweep, bit for bit
  // what each try would compute (the order step's only while kT is the same everywhere, no energy source active).
  const bool uniform_kT = discs.empty() && !settings.constant_energy;
  std::array<double, kElementCount * kElementCount * kOrders> barrier_weight{};  // exp(-Ea / kT)
  std::array<double, kElementCount * kElementCount * kElementCount> transfer_bound_weight{};  // [pair, pivot element]
  const auto lowest_transfer_barrier = [&](int pair, int pivot_type) {
    return 0.5 * (barrier[pair * kOrders + 1] + lowest_single_barrier[pivot_type]);
  };
  for (int pair = 0; pair < kElementCount * kElementCount; ++pair) {
    for (int order = 1; order <= max_order[pair]; ++order) {
      barrier_weight[pair * kOrders + order] = std::exp(-barrier[pair * kOrders + order] / bath.base_kT());
    }
    for (int pivot_type = 0; pivot_type < kElementCount; ++pivot_type) {
      transfer_bound_weight[pair * kElementCount + pivot_type] =
          std::exp(-lowest_transfer_barrier(pair, pivot_type) / hottest_kT);
    }
  }
  // Constant energy: the internal kinetic energy K absorbs every accepted dU; the velocities are rescaled once at the
  // end (every try needs only the number K). The microcanonical weight of a configuration is K^(f/2 - 1), f = 2N - 2.
  const double kinetic_before = settings.constant_energy ? engine.internal_kinetic_energy() : 0.0;
  const double microcanonical_exponent = static_cast<double>(p.size()) - 2.0;
  double kinetic = kinetic_before;

  const auto acceptance_of = [&](double climb, double hastings, double kT) {
    if (settings.constant_energy) {
      const double kinetic_at_top = kinetic - climb;
      return kinetic_at_top <= 0.0 ? 0.0 : hastings * std::pow(kinetic_at_top / kinetic, microcanonical_exponent);
    }
    return hastings * std::exp(-climb / kT);
  };
  const auto capture_holds = [&](uint32_t slot_a, uint32_t slot_b) {
    return distance2(slot_a, slot_b) < capture2[p.type[slot_a] * kElementCount + p.type[slot_b]];
  };

  // One step along the order ladder of the pair (slot, other), at squared distance r2, with the try's random words.
  const auto try_order_step = [&](uint32_t slot, uint32_t other, uint32_t atom, uint32_t partner, bool bonded,
                                  double r2, const Philox4x32& words) {
    const int pair = p.type[slot] * kElementCount + p.type[other];
    if (settings.try_probability < 1.0 && to_unit_interval(words[0]) >= settings.try_probability) return false;
    // The proposal: one step along the pair's order ladder 0 .. m, uniform over the step's one or two neighbours,
    // whatever the valences (so it is the same from both ends of a step); the Hastings factor below corrects for the
    // ends of the ladder having one neighbour.
    const int top = max_order[pair];
    const int order = bonded ? bonds.order(atom, partner) : 0;
    const auto neighbours = [top](int n) { return (n > 0 ? 1 : 0) + (n < top ? 1 : 0); };
    int target = order == 0 ? 1 : order - 1;
    if (order > 0 && order < top && (words[2] & 1u) != 0) target = order + 1;
    // Transition state E_ts = max(U_old, U_new) + Ea: the climb from now is max(0, dU) + Ea either way. Times
    // min(1, q(back) / q(forth)) (1 or 1/2): the ratio of forth and back acceptances is then q(back) / q(forth)
    // exp(-dU / kT), detailed balance for the proposal above.
    const double hastings = std::min(1.0, static_cast<double>(neighbours(order)) / neighbours(target));
    const double barrier_climb = barrier[pair * kOrders + std::max(order, target)];
    const double kT = settings.constant_energy ? 0.0 : 0.5 * (bath_kT_of_slot(slot) + bath_kT_of_slot(other));
    const double uniform = to_unit_interval(words[1]);
    // The climb is at least the barrier, so a draw at or above the barrier's own acceptance rejects whatever dU is:
    // most tries end here without computing any energy (the same decisions as computing it first).
    const double best = uniform_kT ? hastings * barrier_weight[pair * kOrders + std::max(order, target)]
                                   : acceptance_of(barrier_climb, hastings, kT);
    if (best < 1.0 && uniform >= best) return true;
    // Raising an order past either atom's valence leads to a state of zero weight: rejected.
    if (target > order && (!has_free_valence(atom) || !has_free_valence(partner))) return true;
    const double r = std::sqrt(r2);
    double energy_change = 0.0;
    if (order == 0 || target == 0) {
      const double switch_energy = bond_switch_energy(field, p.type[slot], p.type[other], r);
      energy_change = order == 0 ? switch_energy : -switch_energy;
    } else {
      energy_change = bond_energy(field, p.type[slot], p.type[other], target, r) -
                      bond_energy(field, p.type[slot], p.type[other], order, r);
    }
    // The angles centred on the two atoms change (new or lost arms, new hybridisation); no other angle does.
    const PairToggle after{atom, partner, target};
    for (uint32_t centre : {atom, partner}) {
      energy_change += angle_energy_at(p, bonds, geometry, field, centre, after) - angle_energy_at(p, bonds, geometry, field, centre);
    }
    const double acceptance = acceptance_of(std::max(0.0, energy_change) + barrier_climb, hastings, kT);
    if (acceptance < 1.0 && uniform >= acceptance) return true;
    on_event(BondEvent{atom, partner, order, target});
    if (target == 0) {
      engine.break_bond(atom, partner);
    } else if (order == 0) {
      engine.form_bond(atom, partner);
    } else {
      engine.set_bond_order(atom, partner, target);
    }
    kinetic -= energy_change;
    return true;
  };

  // A bond transfer through the pair {x, y} (docs/simulation.md, "Bond transfer"): a pivot (x or y by a random bit)
  // moves one of its single bonds between an atom `from` and an atom `to`, both within its capture radius. With the
  // pivot unbonded to the other atom of the pair, the other atom is `to` and `from` is drawn uniformly from the
  // pivot's n_b single-bonded partners in range ("bring in"); with the pair single-bonded, the other atom is `from`
  // and `to` is drawn uniformly from the n_u atoms in range not bonded to the pivot ("send out"). The reverse of a
  // move is the other kind through the pair {pivot, from}, and n_b and n_u are the same before and after it, so
  // q(back) / q(forth) = n_b / n_u (bring in) or n_u / n_b (send out).
  const auto try_transfer = [&](uint32_t slot_x, uint32_t slot_y, uint32_t x, uint32_t y, bool bonded,
                                const Philox4x32& words) {
    if (settings.try_probability < 1.0 && to_unit_interval(words[0]) >= settings.try_probability) return;
    const bool pivot_is_x = (words[2] & 1u) == 0;
    const uint32_t pivot = pivot_is_x ? x : y, other = pivot_is_x ? y : x;
    const uint32_t pivot_slot = pivot_is_x ? slot_x : slot_y;
    const bool bring_in = !bonded;
    if (bonded && bonds.order(pivot, other) != 1) return;                            // only single bonds move
    if (bring_in && (bonds.degree(pivot) == 0 || !has_free_valence(other))) return;  // nothing to move, or no room
    const double uniform = to_unit_interval(words[1]);
    // Ea is at least half the pair's barrier plus half the lowest single-bond barrier of the pivot's element, the
    // Hastings factor at most 1 and kT at most the hottest bath's: a draw above that bound rejects before anything is
    // counted.
    const int pair = p.type[slot_x] * kElementCount + p.type[slot_y];
    const double best = settings.constant_energy
                            ? acceptance_of(lowest_transfer_barrier(pair, p.type[pivot_slot]), 1.0, hottest_kT)
                            : transfer_bound_weight[pair * kElementCount + p.type[pivot_slot]];
    if (best < 1.0 && uniform >= best) return;
    // n_b and n_u, the pivot's single-bonded partners and unbonded atoms within its capture radius.
    int single_bonded = 0, unbonded = 0;
    for (int k = 0; k < bonds.degree(pivot); ++k) {
      const uint32_t partner = bonds.partners(pivot)[k];
      single_bonded += bonds.orders(pivot)[k] == 1 && capture_holds(pivot_slot, p.slot_of_id[partner]) ? 1 : 0;
    }
    const uint32_t* list = neighbors.entries(pivot_slot);
    const auto unbonded_in_range = [&](uint32_t k) {
      const uint32_t entry_slot = list[k] & NeighborList::kSlotMask;
      return entry_slot != pivot_slot && (list[k] & NeighborList::kBondedFlag) == 0 &&
             capture_holds(pivot_slot, entry_slot);
    };
    for (uint32_t k = 0; k < neighbors.count(pivot_slot); ++k) unbonded += unbonded_in_range(k) ? 1 : 0;
    const int candidates = bring_in ? single_bonded : unbonded;
    if (candidates == 0) return;
    int pick = std::min(candidates - 1, static_cast<int>(to_unit_interval(words[3]) * candidates));
    uint32_t drawn = PairToggle::kNoAtom;
    if (bring_in) {
      for (int k = 0; k < bonds.degree(pivot) && drawn == PairToggle::kNoAtom; ++k) {
        const uint32_t partner = bonds.partners(pivot)[k];
        if (bonds.orders(pivot)[k] == 1 && capture_holds(pivot_slot, p.slot_of_id[partner]) && pick-- == 0) {
          drawn = partner;
        }
      }
    } else {
      for (uint32_t k = 0; k < neighbors.count(pivot_slot) && drawn == PairToggle::kNoAtom; ++k) {
        if (unbonded_in_range(k) && pick-- == 0) drawn = p.id[list[k] & NeighborList::kSlotMask];
      }
    }
    const uint32_t from = bring_in ? drawn : other, to = bring_in ? other : drawn;
    if (!bring_in && !has_free_valence(to)) return;  // a state of zero weight
    const double hastings = std::min(
        1.0, bring_in ? static_cast<double>(single_bonded) / unbonded : static_cast<double>(unbonded) / single_bonded);
    const uint32_t from_slot = p.slot_of_id[from], to_slot = p.slot_of_id[to];
    // kT of the three atoms' baths: the same three for the move and its reverse.
    const double kT = (bath_kT_of_slot(pivot_slot) + bath_kT_of_slot(from_slot) + bath_kT_of_slot(to_slot)) / 3.0;
    const int pivot_type = p.type[pivot_slot];
    const int from_pair = pivot_type * kElementCount + p.type[from_slot];
    const int to_pair = pivot_type * kElementCount + p.type[to_slot];
    const double barrier_climb = 0.5 * (barrier[from_pair * kOrders + 1] + barrier[to_pair * kOrders + 1]);
    const PairToggle lost{pivot, from, 0}, gained{pivot, to, 1};
    double energy_change =
        bond_switch_energy(field, pivot_type, p.type[to_slot], std::sqrt(distance2(pivot_slot, to_slot))) -
        bond_switch_energy(field, pivot_type, p.type[from_slot], std::sqrt(distance2(pivot_slot, from_slot)));
    energy_change += angle_energy_at(p, bonds, geometry, field, pivot, lost, gained) - angle_energy_at(p, bonds, geometry, field, pivot);
    energy_change += angle_energy_at(p, bonds, geometry, field, from, lost) - angle_energy_at(p, bonds, geometry, field, from);
    energy_change += angle_energy_at(p, bonds, geometry, field, to, gained) - angle_energy_at(p, bonds, geometry, field, to);
    const double acceptance = acceptance_of(std::max(0.0, energy_change) + barrier_climb, hastings, kT);
    if (acceptance < 1.0 && uniform >= acceptance) return;
    engine.break_bond(pivot, from);
    engine.form_bond(pivot, to);
    kinetic -= energy_change;
    on_event(BondTransfer{pivot, from, to});
  };

  // One atom's pairs in reach, each once from its lower id, in list order; then their random words, both kinds of
  // move, four words at a time (a vectorised Philox evaluation costs about one scalar one).
  struct PairInReach {
    uint32_t other, partner;
    uint32_t entry;  // where in the list: its bonded flag is read at the try (an earlier try may have flipped it)
    double r2;
  };
  std::vector<PairInReach> in_reach;
  std::vector<Philox4x32> words;  // [2 n]: pair n's order step, then its transfer
  int64_t tries = 0;
  for (uint32_t slot = 0; slot < p.size(); ++slot) {
    const uint32_t atom = p.id[slot];
    const uint32_t* list = neighbors.entries(slot);
    const uint32_t count = neighbors.count(slot);
    in_reach.resize(std::max<size_t>(in_reach.size(), count));
    uint32_t found = 0;
    for (uint32_t k = 0; k < count; ++k) {
      const uint32_t other = list[k] & NeighborList::kSlotMask;
      const uint32_t partner = p.id[other];
      const double r2 = distance2(slot, other);
      in_reach[found] = {other, partner, k, r2};
      // Branch-free: which entries are kept is unpredictable. partner > atom also skips the list's self padding.
      found += static_cast<uint32_t>(partner > atom) &
               static_cast<uint32_t>(r2 < capture2[p.type[slot] * kElementCount + p.type[other]]);
    }
    words.resize(std::max<size_t>(words.size(), 2 * size_t{found} + 3));
    for (uint32_t first = 0; first < 2 * found; first += 4) {
      RngStream streams[4];
      uint32_t a[4], b[4];
      for (uint32_t lane = 0; lane < 4; ++lane) {
        const uint32_t draw = std::min(first + lane, 2 * found - 1);
        streams[lane] = draw % 2 == 0 ? RngStream::reaction_move : RngStream::bond_transfer;
        a[lane] = atom;
        b[lane] = in_reach[draw / 2].partner;
      }
      const Philox4x32Lanes lanes = random_words4(seed, step, streams, a, b);
      for (uint32_t lane = 0; lane < 4; ++lane) {
        words[first + lane] = {lanes.word[0][lane], lanes.word[1][lane], lanes.word[2][lane], lanes.word[3][lane]};
      }
    }
    for (uint32_t n = 0; n < found; ++n) {
      const PairInReach& pair = in_reach[n];
      const auto bonded = [&] { return (list[pair.entry] & NeighborList::kBondedFlag) != 0; };
      tries += try_order_step(slot, pair.other, atom, pair.partner, bonded(), pair.r2, words[2 * n]) ? 1 : 0;
      try_transfer(slot, pair.other, atom, pair.partner, bonded(), words[2 * n + 1]);
    }
  }
  if (settings.constant_energy && kinetic != kinetic_before) {
    engine.scale_internal_velocities(std::sqrt(kinetic / kinetic_before));
  }
  return tries;
}

}  // namespace live2::sim
