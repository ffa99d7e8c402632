#include "initial_state.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "counter_rng.h"
#include "reaction_table.h"

namespace live2::sim {
namespace {

struct TemplateAtom {
  Element element;
  int bonded_to;         // index of an earlier atom in the template, -1 for the first
  double angle_degrees;  // direction from the atom it is bonded to
  int order = 1;         // of the bond to `bonded_to`
};
using MoleculeTemplate = std::vector<TemplateAtom>;

// Closed-shell molecules: CO2 O=C=O, formamide H-C(=O)-NH2.
const MoleculeTemplate kMethane = {{Element::C, -1, 0}, {Element::H, 0, 0}, {Element::H, 0, 90}, {Element::H, 0, 180},
                                   {Element::H, 0, 270}};
const MoleculeTemplate kAmmonia = {{Element::N, -1, 0}, {Element::H, 0, 90}, {Element::H, 0, 210}, {Element::H, 0, 330}};
const MoleculeTemplate kWater = {{Element::O, -1, 0}, {Element::H, 0, 38}, {Element::H, 0, 142}};
const MoleculeTemplate kHydrogen = {{Element::H, -1, 0}, {Element::H, 0, 0}};
const MoleculeTemplate kCarbonDioxide = {{Element::C, -1, 0}, {Element::O, 0, 0, 2}, {Element::O, 0, 180, 2}};
const MoleculeTemplate kHydrogenSulfide = {{Element::S, -1, 0}, {Element::H, 0, 44}, {Element::H, 0, 136}};
const MoleculeTemplate kFormamide = {{Element::C, -1, 0},  {Element::H, 0, 90},   {Element::O, 0, 210, 2},
                                     {Element::N, 0, 330}, {Element::H, 3, 270}, {Element::H, 3, 30}};

// The molecules of each preset in their relative amounts, repeated until the atoms run out.
std::vector<const MoleculeTemplate*> preset_cycle(const std::string& preset) {
  if (preset == "hydrothermal") {
    return {&kWater, &kWater, &kWater, &kWater, &kCarbonDioxide, &kHydrogenSulfide, &kHydrogen};
  }
  if (preset == "formamide") return {&kFormamide, &kWater, &kWater};
  return {&kMethane, &kAmmonia, &kWater, &kWater, &kHydrogen};  // miller_urey
}

double uniform(uint64_t seed, uint32_t a, uint32_t b, int word) {
  return to_unit_interval(random_words(seed, 0, RngStream::initial_state, a, b)[word]);
}

// Largest-remainder rounding of the composition to exactly n atoms, then a seeded Fisher-Yates shuffle.
std::vector<Element> random_elements(const SimulationConfig& config) {
  const auto n = static_cast<size_t>(config.num_particles);
  std::array<size_t, kElementCount> counts{};
  std::array<double, kElementCount> remainders{};
  size_t assigned = 0;
  for (int e = 0; e < kElementCount; ++e) {
    const double exact = config.composition[e] * static_cast<double>(n);
    counts[e] = static_cast<size_t>(std::floor(exact));
    remainders[e] = exact - std::floor(exact);
    assigned += counts[e];
  }
  while (assigned < n) {
    const auto largest = std::max_element(remainders.begin(), remainders.end()) - remainders.begin();
    ++counts[largest];
    remainders[largest] = -1.0;
    ++assigned;
  }
  std::vector<Element> elements;
  for (Element e : kAllElements) elements.insert(elements.end(), counts[element_index(e)], e);
  for (size_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<size_t>(uniform(config.seed, static_cast<uint32_t>(i), 1, 0) * static_cast<double>(i + 1));
    std::swap(elements[i], elements[std::min(j, i)]);
  }
  return elements;
}

struct GridPlacement {
  size_t side;
  double spacing;
  std::pair<double, double> site(size_t k) const {
    return {(static_cast<double>(k % side) + 0.5) * spacing, (static_cast<double>(k / side) + 0.5) * spacing};
  }
};

GridPlacement grid_for(size_t sites, double box) {
  const auto side = static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(sites))));
  return {side, box / static_cast<double>(side)};
}

