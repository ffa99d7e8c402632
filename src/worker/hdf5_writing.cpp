#include "worker/hdf5_writing.h"

#include <algorithm>

namespace live2::worker {
namespace {

OutputStatus write_scalar_attribute(hid_t owner, const char* name, hid_t file_type, hid_t memory_type,
                                    const void* value) {
  H5Handle space = h5_dataspace(H5Screate(H5S_SCALAR));
  if (H5Aexists(owner, name) > 0) H5Adelete(owner, name);
  H5Handle attribute = h5_attribute(H5Acreate2(owner, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT));
  if (!attribute.valid() || H5Awrite(attribute.get(), memory_type, value) < 0) {
    return hdf5_failure(std::string("write attribute ") + name);
  }
  return {};
}

}  // namespace

// HDF5 prints its error stack to stderr by default; every failure here is reported through OutputStatus instead.
// And HDF5 1.10's atexit teardown crashes (SIGSEGV in H5F__close_cb) on a file whose close failed because the disk
// was full, turning a clean exit 1 into a signal; every file is closed explicitly, so the teardown is not needed.
void configure_hdf5() {
  H5dont_atexit();  // effective only before the library's first use; a no-op after
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

H5Handle utf8_string_type() {
  H5Handle type = h5_datatype(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

OutputStatus hdf5_failure(const std::string& what) { return OutputStatus::failure("HDF5: cannot " + what); }

OutputStatus write_string_attribute(hid_t owner, const char* name, const std::string& value) {
  H5Handle type = utf8_string_type();
  const char* text = value.c_str();
  return write_scalar_attribute(owner, name, type.get(), type.get(), &text);
}

OutputStatus write_int64_attribute(hid_t owner, const char* name, int64_t value) {
  return write_scalar_attribute(owner, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

OutputStatus write_uint64_attribute(hid_t owner, const char* name, uint64_t value) {
  return write_scalar_attribute(owner, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}

OutputStatus write_double_attribute(hid_t owner, const char* name, double value) {
  return write_scalar_attribute(owner, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

OutputStatus write_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                           const std::vector<hsize_t>& dims, const void* data, const std::string& unit) {
  H5Handle space = h5_dataspace(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  H5Handle dataset =
      h5_dataset(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!dataset.valid()) return hdf5_failure("create dataset " + name);
  const bool empty = std::any_of(dims.begin(), dims.end(), [](hsize_t d) { return d == 0; });
  if (!empty && H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    return hdf5_failure("write dataset " + name);
  }
  return write_string_attribute(dataset.get(), "units", unit);
}

OutputStatus write_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                           const std::vector<hsize_t>& dims, const void* data, sim::Quantity unit) {
  return write_dataset(parent, name, file_type, memory_type, dims, data, sim::unit_text(unit));
}

OutputStatus write_string_dataset(hid_t parent, const std::string& name, const std::vector<std::string>& strings,
                                  const std::string& unit) {
  std::vector<const char*> values;
  values.reserve(strings.size());
  for (const std::string& text : strings) values.push_back(text.c_str());
  H5Handle type = utf8_string_type();
  return write_dataset(parent, name, type.get(), type.get(), {strings.size()}, values.data(), unit);
}

OutputStatus write_string_dataset(hid_t parent, const std::string& name, const std::vector<std::string>& strings,
                                  sim::Quantity unit) {
  return write_string_dataset(parent, name, strings, sim::unit_text(unit));
}

OutputResult<H5Handle> recreate_group(hid_t parent, const char* name) {
  if (H5Lexists(parent, name, H5P_DEFAULT) > 0 && H5Ldelete(parent, name, H5P_DEFAULT) < 0) {
    return hdf5_failure(std::string("delete group ") + name);
  }
  H5Handle group = h5_group(H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!group.valid()) return hdf5_failure(std::string("create group ") + name);
  return group;
}

}  // namespace live2::worker
