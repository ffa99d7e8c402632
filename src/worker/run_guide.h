// The two files that explain a run to a person: report.html (report_html.h) and README.txt (download_readme.h),
// written into the work dir from the run's current state, at the end of a run and of a stopped or failed one. The job
// runner publishes them with the other artifacts. Not thread-safe (reads the simulation).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sim/simulation.h"
#include "worker/output_status.h"

namespace live2::worker {

struct RunGuideInput {
  std::string job_id;
  std::string outcome;                          // "completed", "stopped at step 1200 (...)", "failed: ..."
  const sim::Simulation* simulation = nullptr;  // null when the run failed before it had one: no report.html then
  const sim::SimulationConfig* config = nullptr;
  std::vector<std::string> artifact_names;      // the other files of the download, for README.txt
};

// Writes report.html (with a simulation) and README.txt into `work_dir`; returns the names written.
OutputResult<std::vector<std::string>> write_run_guide(const RunGuideInput& input, const std::filesystem::path& work_dir);

}  // namespace live2::worker
