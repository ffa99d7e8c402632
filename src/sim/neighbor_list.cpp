#include "neighbor_list.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>

#include "vector4.h"

namespace live2::sim {
namespace {

// For each 4-bit mask of kept lanes, the kept lanes in order (then anything: those slots are overwritten later or
// lie past the count).
constexpr std::array<std::array<uint32_t, 4>, 16> kKeptLanes = [] {
  std::array<std::array<uint32_t, 4>, 16> table{};
  for (uint32_t mask = 0; mask < 16; ++mask) {
    uint32_t kept = 0;
    for (uint32_t lane = 0; lane < 4; ++lane) {
      if ((mask >> lane) & 1u) table[mask][kept++] = lane;
    }
  }
  return table;
}();

Double4 load4(const double* values) {
  Double4 v;
  std::memcpy(&v, values, sizeof v);
  return v;
}

// Writes the slots j in [begin, end), j != self, within reach of (xi, yi) to out[count ...] in slot order and returns
// the new count. Four candidates per vector, written through a table of the kept lanes (branch-free: about a third
// are kept, unpredictably); out must have room for three slots past the last kept one. Vector and scalar tail both
// take d2 = multiply_add(dx, dx, dy * dy), so which of them met a candidate never changes a list.
uint32_t append_in_reach(const double* x, const double* y, uint32_t begin, uint32_t end, uint32_t self, double xi,
                         double yi, double box, double reach2, uint32_t* out, uint32_t count) {
  const double half_box = 0.5 * box;
  const Double4 xi4 = splat(xi), yi4 = splat(yi), box4 = splat(box), half4 = splat(half_box), reach4 = splat(reach2);
  uint32_t j = begin;
  for (; j + 4 <= end; j += 4) {
    const Double4 dx = minimum_image4(xi4 - load4(x + j), box4, half4);
    const Double4 dy = minimum_image4(yi4 - load4(y + j), box4, half4);
    const uint32_t self_lane = self - j;  // wraps to a large number unless self is one of the four
    const uint32_t kept = lane_bits(multiply_add4(dx, dx, dy * dy) < reach4) & ~(self_lane < 4 ? 1u << self_lane : 0u);
    const std::array<uint32_t, 4>& lanes = kKeptLanes[kept];
    for (uint32_t k = 0; k < 4; ++k) out[count + k] = j + lanes[k];
    count += static_cast<uint32_t>(std::popcount(kept));
  }
  for (; j < end; ++j) {
    const double dx = minimum_image(xi - x[j], box, half_box), dy = minimum_image(yi - y[j], box, half_box);
    out[count] = j;
    count += static_cast<uint32_t>(multiply_add(dx, dx, dy * dy) < reach2) & static_cast<uint32_t>(j != self);
  }
  return count;
}

}  // namespace

NeighborList::NeighborList(double box_size, double cutoff, double skin, ThreadTeam& team)
    : box_size_(box_size), cutoff_(cutoff), skin_(skin), team_(&team) {
  cells_per_side_ = std::max(1, static_cast<int>(std::floor(box_size / (cutoff + skin))));
  const int n = cells_per_side_;
  stencil_.resize(static_cast<size_t>(n) * n);
  for (int cy = 0; cy < n; ++cy) {
    for (int cx = 0; cx < n; ++cx) {
      std::vector<uint32_t> cells;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          cells.push_back(static_cast<uint32_t>(((cy + dy + n) % n) * n + (cx + dx + n) % n));
        }
      }
      // Boxes narrower than three cells see the same cell through several offsets; visit each once.
      std::sort(cells.begin(), cells.end());
      cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
      auto& runs = stencil_[static_cast<size_t>(cy) * n + cx];
      for (uint32_t cell : cells) {
        if (!runs.empty() && runs.back().last + 1 == cell) {
          runs.back().last = cell;
        } else {
          runs.push_back({cell, cell});
        }
      }
    }
  }
}

uint32_t NeighborList::cell_of(double x, double y) const {
  // Every input names a cell, so no position can index outside the cell arrays: positions lie within skin / 2 of the
  // box between rebuilds, but a run that has gone unstable can hand over anything, and converting NaN or a double
  // beyond INT_MAX to int is undefined (in practice INT_MIN, a negative index). NaN goes to cell 0.
  const int n = cells_per_side_;
  const double cells_per_length = n / box_size_;
  const auto axis = [n, cells_per_length](double position) {
    const double cell = position * cells_per_length;
    return cell >= 0.0 ? (cell < n ? static_cast<int>(cell) : n - 1) : 0;
  };
  return static_cast<uint32_t>(axis(y) * n + axis(x));
}

void NeighborList::compute_cell_starts(const std::vector<uint32_t>& cell_of_slot) {
  cell_start_.assign(stencil_.size() + 1, 0);
  for (uint32_t c : cell_of_slot) ++cell_start_[c + 1];
  for (size_t c = 0; c < stencil_.size(); ++c) cell_start_[c + 1] += cell_start_[c];
}

void NeighborList::rebuild(ParticleArrays& particles, const BondGraph& bonds) {
  const double box = box_size_;
  const auto n = static_cast<int64_t>(particles.size());
  double* x = particles.x.data();
  double* y = particles.y.data();
  team_->run(n, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      x[i] -= box * std::floor(x[i] / box);
      y[i] -= box * std::floor(y[i] / box);
      if (x[i] >= box) x[i] = 0.0;  // -tiny + box rounds to box
      if (y[i] >= box) y[i] = 0.0;
    }
  });
  sort_into_cells(particles);
  ref_x_ = particles.x;
  ref_y_ = particles.y;
  build_lists(particles, bonds);
  ++rebuilds_;
}

