// The six elements of the live2 chemistry and their fixed per-element data (reduced units, see docs/simulation.md).
// Pure functions over constant tables; thread safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace live2::sim {

enum class Element : uint8_t { H = 0, C, N, O, P, S };
inline constexpr int kElementCount = 6;
inline constexpr std::array<Element, kElementCount> kAllElements = {Element::H, Element::C, Element::N,
                                                                    Element::O, Element::P, Element::S};
// No element binds more than this many partners (carbon); bond storage is sized by it.
inline constexpr int kMaxValence = 4;

std::string_view element_symbol(Element);
int element_valence(Element);
double element_mass(Element);             // in units of the mass of H
double element_bond_radius(Element);      // half of the homonuclear bond rest length, in sigma
std::optional<Element> element_from_symbol(std::string_view symbol);

inline int element_index(Element e) { return static_cast<int>(e); }

}  // namespace live2::sim
