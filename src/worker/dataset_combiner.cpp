#include "worker/dataset_combiner.h"

#include "base/json_text.h"
#include "base/time_format.h"
#include "worker/atomic_file.h"
#include "worker/dataset_columns.h"
#include "worker/dataset_csv.h"
#include "worker/dataset_file.h"
#include "worker/dataset_summary.h"
#include "worker/dataset_table.h"
#include "worker/worker_contract.h"

namespace live2::worker {

OutputResult<CombineReport> combine_dataset(const CombineOptions& options, ArtifactSink& sink, const Clock& clock) {
  const std::filesystem::path& dir = options.work_dir;
  std::error_code ignored;
  std::filesystem::create_directories(dir, ignored);
  std::filesystem::remove(dir / artifact::kMetadata, ignored);

  OutputResult<DatasetTable> table = read_dataset_table(*options.plan, sink, dir);
  if (!table) return table.status();
  const std::vector<DatasetColumn> columns = dataset_columns(table.value());
  const std::string& dataset_id = options.identity.job_id;

  if (OutputStatus written = write_file_atomically(dir / artifact::kDatasetCsv, dataset_csv(columns)); !written) {
    return written;
  }
  const std::string summary = json_text(dataset_summary_json(dataset_id, table.value(), columns)) + "\n";
  if (OutputStatus written = write_file_atomically(dir / artifact::kDatasetSummary, summary); !written) return written;
  // HDF5 writes in place: build the file beside its name and rename it, so a reader never opens half a file.
  const std::filesystem::path h5_temp = dir / (std::string(artifact::kDatasetH5) + ".tmp");
  if (OutputStatus written = write_dataset_file(h5_temp, dataset_id, table.value(), columns, dir); !written) {
    return written;
  }
  std::error_code renamed;
  std::filesystem::rename(h5_temp, dir / artifact::kDatasetH5, renamed);
  if (renamed) return OutputStatus::failure("cannot rename " + h5_temp.string() + ": " + renamed.message());

  const std::vector<std::string> files = {artifact::kDatasetCsv, artifact::kDatasetH5, artifact::kDatasetSummary};
  for (const std::string& name : files) {
    if (OutputStatus published = sink.publish(name, dir / name, true); !published) return published;
  }
  const RunEnding ending{static_cast<int>(WorkerExitCode::finished), "completed", format_iso8601_ms(clock.now_ms())};
  OutputResult<boost::json::object> metadata = build_run_metadata(options.identity, ending, dir, files);
  if (!metadata) return metadata.status();
  if (OutputStatus written = write_file_atomically(dir / artifact::kMetadata, json_text(metadata.value()) + "\n");
      !written) {
    return written;
  }
  if (OutputStatus published = sink.publish(artifact::kMetadata, dir / artifact::kMetadata, true); !published) {
    return published;
  }
  CombineReport report;
  for (const DatasetRow& row : table.value().rows) {
    ++report.runs;
    if (row.status == kRunCompleted) ++report.completed;
    if (!row.damage.empty()) report.damaged.push_back("run " + std::to_string(row.run_index) + ": " + row.damage);
  }
  return report;
}

}  // namespace live2::worker
