// Test helper: runs the real live2-sim binary (path from CMake: LIVE2_SIM_BINARY) on small jobs in fresh
// temporary directories.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "child_process.h"
#include "support/temp_dir.h"

namespace live2::worker::testing {

using live2::testing::TempDir;

std::string worker_binary();

// {"simulation_config": {"mode": "open_chemistry", "config": {...}}} with `config_fields` spliced in.
std::string open_chemistry_params(const std::string& config_fields);

// `live2-sim run --params <file> --out <out_dir> --threads N`; the params file and the captured output live in
// `scratch_dir`, never in out_dir.
CompletedProcess run_worker_with_params_file(const std::string& params_json, const std::filesystem::path& out_dir,
                                             const std::filesystem::path& scratch_dir, int threads);

// Every regular file under `dir`, as paths relative to it ("checkpoint/state.bin").
std::vector<std::string> files_under(const std::filesystem::path& dir);

}  // namespace live2::worker::testing
