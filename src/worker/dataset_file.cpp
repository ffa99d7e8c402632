#include "worker/dataset_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "worker/atomic_file.h"
#include "worker/hdf5_writing.h"
#include "worker/table_columns.h"
#include "worker/table_csv_reader.h"
#include "worker/worker_contract.h"

namespace live2::worker {
namespace {

OutputStatus write_column(hid_t group, const DatasetColumn& column) {
  const std::vector<hsize_t> dims = {column.cells.size()};
  if (column.text) {
    std::vector<std::string> values;
    for (const DatasetCell& cell : column.cells) {
      const std::string* text = std::get_if<std::string>(&cell);
      values.push_back(text ? *text : std::string());
    }
    return write_string_dataset(group, column.name, values, column.unit);
  }
  const bool all_int64 = std::all_of(column.cells.begin(), column.cells.end(),
                                     [](const DatasetCell& cell) { return std::holds_alternative<int64_t>(cell); });
  const bool all_uint64 = std::all_of(column.cells.begin(), column.cells.end(),
                                      [](const DatasetCell& cell) { return std::holds_alternative<uint64_t>(cell); });
  if (!column.outcome && !column.cells.empty() && all_int64) {
    std::vector<int64_t> values;
    for (const DatasetCell& cell : column.cells) values.push_back(std::get<int64_t>(cell));
    return write_dataset(group, column.name, H5T_STD_I64LE, H5T_NATIVE_INT64, dims, values.data(), column.unit);
  }
  if (!column.outcome && !column.cells.empty() && all_uint64) {
    std::vector<uint64_t> values;
    for (const DatasetCell& cell : column.cells) values.push_back(std::get<uint64_t>(cell));
    return write_dataset(group, column.name, H5T_STD_U64LE, H5T_NATIVE_UINT64, dims, values.data(), column.unit);
  }
  std::vector<double> values;
  for (const DatasetCell& cell : column.cells) {
    values.push_back(std::visit(
        [](const auto& value) -> double {
          using Value = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<Value, std::monostate> || std::is_same_v<Value, std::string>) {
            return std::numeric_limits<double>::quiet_NaN();
          } else {
            return static_cast<double>(value);
          }
        },
        cell));
  }
  return write_dataset(group, column.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, values.data(), column.unit);
}

OutputStatus write_run_series(hid_t file, const DatasetRow& row, const std::filesystem::path& run_dir) {
  const std::optional<std::string> metrics_text = read_text_file(run_dir / artifact::kMetricsCsv);
  const std::optional<std::string> counts_text = read_text_file(run_dir / artifact::kSpeciesCountsCsv);
  if (!metrics_text || !counts_text) {
    return OutputStatus::failure(fmt::format("cannot read the series of run {} in {}", row.run_index, run_dir.string()));
  }
  OutputResult<std::vector<sim::MetricsRow>> metrics = parse_metrics_csv(*metrics_text);
  if (!metrics) return metrics.status();
  OutputResult<std::vector<sim::SpeciesCountRecord>> counts = parse_species_counts_csv(*counts_text);
  if (!counts) return counts.status();
  const std::string name = fmt::format("run_{}", row.run_index);
  OutputResult<H5Handle> group = recreate_group(file, name.c_str());
  if (!group) return group.status();
  if (OutputStatus written = write_column_table(group.value().get(), "metrics", metrics_columns(), metrics.value());
      !written) {
    return written;
  }
  return write_column_table(group.value().get(), "species_counts", species_count_columns(), counts.value());
}

}  // namespace

OutputStatus write_dataset_file(const std::filesystem::path& path, const std::string& dataset_id,
                                const DatasetTable& table, const std::vector<DatasetColumn>& columns,
                                const std::filesystem::path& work_dir) {
  configure_hdf5();
  H5Handle file = h5_file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  if (!file.valid()) return hdf5_failure("create " + path.string());
  std::string sweep_fields;
  for (const std::string& field : table.sweep_fields) sweep_fields += (sweep_fields.empty() ? "" : " ") + field;
  for (OutputStatus status : {write_string_attribute(file.get(), "dataset_id", dataset_id),
                              write_int64_attribute(file.get(), "replicas", table.replicas),
                              write_string_attribute(file.get(), "sweep_fields", sweep_fields),
                              write_string_attribute(file.get(), "live2_version", LIVE2_VERSION)}) {
    if (!status) return status;
  }
  OutputResult<H5Handle> runs = recreate_group(file.get(), "runs");
  if (!runs) return runs.status();
  for (const DatasetColumn& column : columns) {
    if (OutputStatus written = write_column(runs.value().get(), column); !written) return written;
  }
  for (const DatasetRow& row : table.rows) {
    if (row.status != kRunCompleted) continue;
    const std::filesystem::path run_dir = work_dir / artifact::kRunsDirectory / std::to_string(row.run_index);
    if (OutputStatus written = write_run_series(file.get(), row, run_dir); !written) return written;
  }
  if (H5Fflush(file.get(), H5F_SCOPE_GLOBAL) < 0) return hdf5_failure("flush " + path.string());
  runs.value().reset();
  file.reset();
  return {};
}

}  // namespace live2::worker
