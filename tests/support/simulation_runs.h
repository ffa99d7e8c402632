// A simulation of a given size for the tests of the job size estimates (tests/aws/batch_job_size_test.cpp,
// tests/slurm/slurm_job_size_test.cpp): the default config with its particles and steps set.
#pragma once

#include <cstdint>

#include "sim/params.h"

namespace live2::testing {

inline sim::SimulationConfig run_of_size(int64_t particles, int64_t steps) {
  sim::SimulationConfig config;
  config.num_particles = particles;
  config.steps = steps;
  return config;
}

}  // namespace live2::testing
