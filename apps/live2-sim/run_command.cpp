// `live2-sim run`: reads the job (environment + command line), validates its params (exit 64 with one line per
// bad field and nothing written), installs the SIGTERM/SIGINT handler and runs the job. With a run index (RUN_INDEX
// or AWS_BATCH_JOB_ARRAY_INDEX) the params are a dataset's and the job is that one run, under runs/<index>/.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <memory>
#include <thread>
#include <variant>

#include "base/environment.h"
#include "commands.h"
#include "worker/artifact_sink.h"
#include "worker/dataset_run.h"
#include "worker/job_runner.h"
#include "worker/worker_contract.h"
#include "worker/worker_environment.h"
#include "worker/worker_setup.h"

namespace live2::sim::cli {
namespace {

using namespace live2::worker;

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

// Only sets the flag: the run loop checks it between chunks of steps and checkpoints.
extern "C" void request_stop(int) { stop_requested.store(true); }

void install_stop_handler() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
}

}  // namespace

int run_command(const RunArguments& arguments) {
  install_stop_handler();
  std::variant<WorkerSetup, WorkerExitCode> setup = set_up_worker(process_environment(), arguments.out_dir);
  if (const WorkerExitCode* setup_failed = std::get_if<WorkerExitCode>(&setup)) return exit_code_of(*setup_failed);
  const auto& [environment, sinks] = std::get<WorkerSetup>(setup);
  const std::filesystem::path& out_dir = sinks.out_dir();
  std::unique_ptr<ArtifactSink> sink = sinks.make_sink("");

  OutputResult<std::string> params_text =
      read_params_text(arguments.params_file, environment, *sink, out_dir / "params.json");
  if (!params_text) {
    fmt::print(stderr, "{}\n", params_text.message());
    return static_cast<int>(WorkerExitCode::invalid_params);
  }
  std::string job_id = environment.job_id;
  std::filesystem::path work_dir = out_dir;
  if (environment.run_index) {
    DatasetRunSelection selection = select_dataset_run(params_text.value(), environment.job_id,
                                                       *environment.run_index, environment.run_index_variable);
    if (!selection.run) {
      for (const std::string& problem : selection.problems) fmt::print(stderr, "{}\n", problem);
      return static_cast<int>(WorkerExitCode::invalid_params);
    }
    params_text = std::move(selection.run->params_json);
    job_id = selection.run->job_id;
    work_dir = out_dir / selection.run->artifact_prefix;
    sink = sinks.make_sink(selection.run->artifact_prefix);
  }
  const ValidatedParams params = validate_params_text(params_text.value());
  if (!params.config) {
    for (const std::string& problem : params.problems) fmt::print(stderr, "{}\n", problem);
    return static_cast<int>(WorkerExitCode::invalid_params);
  }

  JobRunOptions options;
  options.config = *params.config;
  options.identity = RunIdentity{job_id, environment.user_id, environment.batch_job_id, environment.attempt};
  options.threads = arguments.threads > 0     ? arguments.threads
                    : environment.threads > 0 ? environment.threads
                                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.work_dir = work_dir;
  options.output_budget_bytes = environment.output_budget_bytes;
  SystemClock clock;
  return static_cast<int>(run_simulation_job(options, *sink, stop_requested, clock));
}

}  // namespace live2::sim::cli
