#include "reaction_table.h"

#include <algorithm>
#include <array>

#include "units.h"

namespace live2::sim {
namespace {

// D = chemistry_scale * BDE, BDE the real single-bond dissociation enthalpy (kJ/mol, standard tables, e.g. CRC
// Handbook / Huheey), in model energy units (epsilon = k_B x 300 K). At the default scale 1/30 the ~150-460 kJ/mol range
// becomes 2-6 kT at 300 K: weak bonds (O-O, N-N, N-O) turn over within a few hundred steps, strong ones (O-H, H-H,
// C-H) live for thousands, so a 10,000-step run keeps reacting. Ea follows the Bell-Evans-Polanyi idea that more
// exothermic bond formation has a lower barrier: Ea = max(0.3, 2.5 - 0.3 D) in epsilon. Pairs without a tabulated value
// (N-P, N-S, P-S) use estimates from Pauling electronegativity averages of the homonuclear bonds.
struct PairRow {
  Element a, b;
  double bde_kj_per_mol;
};

constexpr std::array<PairRow, 21> kPairTable = {{
    {Element::H, Element::H, 436}, {Element::H, Element::C, 413}, {Element::H, Element::N, 391},
    {Element::H, Element::O, 463}, {Element::H, Element::P, 322}, {Element::H, Element::S, 363},
    {Element::C, Element::C, 348}, {Element::C, Element::N, 293}, {Element::C, Element::O, 358},
    {Element::C, Element::P, 264}, {Element::C, Element::S, 272}, {Element::N, Element::N, 163},
    {Element::N, Element::O, 201}, {Element::N, Element::P, 290}, {Element::N, Element::S, 250},
    {Element::O, Element::O, 146}, {Element::O, Element::P, 335}, {Element::O, Element::S, 265},
    {Element::P, Element::P, 201}, {Element::P, Element::S, 230}, {Element::S, Element::S, 266},
}};

constexpr std::array<PairRow, kElementCount * kElementCount> square_table() {
  std::array<PairRow, kElementCount * kElementCount> table{};
  for (const PairRow& row : kPairTable) {
    const int a = static_cast<int>(row.a), b = static_cast<int>(row.b);
    table[a * kElementCount + b] = row;
    table[b * kElementCount + a] = row;
  }
  return table;
}

constexpr auto kSquareTable = square_table();

const PairRow& row_of(Element a, Element b) {
  return kSquareTable[element_index(a) * kElementCount + element_index(b)];
}

}  // namespace

BondEnergetics bond_energetics(Element a, Element b, double chemistry_scale) {
  const double depth = chemistry_scale * row_of(a, b).bde_kj_per_mol / kEnergyUnitKJPerMol;
  return {std::max(kMinActivationEnergy, kActivationAtZeroDepth - kActivationSlope * depth), depth};
}

double bond_dissociation_enthalpy_kj_per_mol(Element a, Element b) { return row_of(a, b).bde_kj_per_mol; }

}  // namespace live2::sim
