#include "heat_bath.h"

#include <algorithm>
#include <cmath>

namespace live2::sim {

HeatBath::HeatBath(double base_kT, const std::vector<EnergySource>& sources, double box_size)
    : base_kT_(base_kT), box_size_(box_size) {
  for (const EnergySource& s : sources) {
    const double radius = s.radius * box_size;
    discs_.push_back({s.x * box_size, s.y * box_size, radius * radius, s.temperature / 300.0, s});
  }
}

std::vector<HeatBath::Disc> HeatBath::active_discs(double time) const {
  std::vector<Disc> active;
  for (const Disc& d : discs_) {
    if (d.source.active_at(time)) active.push_back(d);
  }
  return active;
}

double HeatBath::kT_at(double x, double y, const std::vector<Disc>& active) const {
  double kT = base_kT_;
  const double half = 0.5 * box_size_;
  for (const Disc& d : active) {
    double dx = std::fmod(x - d.x, box_size_), dy = std::fmod(y - d.y, box_size_);
    dx = dx > half ? dx - box_size_ : (dx < -half ? dx + box_size_ : dx);
    dy = dy > half ? dy - box_size_ : (dy < -half ? dy + box_size_ : dy);
    if (dx * dx + dy * dy <= d.radius2) kT = std::max(kT, d.kT);
  }
  return kT;
}

}  // namespace live2::sim
