#include "particle_arrays.h"

namespace live2::sim {
namespace {

template <typename T>
void permute_array(std::vector<T>& values, const std::vector<uint32_t>& new_to_old) {
  std::vector<T> reordered(values.size());
  for (size_t s = 0; s < new_to_old.size(); ++s) reordered[s] = values[new_to_old[s]];
  values.swap(reordered);
}

}  // namespace

void ParticleArrays::resize(size_t n) {
  for (auto* v : {&x, &y, &vx, &vy, &fx, &fy, &inv_mass}) v->assign(n, 0.0);
  type.assign(n, 0);
  id.resize(n);
  slot_of_id.resize(n);
  for (size_t s = 0; s < n; ++s) {
    id[s] = static_cast<uint32_t>(s);
    slot_of_id[s] = static_cast<uint32_t>(s);
  }
}

void ParticleArrays::permute(const std::vector<uint32_t>& new_to_old) {
  for (auto* v : {&x, &y, &vx, &vy, &fx, &fy, &inv_mass}) permute_array(*v, new_to_old);
  permute_array(type, new_to_old);
  permute_array(id, new_to_old);
  for (size_t s = 0; s < id.size(); ++s) slot_of_id[id[s]] = static_cast<uint32_t>(s);
}

}  // namespace live2::sim
