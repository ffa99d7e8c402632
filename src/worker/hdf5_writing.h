// The HDF5 writing helpers every file of the worker shares (results.h5, dataset.h5): attributes, 1-D and n-D
// datasets with their `units` attribute (sim/units.h), and column groups (one 1-D dataset per column, the layout of
// results.h5's /metrics). Failures come back as OutputStatus ("HDF5: cannot ..."). Stateless; callers own the ids.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/units.h"
#include "worker/hdf5_handle.h"
#include "worker/output_status.h"
#include "worker/table_columns.h"

namespace live2::worker {

// Silences HDF5's own error printing and its atexit teardown; call before a file is created or opened.
void configure_hdf5();

H5Handle utf8_string_type();
OutputStatus hdf5_failure(const std::string& what);

OutputStatus write_string_attribute(hid_t owner, const char* name, const std::string& value);
OutputStatus write_int64_attribute(hid_t owner, const char* name, int64_t value);
OutputStatus write_uint64_attribute(hid_t owner, const char* name, uint64_t value);
OutputStatus write_double_attribute(hid_t owner, const char* name, double value);

// A contiguous dataset of the given shape with its `units` attribute; a zero-sized shape makes an empty dataset.
OutputStatus write_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                           const std::vector<hsize_t>& dims, const void* data, sim::Quantity unit);
OutputStatus write_string_dataset(hid_t parent, const std::string& name, const std::vector<std::string>& strings,
                                  sim::Quantity unit);
// The same with the `units` attribute given as text (a unit that is no model Quantity, e.g. "fs").
OutputStatus write_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                           const std::vector<hsize_t>& dims, const void* data, const std::string& unit);
OutputStatus write_string_dataset(hid_t parent, const std::string& name, const std::vector<std::string>& strings,
                                  const std::string& unit);

// Creates group `name` under `parent`, deleting an existing one first.
OutputResult<H5Handle> recreate_group(hid_t parent, const char* name);

// One group, one 1-D dataset per column: int64, float64 or variable-length UTF-8 string.
template <typename Row>
OutputStatus write_column_table(hid_t parent, const char* group_name, const std::vector<TableColumn<Row>>& columns,
                                const std::vector<Row>& rows) {
  OutputResult<H5Handle> group = recreate_group(parent, group_name);
  if (!group) return group.status();
  const std::vector<hsize_t> dims = {rows.size()};
  for (const TableColumn<Row>& column : columns) {
    const std::string name(column.name);
    OutputStatus written = std::visit(
        [&](auto member) -> OutputStatus {
          using Value = std::remove_cvref_t<decltype(std::declval<Row>().*member)>;
          std::vector<Value> values;
          values.reserve(rows.size());
          for (const Row& row : rows) values.push_back(row.*member);
          if constexpr (std::is_same_v<Value, std::string>) {
            return write_string_dataset(group.value().get(), name, values, column.unit);
          } else if constexpr (std::is_same_v<Value, double>) {
            return write_dataset(group.value().get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, values.data(),
                                 column.unit);
          } else {
            return write_dataset(group.value().get(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, dims, values.data(),
                                 column.unit);
          }
        },
        column.member);
    if (!written) return written;
  }
  return {};
}

}  // namespace live2::worker
