#include "worker/run_guide.h"

#include "sim/params.h"
#include "worker/atomic_file.h"
#include "worker/download_readme.h"
#include "worker/report_html.h"
#include "worker/worker_contract.h"

namespace live2::worker {

OutputResult<std::vector<std::string>> write_run_guide(const RunGuideInput& input, const std::filesystem::path& work_dir) {
  std::vector<std::string> written;
  if (input.simulation != nullptr && input.config != nullptr) {
    RunReport report;
    report.job_id = input.job_id;
    report.outcome = input.outcome;
    report.parameters = sim::resolved_params_json(*input.config);
    report.last_step = input.simulation->current_step();
    report.species = input.simulation->species();
    report.reactions = input.simulation->reactions();
    report.species_counts = input.simulation->species_counts();
    report.metrics = input.simulation->metrics_history();
    if (OutputStatus saved = write_file_atomically(work_dir / artifact::kReport, report_html(report)); !saved) {
      return saved;
    }
    written.push_back(artifact::kReport);
  }
  std::vector<std::string> names = input.artifact_names;
  names.insert(names.end(), written.begin(), written.end());
  names.push_back(artifact::kReadme);
  const std::string readme = download_readme(input.job_id, input.outcome, names);
  if (OutputStatus saved = write_file_atomically(work_dir / artifact::kReadme, readme); !saved) return saved;
  written.push_back(artifact::kReadme);
  return written;
}

}  // namespace live2::worker
