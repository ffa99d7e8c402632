// Test helper: reads every dataset of an HDF5 file with the C API (independently of the worker's writer), so
// tests can check shapes and types and compare two files' datasets byte for byte.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace live2::worker::testing {

struct DatasetContent {
  H5T_class_t type_class = H5T_NO_CLASS;
  size_t type_size = 0;  // bytes per element; 0 for variable-length strings
  bool is_signed = false;
  std::vector<hsize_t> dims;
  std::vector<unsigned char> bytes;  // raw native values; strings: each one followed by '\0'

  bool operator==(const DatasetContent&) const = default;
};

// Keyed by full path, e.g. "/metrics/step", "/snapshots/0000000100/positions".
std::map<std::string, DatasetContent> read_all_datasets(const std::filesystem::path& file);

template <typename T>
std::vector<T> values_of(const DatasetContent& dataset) {
  std::vector<T> values(dataset.bytes.size() / sizeof(T));
  std::copy(dataset.bytes.begin(), dataset.bytes.end(), reinterpret_cast<unsigned char*>(values.data()));
  return values;
}
std::vector<std::string> strings_of(const DatasetContent& dataset);

struct AttributeContent {
  H5T_class_t type_class = H5T_NO_CLASS;
  size_t type_size = 0;
  std::string text;       // string attributes
  int64_t integer = 0;    // integer attributes (unsigned values reinterpreted)
  double number = 0;      // float attributes
};

// Attributes of the object at `object_path` ("/" or "/snapshots/0000000000"), keyed by name.
std::map<std::string, AttributeContent> read_attributes(const std::filesystem::path& file,
                                                        const std::string& object_path);

}  // namespace live2::worker::testing
