#include "elements.h"

namespace live2::sim {
namespace {

struct ElementData {
  std::string_view symbol;
  int valence;
  double mass;
  double bond_radius;  // H-H rest length 0.8 ... P-P 1.2: ordered like real covalent radii, compressed into sigma units
};

constexpr std::array<ElementData, kElementCount> kElementData = {{
    {"H", 1, 1.0, 0.40},
    {"C", 4, 12.0, 0.55},
    {"N", 3, 14.0, 0.52},
    {"O", 2, 16.0, 0.50},
    {"P", 3, 31.0, 0.60},
    {"S", 2, 32.0, 0.58},
}};

const ElementData& data(Element e) { return kElementData[static_cast<size_t>(e)]; }

}  // namespace

std::string_view element_symbol(Element e) { return data(e).symbol; }
int element_valence(Element e) { return data(e).valence; }
double element_mass(Element e) { return data(e).mass; }
double element_bond_radius(Element e) { return data(e).bond_radius; }

std::optional<Element> element_from_symbol(std::string_view symbol) {
  for (Element e : kAllElements) {
    if (data(e).symbol == symbol) return e;
  }
  return std::nullopt;
}

}  // namespace live2::sim
