#include "units.h"

#include <fmt/format.h>

namespace live2::sim {

std::string unit_text(Quantity quantity) {
  switch (quantity) {
    case Quantity::number:
      return "1";
    case Quantity::text:
      return "";
    case Quantity::time:
      return fmt::format("{:g} ps", kTimeUnitPs);
    case Quantity::length:
      return fmt::format("{:.7g} angstrom", kLengthUnitAngstrom);
    case Quantity::velocity:
      return fmt::format("{:.7g} angstrom/ps", kVelocityUnitAngstromPerPs);
    case Quantity::energy:
      return fmt::format("{:.7g} kJ/mol", kEnergyUnitKJPerMol);
    case Quantity::temperature:
      return "K";
    case Quantity::pressure_2d:  // energy per area in 2-D
      return fmt::format("{:.7g} kJ/mol/angstrom^2", kEnergyUnitKJPerMol / (kLengthUnitAngstrom * kLengthUnitAngstrom));
    case Quantity::mass:
      return fmt::format("{:g} amu", kMassUnitAmu);
  }
  return "";
}

}  // namespace live2::sim
