#include "worker_run_support.h"

#include <algorithm>
#include <fstream>

namespace live2::worker::testing {

std::string worker_binary() { return LIVE2_SIM_BINARY; }

std::string open_chemistry_params(const std::string& config_fields) {
  return R"({"simulation_config": {"mode": "open_chemistry", "config": {)" + config_fields + "}}}";
}

CompletedProcess run_worker_with_params_file(const std::string& params_json, const std::filesystem::path& out_dir,
                                             const std::filesystem::path& scratch_dir, int threads) {
  std::filesystem::create_directories(scratch_dir);
  const std::filesystem::path params_file = scratch_dir / "params.json";
  std::ofstream(params_file) << params_json;
  return run_process({worker_binary(), "run", "--params", params_file.string(), "--out", out_dir.string(),
                      "--threads", std::to_string(threads)},
                     {}, scratch_dir);
}

std::vector<std::string> files_under(const std::filesystem::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(std::filesystem::relative(entry.path(), dir).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace live2::worker::testing