void NeighborList::sort_into_cells(ParticleArrays& particles) {
  const size_t n = particles.size();
  std::vector<uint32_t> cell_of_slot(n);
  for (size_t i = 0; i < n; ++i) cell_of_slot[i] = cell_of(particles.x[i], particles.y[i]);
  compute_cell_starts(cell_of_slot);
  std::vector<uint32_t> fill(cell_start_.begin(), cell_start_.end() - 1);
  std::vector<uint32_t> new_to_old(n);
  for (size_t i = 0; i < n; ++i) new_to_old[fill[cell_of_slot[i]]++] = static_cast<uint32_t>(i);
  particles.permute(new_to_old);
}

void NeighborList::rebuild_from_reference(const ParticleArrays& particles, const BondGraph& bonds) {
  std::vector<uint32_t> cell_of_slot(particles.size());
  for (size_t i = 0; i < particles.size(); ++i) cell_of_slot[i] = cell_of(ref_x_[i], ref_y_[i]);
  compute_cell_starts(cell_of_slot);
  build_lists(particles, bonds);
}

void NeighborList::set_reference(std::vector<double> ref_x, std::vector<double> ref_y, int64_t rebuilds) {
  ref_x_ = std::move(ref_x);
  ref_y_ = std::move(ref_y);
  rebuilds_ = rebuilds;
}

void NeighborList::build_lists(const ParticleArrays& particles, const BondGraph& bonds) {
  const auto n = static_cast<int64_t>(particles.size());
  const double box = box_size_;
  const double reach2 = (cutoff_ + skin_) * (cutoff_ + skin_);
  const double* x = ref_x_.data();
  const double* y = ref_y_.data();
  std::vector<uint32_t> cell_of_slot(particles.size());
  for (size_t i = 0; i < particles.size(); ++i) cell_of_slot[i] = cell_of(x[i], y[i]);
  counts_.assign(particles.size(), 0);
  for (;;) {
    entries_.resize(particles.size() * stride_);
    std::vector<uint32_t> longest_of_chunk(team_->size(), 0);
    team_->run(n, [&](int64_t begin, int64_t end, int chunk) {
      std::vector<uint32_t> found;  // this atom's neighbours before they are copied into its fixed-stride list
      uint32_t longest = 0;
      for (int64_t i = begin; i < end; ++i) {
        const auto self = static_cast<uint32_t>(i);
        const double xi = x[i], yi = y[i];
        const auto& runs = stencil_[cell_of_slot[i]];
        size_t candidates = 0;
        for (const CellRun& run : runs) candidates += cell_start_[run.last + 1] - cell_start_[run.first];
        found.resize(candidates + kPadTo);
        uint32_t* out = found.data();
        uint32_t count = 0;
        for (const CellRun& run : runs) {
          count = append_in_reach(x, y, cell_start_[run.first], cell_start_[run.last + 1], self, xi, yi, box, reach2,
                                  out, count);
        }
        const uint32_t atom = particles.id[i];
        for (int b = 0; bonds.atoms() != 0 && b < bonds.degree(atom); ++b) {
          const uint32_t partner_slot = particles.slot_of_id[bonds.partners(atom)[b]];
          for (uint32_t k = 0; k < count; ++k) out[k] |= out[k] == partner_slot ? kBondedFlag : 0u;
        }
        while (count % kPadTo != 0) out[count++] = self | kBondedFlag;
        if (count <= stride_) std::copy(out, out + count, &entries_[static_cast<size_t>(i) * stride_]);
        counts_[i] = count;
        longest = std::max(longest, count);
      }
      longest_of_chunk[chunk] = longest;
    });
    const uint32_t longest = *std::max_element(longest_of_chunk.begin(), longest_of_chunk.end());
    if (longest <= stride_) return;
    stride_ = longest + longest / 4 + kPadTo;  // rare: dense clusters; grow with headroom and redo
  }
}

bool NeighborList::needs_rebuild(const ParticleArrays& particles) const {
  const auto n = static_cast<int64_t>(particles.size());
  const double* x = particles.x.data();
  const double* y = particles.y.data();
  const double* rx = ref_x_.data();
  const double* ry = ref_y_.data();
  std::vector<double> farthest2_of_chunk(team_->size(), 0.0);
  team_->run(n, [&](int64_t begin, int64_t end, int chunk) {
    double farthest2 = 0.0;
    for (int64_t i = begin; i < end; ++i) {
      const double dx = x[i] - rx[i], dy = y[i] - ry[i];
      farthest2 = std::max(farthest2, dx * dx + dy * dy);
    }
    farthest2_of_chunk[chunk] = farthest2;
  });
  const double farthest2 = *std::max_element(farthest2_of_chunk.begin(), farthest2_of_chunk.end());
  return needs_rebuild(farthest2);
}

bool NeighborList::set_bonded(uint32_t slot_a, uint32_t slot_b, bool bonded) {
  auto flip = [&](uint32_t from, uint32_t to) {
    uint32_t* list = &entries_[size_t{from} * stride_];
    for (uint32_t k = 0; k < counts_[from]; ++k) {
      if ((list[k] & kSlotMask) == to) {
        list[k] = to | (bonded ? kBondedFlag : 0u);
        return true;
      }
    }
    return false;
  };
  const bool listed_a = flip(slot_a, slot_b);
  const bool listed_b = flip(slot_b, slot_a);
  return listed_a && listed_b;
}

}  // namespace live2::sim
