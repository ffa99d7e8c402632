// The physics-only benchmark that mirrors bench/in.lj2d (LAMMPS): one atom type on a square lattice at density
// 0.7, LJ 12-6 cut and shifted at 2.5, skin 0.3, dt 0.005, Langevin T = 1 with damping 1 (friction 1), 2000 steps.
// Runs the same engine code as Simulation (reactions off). Blocking; uses `threads` threads.
#pragma once

#include <cstdint>

namespace live2::sim {

struct LjBenchmarkOptions {
  int64_t atoms = 10000;  // rounded down to a square number of lattice sites (10,000 = 100 x 100)
  int64_t steps = 2000;
  int threads = 2;
  uint64_t seed = 87287;
};

struct LjBenchmarkResult {
  int64_t atoms, steps;
  int threads;
  double seconds;                    // wall time of the timed run (setup excluded)
  double particle_steps_per_second;  // atoms * steps / seconds
  double potential_energy_per_atom;  // mean over the second half of the run, reduced units
  double temperature;                // measured kT (reduced), mean over the second half
  double pressure;                   // virial pressure (force_field.h), mean over the second half
  double potential_energy_stderr;    // standard error of those means from block averages
  double temperature_stderr;
  double pressure_stderr;
  int64_t neighbor_rebuilds;
};

LjBenchmarkResult run_lj_benchmark(const LjBenchmarkOptions& options);

}  // namespace live2::sim
