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
// Multiple bonds: the whole bond's BDE (C=C 614, C#C 839, C=N 615, C#N 891, C=O 745, N=N 418, N#N 945, N=O 607,
// O=O 498, C=S 573, O=S 522, O=P 544, S=S 425, P#P 489, N#P 617); pairs without a tabulated value use the
// estimate 1.7 x single for a double and 2.3 x single for a triple bond (the ratios of C-C, C=C, C#C: 1.76, 2.41).
struct PairRow {
  Element a, b;
  double bde_kj_per_mol;
  double double_kj_per_mol = 0.0, triple_kj_per_mol = 0.0;  // 0: the estimate
};

constexpr double kDoubleBondEstimate = 1.7, kTripleBondEstimate = 2.3;

constexpr std::array<PairRow, 21> kPairTable = {{
    {Element::H, Element::H, 436}, {Element::H, Element::C, 413}, {Element::H, Element::N, 391},
    {Element::H, Element::O, 463}, {Element::H, Element::P, 322}, {Element::H, Element::S, 363},
    {Element::C, Element::C, 348, 614, 839}, {Element::C, Element::N, 293, 615, 891},
    {Element::C, Element::O, 358, 745}, {Element::C, Element::P, 264}, {Element::C, Element::S, 272, 573},
    {Element::N, Element::N, 163, 418, 945}, {Element::N, Element::O, 201, 607}, {Element::N, Element::P, 290, 0, 617},
    {Element::N, Element::S, 250}, {Element::O, Element::O, 146, 498}, {Element::O, Element::P, 335, 544},
    {Element::O, Element::S, 265, 522}, {Element::P, Element::P, 201, 0, 489}, {Element::P, Element::S, 230},
    {Element::S, Element::S, 266, 425},
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

int max_bond_order(Element a, Element b) {
  return std::min({element_valence(a), element_valence(b), 3});
}

BondEnergetics bond_energetics(Element a, Element b, double chemistry_scale, int order) {
  const auto depth = [&](int n) {
    return n == 0 ? 0.0 : chemistry_scale * bond_dissociation_enthalpy_kj_per_mol(a, b, n) / kEnergyUnitKJPerMol;
  };
  const double step_depth = depth(order) - depth(order - 1);
  return {std::max(kMinActivationEnergy, kActivationAtZeroDepth - kActivationSlope * step_depth), depth(order)};
}

double bond_dissociation_enthalpy_kj_per_mol(Element a, Element b, int order) {
  const PairRow& row = row_of(a, b);
  if (order == 2) return row.double_kj_per_mol > 0.0 ? row.double_kj_per_mol : kDoubleBondEstimate * row.bde_kj_per_mol;
  if (order == 3) return row.triple_kj_per_mol > 0.0 ? row.triple_kj_per_mol : kTripleBondEstimate * row.bde_kj_per_mol;
  return row.bde_kj_per_mol;
}

}  // namespace live2::sim
