// live2-sim: runs one simulation job (the container entrypoint; no arguments = `run` from the environment),
// combines a dataset's runs, or runs the LJ engine benchmark. Usage: docs/sim-worker.md.
#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  using namespace live2::sim::cli;
  CLI::App app{"live2-sim: the live2 simulation worker"};
  app.require_subcommand(0, 1);

  RunArguments run;
  CLI::App* run_app = app.add_subcommand("run", "run one simulation job and write its artifacts");
  run_app->add_option("--params", run.params_file, "params JSON file ({\"simulation_config\": {...}}); default: $JOB_PARAMS")
      ->check(CLI::ExistingFile);
  run_app->add_option("--out", run.out_dir, "directory for the artifacts; default: $TMPDIR/live2-sim/<JOB_ID>");
  run_app->add_option("--threads", run.threads, "worker threads; default: $WORKER_THREADS, else all hardware threads")
      ->check(CLI::Range(1, 1024));

  CombineArguments combine;
  CLI::App* combine_app =
      app.add_subcommand("combine", "combine a dataset's runs into dataset.csv, dataset.h5 and dataset_summary.json");
  combine_app->add_option("--params", combine.params_file, "the dataset's params JSON file; default: $JOB_PARAMS")
      ->check(CLI::ExistingFile);
  combine_app->add_option("--out", combine.out_dir,
                          "the dataset's directory (runs/<index>/ below it); default: $TMPDIR/live2-sim/<JOB_ID>");

  BenchLjArguments lj;
  CLI::App* bench_app = app.add_subcommand("bench", "engine benchmarks");
  bench_app->require_subcommand(1);
  CLI::App* lj_app = bench_app->add_subcommand("lj", "Lennard-Jones physics benchmark (mirrors bench/in.lj2d)");
  lj_app->add_option("--atoms", lj.atoms, "atoms (rounded down to a square number)")->check(CLI::Range(4, 100'000'000));
  lj_app->add_option("--steps", lj.steps, "timesteps")->check(CLI::Range(2, 1'000'000'000));
  lj_app->add_option("--threads", lj.threads, "threads")->check(CLI::Range(1, 1024));
  lj_app->add_flag("--json", lj.json, "print one JSON object");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // Malformed command lines are invalid input too: never retried.
    const int code = app.exit(error);
    return code == 0 ? 0 : 64;
  }
  if (lj_app->parsed()) return bench_lj_command(lj);
  if (combine_app->parsed()) return combine_command(combine);
  return run_command(run);
}
