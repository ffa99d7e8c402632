// The Langevin bath temperature field: a uniform kT plus hot discs (energy sources) that may be pulsed. Converts the
// params' kelvin and box fractions into reduced units once; thread safe (const after construction).
#pragma once

#include <cstdint>
#include <vector>

#include "params.h"

namespace live2::sim {

class HeatBath {
 public:
  struct Disc {
    double x, y, radius2, kT;  // absolute coordinates (sigma), squared radius, reduced kT
    EnergySource source;       // as configured (its schedule decides when the disc is on)
  };

  explicit HeatBath(double kT) : base_kT_(kT) {}
  HeatBath(double base_kT, const std::vector<EnergySource>& sources, double box_size);

  double base_kT() const { return base_kT_; }
  // The discs switched on at simulated `time` (the integrator asks once per step).
  std::vector<Disc> active_discs(double time) const;
  // kT at (x, y) given the active discs: the hottest disc containing the point, else the base.
  double kT_at(double x, double y, const std::vector<Disc>& active) const;

 private:
  double base_kT_;
  double box_size_ = 0.0;
  std::vector<Disc> discs_;
};

}  // namespace live2::sim
