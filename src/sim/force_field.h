// The model's Hamiltonian (docs/simulation.md, "Hamiltonian"): Lennard-Jones 12-6 (sigma = epsilon = 1 for every
// element pair) cut and shifted at `cutoff`, skipping covalently bonded pairs (1-2 exclusion), plus one term per bond
// -D + k/2 (r - r0)^2 with the depth D and rest length r0 of its element pair and bond order, plus one angle term per
// two bonds sharing an atom, its shape set by that atom's hybridisation (angle_energy). Forces are summed
// per atom over its full neighbour list (fixed order, no write conflicts), so results are identical for any thread
// count. Thread safe for distinct outputs; loops run on the given ThreadTeam.
#pragma once

#include <array>
#include <vector>

#include "bond_graph.h"
#include "elements.h"
#include "neighbor_list.h"
#include "particle_arrays.h"
#include "reaction_table.h"
#include "thread_team.h"

namespace live2::sim {

// Stiffness K of every angle term at its minimum (epsilon / rad^2): a 3-membered ring of sp3 atoms (three 60-degree
// angles) costs 3 x 0.094 K = 5.6 kT at 300 K, the bending vibration is sqrt(kT / K) = 13 degrees at 300 K, and the
// bending frequency (omega = sqrt(K / (m r^2)) <= 5 for H) is far below the bonds' (28 for H-H), so dt is unchanged.
inline constexpr double kAngleStiffness = 20.0;

// The hybridisation of an atom, from the orders of its bonds: sp with a triple bond or two double bonds (rest angle
// 180 degrees), sp2 with one double bond (120), sp3 otherwise (in two dimensions 90 and 180: four partners at right
// angles).
enum class Hybridisation : uint8_t { sp, sp2, sp3 };

// The angle term of two bonds meeting at an atom of hybridisation h, as a function of c = cos(theta) (UFF's planar
// forms, Rappe et al. 1992: K / n^2 (1 - cos n theta) with n = 3 for sp2 and n = 4 for sp3, K (1 + cos theta) for sp):
// sp K (1 + c); sp2 K / 9 (1 + 3c - 4c^3); sp3 K / 2 (c^2 - c^4). Each has stiffness K at its minima; written in c so
// the forces have no 1 / sin(theta).
double angle_energy(Hybridisation h, double stiffness, double cos_theta);
// The largest value angle_energy takes for cos_theta in [-1, 1]: sp 2K (theta = 0), sp2 2K / 9 (60 and 180 degrees),
// sp3 K / 8 (45 and 135 degrees).
double largest_angle_energy(Hybridisation h, double stiffness);

struct ForceFieldParams {
  static constexpr int kPairs = kElementCount * kElementCount;
  // Index of an element pair and bond order in the tables below.
  static int bond_index(int type_a, int type_b, int order) {
    return (order - 1) * kPairs + type_a * kElementCount + type_b;
  }

  double box_size = 0.0;
  double cutoff = 2.5;
  double bond_stiffness = kBondStiffness;
  std::array<double, kPairs * BondGraph::kMaxBondOrder> bond_rest_length{};  // r0, [bond_index(a, b, order)]
  std::array<double, kPairs * BondGraph::kMaxBondOrder> bond_depth{};  // D, same indexing; 0 in the LJ benchmark
  double angle_stiffness = kAngleStiffness;
};

Hybridisation hybridisation(const BondGraph& bonds, uint32_t atom, const PairToggle& toggle = {});

// A bond seen from one of its atoms: the vector to the partner (minimum image), its length and inverse length.
struct BondArm {
  double x, y, length, inv_length;
};

// Every bond seen from each of its atoms (in the bond graph's partner order) and every atom's hybridisation, at the
// positions of the last force evaluation. Each angle term reads its arms here instead of recomputing their square
// roots at each of its three atoms, and so do the reaction moves. Arms by slot (near atoms, near arms), hybridisations
// by atom id; the values are exactly those computed on the spot. Owned by the engine: computed whole with the first
// forces, its arms recomputed every step (hybridisations change only with bonds), and both updated for the atoms of a
// bond event. Each bond's two arms are computed once (the one is minus the other, exactly), from a list of the bonds
// made again at the first move() after bonds changed. compute() and move() run on the given team; nothing else is
// thread safe.
class BondGeometry {
 public:
  void compute(const ParticleArrays& particles, const BondGraph& bonds, const ForceFieldParams& params,
               ThreadTeam& team);
  // The arms at new positions; the bonds are those of the last compute() or update().
  void move(const ParticleArrays& particles, const BondGraph& bonds, const ForceFieldParams& params, ThreadTeam& team);
  // After the bonds of `atom` changed (positions unchanged).
  void update(const ParticleArrays& particles, const BondGraph& bonds, const ForceFieldParams& params, uint32_t atom);
  // The arms of the atom in `slot` (slot order: neighbour-list rebuilds move them, and the next force pass with them).
  const BondArm* arms(uint32_t slot) const { return &arms_[size_t{slot} * kMaxValence]; }
  Hybridisation hybridisation(uint32_t atom) const { return hybridisation_[atom]; }

