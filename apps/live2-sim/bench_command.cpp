// `live2-sim bench lj`: runs the engine's LJ benchmark and prints its rate (and, with --json, the state-point
// averages that are compared with LAMMPS).
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "base/json_text.h"
#include "commands.h"
#include "sim/lj_benchmark.h"

namespace live2::sim::cli {

int bench_lj_command(const BenchLjArguments& arguments) {
  LjBenchmarkOptions options;
  options.atoms = arguments.atoms;
  options.steps = arguments.steps;
  options.threads = arguments.threads;
  const LjBenchmarkResult result = run_lj_benchmark(options);
  if (arguments.json) {
    const boost::json::value json = {
        {"benchmark", "lj"},
        {"atoms", result.atoms},
        {"steps", result.steps},
        {"threads", result.threads},
        {"seconds", result.seconds},
        {"particle_steps_per_second", result.particle_steps_per_second},
        {"potential_energy_per_atom", result.potential_energy_per_atom},
        {"potential_energy_stderr", result.potential_energy_stderr},
        {"temperature", result.temperature},
        {"temperature_stderr", result.temperature_stderr},
        {"pressure", result.pressure},
        {"pressure_stderr", result.pressure_stderr},
        {"neighbor_rebuilds", result.neighbor_rebuilds},
    };
    fmt::print("{}\n", live2::json_text(json));
  } else {
    fmt::print("lj: {} atoms, {} steps, {} threads: {:.4g} particle-steps/s ({:.3f} s)\n", result.atoms, result.steps,
               result.threads, result.particle_steps_per_second, result.seconds);
    fmt::print("    potential energy per atom {:.4f} +- {:.4f}, temperature {:.4f} +- {:.4f}, pressure {:.4f} +- {:.4f} "
               "(second half)\n",
               result.potential_energy_per_atom, result.potential_energy_stderr, result.temperature,
               result.temperature_stderr, result.pressure, result.pressure_stderr);
  }
  return 0;
}

}  // namespace live2::sim::cli