void place_open_chemistry(const SimulationConfig& config, InitialState& state) {
  state.element_of_atom = random_elements(config);
  const GridPlacement grid = grid_for(state.element_of_atom.size(), config.box_size());
  for (size_t i = 0; i < state.element_of_atom.size(); ++i) {
    std::tie(state.particles.x[i], state.particles.y[i]) = grid.site(i);
  }
}

void place_preset(const SimulationConfig& config, InitialState& state) {
  const auto n = static_cast<size_t>(config.num_particles);
  std::vector<const MoleculeTemplate*> molecules;
  size_t atoms = 0;
  const auto cycle = preset_cycle(config.preset);
  for (size_t k = 0; atoms + cycle[k % cycle.size()]->size() <= n; ++k) {
    molecules.push_back(cycle[k % cycle.size()]);
    atoms += molecules.back()->size();
  }
  // The remainder (fewer atoms than the next molecule) becomes H2 and at most one lone H.
  for (; atoms + 2 <= n; atoms += 2) molecules.push_back(&kHydrogen);
  static const MoleculeTemplate kLoneHydrogen = {{Element::H, -1, 0}};
  if (atoms < n) molecules.push_back(&kLoneHydrogen);

  const GridPlacement grid = grid_for(molecules.size(), config.box_size());
  ParticleArrays& p = state.particles;
  uint32_t next_id = 0;
  for (size_t m = 0; m < molecules.size(); ++m) {
    const auto [cx, cy] = grid.site(m);
    const double rotation = 360.0 * uniform(config.seed, static_cast<uint32_t>(m), 3, 0);
    const uint32_t first = next_id;
    for (const TemplateAtom& atom : *molecules[m]) {
      const uint32_t id = next_id++;
      state.element_of_atom.push_back(atom.element);
      if (atom.bonded_to < 0) {
        p.x[id] = cx;
        p.y[id] = cy;
        continue;
      }
      const uint32_t anchor = first + static_cast<uint32_t>(atom.bonded_to);
      const double length = (atom.order == 2 ? kDoubleBondLengthFactor : 1.0) *
                            (element_bond_radius(atom.element) + element_bond_radius(state.element_of_atom[anchor]));
      const double angle = (atom.angle_degrees + rotation) * std::numbers::pi / 180.0;
      p.x[id] = p.x[anchor] + length * std::cos(angle);
      p.y[id] = p.y[anchor] + length * std::sin(angle);
      state.bonds.add(anchor, id, atom.order);
    }
  }
}

// Maxwell-Boltzmann velocities at the bath kT (Box-Muller), then the mass-weighted mean velocity removed.
void assign_velocities(const SimulationConfig& config, InitialState& state) {
  ParticleArrays& p = state.particles;
  double momentum_x = 0.0, momentum_y = 0.0, total_mass = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double u1 = 1.0 - uniform(config.seed, static_cast<uint32_t>(i), 2, 0);  // (0, 1]
    const double u2 = uniform(config.seed, static_cast<uint32_t>(i), 2, 1);
    const double radius = std::sqrt(-2.0 * std::log(u1) * config.bath_kT() * p.inv_mass[i]);
    p.vx[i] = radius * std::cos(2.0 * std::numbers::pi * u2);
    p.vy[i] = radius * std::sin(2.0 * std::numbers::pi * u2);
    const double mass = 1.0 / p.inv_mass[i];
    momentum_x += mass * p.vx[i];
    momentum_y += mass * p.vy[i];
    total_mass += mass;
  }
  for (size_t i = 0; i < p.size(); ++i) {
    p.vx[i] -= momentum_x / total_mass;
    p.vy[i] -= momentum_y / total_mass;
  }
}

}  // namespace

InitialState build_initial_state(const SimulationConfig& config) {
  InitialState state;
  const auto n = static_cast<size_t>(config.num_particles);
  state.particles.resize(n);
  state.bonds = BondGraph(n);
  if (config.mode == Mode::open_chemistry) {
    place_open_chemistry(config, state);
  } else {
    place_preset(config, state);
  }
  for (size_t i = 0; i < n; ++i) {
    state.particles.type[i] = static_cast<uint8_t>(element_index(state.element_of_atom[i]));
    state.particles.inv_mass[i] = 1.0 / element_mass(state.element_of_atom[i]);
  }
  assign_velocities(config, state);
  return state;
}

}  // namespace live2::sim
