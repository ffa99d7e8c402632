#include "h5_contents.h"

#include <algorithm>
#include <stdexcept>

#include "worker/hdf5_handle.h"

namespace live2::worker::testing {
namespace {

struct VisitState {
  hid_t file;
  std::map<std::string, DatasetContent>* datasets;
};

DatasetContent read_dataset(hid_t dataset) {
  DatasetContent content;
  H5Handle type = h5_datatype(H5Dget_type(dataset));
  H5Handle space = h5_dataspace(H5Dget_space(dataset));
  content.type_class = H5Tget_class(type.get());
  const int rank = H5Sget_simple_extent_ndims(space.get());
  content.dims.resize(rank);
  H5Sget_simple_extent_dims(space.get(), content.dims.data(), nullptr);
  const auto count = static_cast<size_t>(H5Sget_simple_extent_npoints(space.get()));
  if (content.type_class == H5T_STRING && H5Tis_variable_str(type.get()) > 0) {
    std::vector<char*> strings(count);
    if (count > 0) {
      H5Dread(dataset, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, strings.data());
      for (char* s : strings) {
        content.bytes.insert(content.bytes.end(), s, s + std::char_traits<char>::length(s) + 1);
      }
      H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, strings.data());
    }
    return content;
  }
  content.type_size = H5Tget_size(type.get());
  content.is_signed = content.type_class == H5T_INTEGER && H5Tget_sign(type.get()) == H5T_SGN_2;
  H5Handle native = h5_datatype(H5Tget_native_type(type.get(), H5T_DIR_ASCEND));
  content.bytes.resize(count * content.type_size);
  if (count > 0) H5Dread(dataset, native.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, content.bytes.data());
  return content;
}

herr_t visit_link(hid_t group, const char* name, const H5L_info_t*, void* data) {
  auto* state = static_cast<VisitState*>(data);
  H5Handle object(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
  if (object.valid() && H5Iget_type(object.get()) == H5I_DATASET) {
    (*state->datasets)[std::string("/") + name] = read_dataset(object.get());
  }
  return 0;
}

}  // namespace

std::map<std::string, DatasetContent> read_all_datasets(const std::filesystem::path& file) {
  H5Handle handle = h5_file(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!handle.valid()) throw std::runtime_error("cannot open " + file.string());
  std::map<std::string, DatasetContent> datasets;
  VisitState state{handle.get(), &datasets};
  H5Lvisit(handle.get(), H5_INDEX_NAME, H5_ITER_INC, visit_link, &state);
  return datasets;
}

std::vector<std::string> strings_of(const DatasetContent& dataset) {
  std::vector<std::string> strings;
  std::string current;
  for (unsigned char c : dataset.bytes) {
    if (c == '\0') {
      strings.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(c));
    }
  }
  return strings;
}

std::map<std::string, AttributeContent> read_attributes(const std::filesystem::path& file,
                                                        const std::string& object_path) {
  H5Handle handle = h5_file(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!handle.valid()) throw std::runtime_error("cannot open " + file.string());
  H5Handle object(H5Oopen(handle.get(), object_path.c_str(), H5P_DEFAULT), H5Oclose);
  if (!object.valid()) throw std::runtime_error("no object " + object_path);
  std::map<std::string, AttributeContent> attributes;
  const int count = H5Aget_num_attrs(object.get());
  for (int i = 0; i < count; ++i) {
    H5Handle attribute = h5_attribute(H5Aopen_idx(object.get(), static_cast<unsigned>(i)));
    char name[256] = {};
    H5Aget_name(attribute.get(), sizeof name, name);
    H5Handle type = h5_datatype(H5Aget_type(attribute.get()));
    AttributeContent content;
    content.type_class = H5Tget_class(type.get());
    content.type_size = H5Tget_size(type.get());
    if (content.type_class == H5T_STRING) {
      char* text = nullptr;
      H5Aread(attribute.get(), type.get(), &text);
      content.text = text == nullptr ? "" : text;
      H5free_memory(text);
    } else if (content.type_class == H5T_INTEGER) {
      H5Aread(attribute.get(), H5T_NATIVE_INT64, &content.integer);
    } else if (content.type_class == H5T_FLOAT) {
      H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &content.number);
    }
    attributes[name] = content;
  }
  return attributes;
}

}  // namespace live2::worker::testing
