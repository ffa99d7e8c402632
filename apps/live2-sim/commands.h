// The live2-sim subcommands. Each returns the process exit code.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace live2::sim::cli {

struct RunArguments {
  std::optional<std::filesystem::path> params_file;  // --params; else JOB_PARAMS, else params.json via the sink
  std::optional<std::filesystem::path> out_dir;      // --out; else $TMPDIR/live2-sim/<JOB_ID or "local">
  int threads = 0;                                   // --threads; 0 means every hardware thread
};

struct CombineArguments {
  std::optional<std::filesystem::path> params_file;  // --params; else JOB_PARAMS, else params.json via the sink
  std::optional<std::filesystem::path> out_dir;      // --out: the dataset's directory; else $TMPDIR/live2-sim/<JOB_ID>
};

struct BenchLjArguments {
  int64_t atoms = 10000;
  int64_t steps = 2000;
  int threads = 2;
  bool json = false;
};

int run_command(const RunArguments& arguments);
int combine_command(const CombineArguments& arguments);
int bench_lj_command(const BenchLjArguments& arguments);

}  // namespace live2::sim::cli
