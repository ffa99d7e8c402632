#include "lj_benchmark.h"

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "counter_rng.h"
#include "engine.h"

namespace live2::sim {
namespace {

constexpr double kDensity = 0.7;
constexpr double kTemperature = 1.0;
constexpr int kSampleEverySteps = 20;

struct MeanAndError {
  double mean, stderr_of_mean;
};

// Mean with the standard error from 10 contiguous blocks (samples are correlated in time).
MeanAndError block_average(const std::vector<double>& samples) {
  constexpr size_t kBlocks = 10;
  double total = 0.0;
  for (double s : samples) total += s;
  const double mean = samples.empty() ? 0.0 : total / static_cast<double>(samples.size());
  const size_t per_block = samples.size() / kBlocks;
  if (per_block == 0) return {mean, 0.0};
  double variance = 0.0;
  for (size_t b = 0; b < kBlocks; ++b) {
    double block_sum = 0.0;
    for (size_t k = 0; k < per_block; ++k) block_sum += samples[b * per_block + k];
    const double deviation = block_sum / static_cast<double>(per_block) - mean;
    variance += deviation * deviation;
  }
  return {mean, std::sqrt(variance / static_cast<double>(kBlocks * (kBlocks - 1)))};
}

// in.lj2d: `lattice sq 0.7`, `create_atoms`, `velocity all create 1.0` (zero net momentum, scaled to exactly T).
ParticleArrays square_lattice(int64_t side, uint64_t seed) {
  const double spacing = 1.0 / std::sqrt(kDensity);
  ParticleArrays p;
  p.resize(static_cast<size_t>(side * side));
  double sum_vx = 0.0, sum_vy = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    p.x[i] = (static_cast<double>(i % side)) * spacing;
    p.y[i] = (static_cast<double>(i / side)) * spacing;
    p.inv_mass[i] = 1.0;
    const Philox4x32 words = random_words(seed, 0, RngStream::initial_state, static_cast<uint32_t>(i), 0);
    p.vx[i] = to_unit_variance_uniform(words[0]);
    p.vy[i] = to_unit_variance_uniform(words[1]);
    sum_vx += p.vx[i];
    sum_vy += p.vy[i];
  }
  const double n = static_cast<double>(p.size());
  double kinetic = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    p.vx[i] -= sum_vx / n;
    p.vy[i] -= sum_vy / n;
    kinetic += 0.5 * (p.vx[i] * p.vx[i] + p.vy[i] * p.vy[i]);
  }
  const double scale = std::sqrt(kTemperature * n / kinetic);
  for (size_t i = 0; i < p.size(); ++i) {
    p.vx[i] *= scale;
    p.vy[i] *= scale;
  }
  return p;
}

}  // namespace

LjBenchmarkResult run_lj_benchmark(const LjBenchmarkOptions& options) {
  const auto side = static_cast<int64_t>(std::floor(std::sqrt(static_cast<double>(options.atoms)) + 1e-9));
  EngineSettings settings;
  settings.box_size = static_cast<double>(side) / std::sqrt(kDensity);
  settings.dt = 0.005;
  settings.friction = 1.0;
  settings.skin = 0.3;
  settings.seed = options.seed;
  settings.threads = options.threads;
  Engine engine(settings, square_lattice(side, options.seed), BondGraph{});
  const HeatBath bath(kTemperature);

  std::vector<double> energy_samples, temperature_samples, pressure_samples;
  const double area = settings.box_size * settings.box_size;
  const double n = static_cast<double>(side * side);
  const auto start = std::chrono::steady_clock::now();
  for (int64_t s = 0; s < options.steps; ++s) {
    // The benchmark's state point is far inside the stable range: instability here is a bug in the engine.
    if (!engine.step(bath)) throw std::logic_error("the LJ benchmark system became numerically unstable");
    if (engine.step_index() > options.steps / 2 && engine.step_index() % kSampleEverySteps == 0) {
      const PotentialEnergy potential = engine.potential_energy();
      const double kinetic = engine.kinetic_energy();
      energy_samples.push_back(potential.total() / n);
      temperature_samples.push_back(kinetic / n);
      pressure_samples.push_back(virial_pressure(kinetic, potential.virial, area));
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const MeanAndError energy = block_average(energy_samples);
  const MeanAndError temperature = block_average(temperature_samples);
  const MeanAndError pressure = block_average(pressure_samples);
  return {side * side,
          options.steps,
          options.threads,
          seconds,
          n * static_cast<double>(options.steps) / seconds,
          energy.mean,
          temperature.mean,
          pressure.mean,
          energy.stderr_of_mean,
          temperature.stderr_of_mean,
          pressure.stderr_of_mean,
          engine.neighbors().rebuilds()};
}

}  // namespace live2::sim