 private:
  // A bond and where its arms go: the index of each atom in the other's partner list.
  struct ListedBond {
    uint32_t atom, partner;
    uint8_t index_at_atom, index_at_partner;
  };
  // The arms of up to four bonds, both ends of each.
  void compute_arms(const ParticleArrays& particles, const ForceFieldParams& params, const ListedBond* listed,
                    int64_t count);

  std::vector<BondArm> arms_;  // kMaxValence per slot, in the order of its atom's partners
  std::vector<Hybridisation> hybridisation_;
  std::vector<ListedBond> listed_;  // every bond once, from its lower id
  bool listed_stale_ = true;        // bonds changed since listed_ was made
};

// The model's force field for a box: LJ cut at 2.5 (shortened to L/2 - skin in boxes too small for minimum image)
// rest lengths r0 = radius_a + radius_b and depths D from the reaction table.
ForceFieldParams model_force_field(double box_size, double skin, double chemistry_scale);

// The neighbour-list entries of each slot closer than a reach that depends on the element pair, marked by a force
// pass right after each atom's forces (its neighbours' positions still in cache), so that the reaction sweep right
// after that step looks only at marked entries instead of scanning the lists again. Bit k of a slot's words marks its
// list position k; the padding's self entries are marked too (at distance 0).
struct ReachMarks {
  std::array<double, ForceFieldParams::kPairs> reach2{};  // squared reach of each element pair, set by the owner
  size_t words_per_slot = 0;
  std::vector<uint32_t> bits;
  const uint32_t* of_slot(uint32_t slot) const { return &bits[slot * words_per_slot]; }
};

// Computes `geometry`, then writes particles.fx/fy. Minimum-image displacements; positions may lie up to skin/2
// outside [0, L).
void compute_forces(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                    const ForceFieldParams& params, ThreadTeam& team, BondGeometry& geometry);
// A step's forces: the same after the atoms moved with the bonds unchanged (geometry.move() instead of compute()), then
// the integrator's closing half kick v += half_dt * F / m in the same pass over the atoms. Marks `marks` (whose reach2
// the caller set) unless it is null.
void compute_forces_and_kick(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                             const ForceFieldParams& params, ThreadTeam& team, BondGeometry& geometry, double half_dt,
                             ReachMarks* marks = nullptr);

struct PotentialEnergy {
  double lennard_jones = 0.0;
  double bonds = 0.0;   // sum over bonds of -D + k/2 (r - r0)^2, and over angles of their angle terms
  double virial = 0.0;  // W = sum over interacting pairs of r_ij . F_ij (LJ and bonds), for the pressure
  double total() const { return lennard_jones + bonds; }
};
// Sums per-atom energies and virials in slot order (thread-count independent). `geometry` must be that of the current
// positions and bonds. `scratch` avoids reallocation.
PotentialEnergy compute_potential_energy(const ParticleArrays& particles, const NeighborList& neighbors,
                                         const BondGraph& bonds, const ForceFieldParams& params,
                                         const BondGeometry& geometry, ThreadTeam& team, std::vector<double>& scratch);

// Recomputes fx/fy of the atoms whose forces a bond event between atoms a and b changes (a, b and their bond partners
// after the event: the angles centred on a and b changed, no other term did), after updating the geometry of a and b.
// Gives exactly the values a full compute_forces would.
void recompute_pair_forces(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                           const ForceFieldParams& params, BondGeometry& geometry, uint32_t atom_a, uint32_t atom_b);

// The angle terms centred on atom `atom` (an id) in `bonds` with `toggle` and then `second` applied (a bond transfer
// changes two pairs), at the current positions; `geometry` is that of `bonds`.
double angle_energy_at(const ParticleArrays& particles, const BondGraph& bonds, const BondGeometry& geometry,
                       const ForceFieldParams& params, uint32_t atom, const PairToggle& toggle = {},
                       const PairToggle& second = {});

// The bond term -D + k/2 (r - r0)^2 of a bond of this order (>= 1) between these types at distance r.
double bond_energy(const ForceFieldParams& params, int type_a, int type_b, int order, double r);

// U(bonded) - U(not bonded) for a pair of these types at distance r: the single bond's term -D + k/2 (r - r0)^2
// switched on and the pair's (shifted) LJ term switched off. The energy change of a bond-forming move; minus it for a
// breaking move (of a single bond).
double bond_switch_energy(const ForceFieldParams& params, int type_a, int type_b, double r);

// 2-D pressure from the virial theorem, P A = N kT + W / 2 with N kT = K (two degrees of freedom per atom).
inline double virial_pressure(double kinetic_energy, double virial, double area) {
  return (kinetic_energy + 0.5 * virial) / area;
}

}  // namespace live2::sim
