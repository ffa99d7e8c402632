#include "engine.h"

#include <algorithm>
#include <cmath>

#include "counter_rng.h"
#include "gaussian_noise.h"

namespace live2::sim {

Engine::Engine(const EngineSettings& settings, ParticleArrays particles, BondGraph bonds)
    : settings_(settings),
      team_(std::make_unique<ThreadTeam>(settings.threads)),
      force_field_(model_force_field(settings.box_size, settings.skin, settings.chemistry_scale)),
      particles_(std::move(particles)),
      bonds_(std::move(bonds)),
      neighbors_(settings.box_size, force_field_.cutoff, settings.skin, *team_) {
  neighbors_.rebuild(particles_, bonds_);
  compute_forces(particles_, neighbors_, bonds_, force_field_, *team_, geometry_);
}

Engine::Engine(const EngineSettings& settings, ParticleArrays particles, BondGraph bonds,
               std::vector<double> reference_x, std::vector<double> reference_y, int64_t rebuilds, int64_t step)
    : settings_(settings),
      team_(std::make_unique<ThreadTeam>(settings.threads)),
      force_field_(model_force_field(settings.box_size, settings.skin, settings.chemistry_scale)),
      particles_(std::move(particles)),
      bonds_(std::move(bonds)),
      neighbors_(settings.box_size, force_field_.cutoff, settings.skin, *team_),
      step_(step) {
  neighbors_.set_reference(std::move(reference_x), std::move(reference_y), rebuilds);
  neighbors_.rebuild_from_reference(particles_, bonds_);
  geometry_.compute(particles_, bonds_, force_field_, *team_);
}

bool Engine::step(const HeatBath& bath, ReachMarks* marks) {
  const auto n = static_cast<int64_t>(particles_.size());
  const double half_dt = 0.5 * settings_.dt;
  const double decay = std::exp(-settings_.friction * settings_.dt);
  const double noise_variance = 1.0 - decay * decay;
  const std::vector<HeatBath::Disc> discs = bath.active_discs(time());
  const double base_kT = bath.base_kT();
  const uint64_t seed = settings_.seed;
  const int64_t step = step_;
  ParticleArrays& p = particles_;
  double *x = p.x.data(), *y = p.y.data(), *vx = p.vx.data(), *vy = p.vy.data();
  const double *fx = p.fx.data(), *fy = p.fy.data(), *inv_mass = p.inv_mass.data();
  const uint32_t* id = p.id.data();
  const double* ref_x = neighbors_.reference_x().data();
  const double* ref_y = neighbors_.reference_y().data();
  std::vector<double> farthest2_of_chunk(team_->size(), 0.0);  // largest displacement since the last rebuild, squared
  std::vector<char> unstable_of_chunk(team_->size(), 0);
  constexpr double kMaxStep2 = kMaxStepDisplacement * kMaxStepDisplacement;

  // Atoms go in groups of four (4g .. 4g+3, the last group padded with copies of the last atom) so the Gaussian noise
  // of a group is drawn in one vector evaluation whatever the thread split (gaussian_noise.h).
  const int64_t groups = (n + 3) / 4;
  team_->run(groups, [&](int64_t group_begin, int64_t group_end, int chunk) {
    double farthest2 = 0.0;
    bool unstable = false;
    PhiloxLanes<8> words;
    for (int64_t g = group_begin; g < group_end; ++g) {
      // Each atom's words are keyed by (seed, step, its id); two groups' words are drawn in one evaluation (the
      // second group's lanes are simply unused past the chunk's end).
      const int set = static_cast<int>((g - group_begin) % 2);
      if (set == 0) {
        uint32_t ids[8];
        for (int lane = 0; lane < 8; ++lane) ids[lane] = id[std::min(4 * g + lane, n - 1)];
        words = random_words8(seed, step, RngStream::thermostat, ids, 0);
      }
      uint32_t word_a[4], word_b[4];
      for (int lane = 0; lane < 4; ++lane) {
        word_a[lane] = words.word[0][4 * set + lane];
        word_b[lane] = words.word[1][4 * set + lane];
      }
      const BoxMuller4 normal = box_muller(word_a, word_b);
      for (int lane = 0; lane < 4 && 4 * g + lane < n; ++lane) {
        const int64_t i = 4 * g + lane;
        double vxi = vx[i] + half_dt * fx[i] * inv_mass[i];
        double vyi = vy[i] + half_dt * fy[i] * inv_mass[i];
        double xi = x[i] + half_dt * vxi;
        double yi = y[i] + half_dt * vyi;
        const double kT = discs.empty() ? base_kT : bath.kT_at(xi, yi, discs);
        // sqrt((1 - c^2) kT / m) times the Box-Muller radius, in one square root.
        const double noise = std::sqrt(noise_variance * kT * inv_mass[i] * normal.radius_squared[lane]);
        vxi = decay * vxi + noise * normal.cos_angle[lane];
        vyi = decay * vyi + noise * normal.sin_angle[lane];
        xi += half_dt * vxi;
        yi += half_dt * vyi;
        const double moved_x = xi - x[i], moved_y = yi - y[i];
        unstable |= !(moved_x * moved_x + moved_y * moved_y <= kMaxStep2);  // written so that NaN counts as unstable
        x[i] = xi;
        y[i] = yi;
        vx[i] = vxi;
        vy[i] = vyi;
        const double dx = xi - ref_x[i], dy = yi - ref_y[i];
        farthest2 = std::max(farthest2, dx * dx + dy * dy);
      }
    }
    farthest2_of_chunk[chunk] = farthest2;
    unstable_of_chunk[chunk] = unstable;
  });
  ++step_;
  if (std::find(unstable_of_chunk.begin(), unstable_of_chunk.end(), 1) != unstable_of_chunk.end()) return false;
  const double farthest2 = *std::max_element(farthest2_of_chunk.begin(), farthest2_of_chunk.end());

  if (neighbors_.needs_rebuild(farthest2)) neighbors_.rebuild(particles_, bonds_);
  compute_forces_and_kick(particles_, neighbors_, bonds_, force_field_, *team_, geometry_, half_dt, marks);
  return true;
}

double Engine::kinetic_energy() const {
  double sum = 0.0;
  for (size_t i = 0; i < particles_.size(); ++i) {
    sum += 0.5 * (particles_.vx[i] * particles_.vx[i] + particles_.vy[i] * particles_.vy[i]) / particles_.inv_mass[i];
  }
  return sum;
}

PotentialEnergy Engine::potential_energy() {
  return compute_potential_energy(particles_, neighbors_, bonds_, force_field_, geometry_, *team_, energy_scratch_);
}

Engine::CentreOfMass Engine::centre_of_mass() const {
  double momentum_x = 0.0, momentum_y = 0.0, mass = 0.0;
  for (size_t i = 0; i < particles_.size(); ++i) {
    momentum_x += particles_.vx[i] / particles_.inv_mass[i];
    momentum_y += particles_.vy[i] / particles_.inv_mass[i];
    mass += 1.0 / particles_.inv_mass[i];
  }
  return {mass, momentum_x / mass, momentum_y / mass};
}

double Engine::internal_kinetic_energy() const {
  const CentreOfMass c = centre_of_mass();
  return kinetic_energy() - 0.5 * c.mass * (c.vx * c.vx + c.vy * c.vy);
}

void Engine::scale_internal_velocities(double factor) {
  const CentreOfMass c = centre_of_mass();
  for (size_t i = 0; i < particles_.size(); ++i) {
    particles_.vx[i] = c.vx + factor * (particles_.vx[i] - c.vx);
    particles_.vy[i] = c.vy + factor * (particles_.vy[i] - c.vy);
  }
}

void Engine::form_bond(uint32_t atom_a, uint32_t atom_b) {
  const uint32_t slot_a = particles_.slot_of_id[atom_a], slot_b = particles_.slot_of_id[atom_b];
  bonds_.add(atom_a, atom_b);
  neighbors_.set_bonded(slot_a, slot_b, true);
  recompute_pair_forces(particles_, neighbors_, bonds_, force_field_, geometry_, atom_a, atom_b);
}

void Engine::break_bond(uint32_t atom_a, uint32_t atom_b) {
  const uint32_t slot_a = particles_.slot_of_id[atom_a], slot_b = particles_.slot_of_id[atom_b];
  bonds_.remove(atom_a, atom_b);
  neighbors_.set_bonded(slot_a, slot_b, false);
  recompute_pair_forces(particles_, neighbors_, bonds_, force_field_, geometry_, atom_a, atom_b);
}

void Engine::set_bond_order(uint32_t atom_a, uint32_t atom_b, int order) {
  bonds_.set_order(atom_a, atom_b, order);
  recompute_pair_forces(particles_, neighbors_, bonds_, force_field_, geometry_, atom_a, atom_b);
}

void Engine::relax_overlaps(double max_force, int max_iterations) {
  // Each atom moves along its force by at most kMaxDisplacement per iteration, so neighbour lists stay valid between
  // checks and a badly overlapped start cannot fling atoms across the box.
  constexpr double kMobility = 1e-3, kMaxDisplacement = 0.02;
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    double largest2 = 0.0;
    for (size_t i = 0; i < particles_.size(); ++i) {
      largest2 = std::max(largest2, particles_.fx[i] * particles_.fx[i] + particles_.fy[i] * particles_.fy[i]);
    }
    if (largest2 < max_force * max_force) return;
    for (size_t i = 0; i < particles_.size(); ++i) {
      const double f = std::hypot(particles_.fx[i], particles_.fy[i]);
      const double scale = f * kMobility > kMaxDisplacement ? kMaxDisplacement / f : kMobility;
      particles_.x[i] += scale * particles_.fx[i];
      particles_.y[i] += scale * particles_.fy[i];
    }
    if (neighbors_.needs_rebuild(particles_)) neighbors_.rebuild(particles_, bonds_);
    compute_forces(particles_, neighbors_, bonds_, force_field_, *team_, geometry_);
  }
}

}  // namespace live2::sim
