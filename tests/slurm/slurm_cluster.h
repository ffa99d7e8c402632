// What the Slurm integration tests share: the fixture cluster (slurm_fixture.sh, started by CTest) found in its
// state dir (LIVE2_SLURM_STATE_DIR, compiled in from CMake), and its SLURM_CONF.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace live2::testing {

struct SlurmCluster {
  std::string slurm_conf;          // the fixture's slurm.conf
  std::string unavailable_reason;  // set when there is no cluster: the test skips with it
};

inline SlurmCluster slurm_cluster() {
  const std::filesystem::path dir(LIVE2_SLURM_STATE_DIR);
  if (!std::filesystem::exists(dir / "slurm.conf") && !std::filesystem::exists(dir / "unavailable")) {
    return {"", "the Slurm fixture has not run (run through ctest, which starts the cluster in " + dir.string() + ")"};
  }
  std::ifstream unavailable(dir / "unavailable");
  if (unavailable) {
    std::stringstream reason;
    reason << unavailable.rdbuf();
    return {"", reason.str()};
  }
  return {(dir / "slurm.conf").string(), ""};
}

}  // namespace live2::testing
