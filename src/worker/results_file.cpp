#include "worker/results_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "sim/elements.h"
#include "sim/units.h"
#include "worker/hdf5_writing.h"
#include "worker/table_columns.h"

namespace live2::worker {
namespace {

// The element symbol of each `types` value, index = value ("H", "C", "N", "O", "P", "S").
std::vector<std::string> element_symbols() {
  std::vector<std::string> symbols;
  for (sim::Element e : sim::kAllElements) symbols.emplace_back(sim::element_symbol(e));
  return symbols;
}

std::string joined_element_symbols() {
  std::string text;
  for (const std::string& symbol : element_symbols()) text += (text.empty() ? "" : " ") + symbol;
  return text;
}

// Reads a whole dataset of `count` values of `memory_type` from `group`; false when absent or of another size.
template <typename T>
bool read_dataset(hid_t group, const char* name, hid_t memory_type, size_t count, std::vector<T>& values) {
  H5Handle dataset = h5_dataset(H5Dopen2(group, name, H5P_DEFAULT));
  if (!dataset.valid()) return false;
  H5Handle space = h5_dataspace(H5Dget_space(dataset.get()));
  if (H5Sget_simple_extent_npoints(space.get()) != static_cast<hssize_t>(count)) return false;
  values.resize(count);
  return count == 0 || H5Dread(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0;
}

template <typename T>
bool read_scalar_attribute(hid_t owner, const char* name, hid_t memory_type, T& value) {
  H5Handle attribute = h5_attribute(H5Aopen(owner, name, H5P_DEFAULT));
  return attribute.valid() && H5Aread(attribute.get(), memory_type, &value) >= 0;
}

OutputStatus write_root_attributes(hid_t file, const ResultsRootAttributes& a) {
  for (OutputStatus status :
       {write_string_attribute(file, "live2_version", a.live2_version), write_string_attribute(file, "mode", a.mode),
        write_uint64_attribute(file, "seed", a.seed), write_int64_attribute(file, "num_particles", a.num_particles),
        write_int64_attribute(file, "steps", a.steps), write_double_attribute(file, "dt", a.dt),
        write_double_attribute(file, "dt_fs", a.dt_fs), write_double_attribute(file, "temperature", a.temperature),
        write_double_attribute(file, "chemistry_scale", a.chemistry_scale),
        write_int64_attribute(file, "model_version", a.model_version),
        write_double_attribute(file, "box_size", a.box_size),
        write_string_attribute(file, "params_json", a.params_json),
        write_string_attribute(file, "unit_energy", sim::unit_text(sim::Quantity::energy)),
        write_string_attribute(file, "unit_length", sim::unit_text(sim::Quantity::length)),
        write_string_attribute(file, "unit_time", sim::unit_text(sim::Quantity::time)),
        write_string_attribute(file, "unit_mass", sim::unit_text(sim::Quantity::mass)),
        write_string_attribute(file, "unit_temperature", sim::unit_text(sim::Quantity::temperature)),
        write_string_dataset(file, "elements", element_symbols(), sim::Quantity::text)}) {
    if (!status) return status;
  }
  return {};
}

}  // namespace

std::string snapshot_group_name(int64_t step) { return fmt::format("{:010d}", step); }

ResultsFile::ResultsFile(H5Handle file, H5Handle snapshots)
    : file_(std::move(file)), snapshots_(std::move(snapshots)) {}

OutputResult<ResultsFile> ResultsFile::create(const std::filesystem::path& path,
                                              const ResultsRootAttributes& attributes) {
  configure_hdf5();
  H5Handle file = h5_file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  if (!file.valid()) return hdf5_failure("create " + path.string());
  if (OutputStatus written = write_root_attributes(file.get(), attributes); !written) return written;
  H5Handle snapshots = h5_group(H5Gcreate2(file.get(), "snapshots", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!snapshots.valid()) return hdf5_failure("create group snapshots");
  ResultsFile results(std::move(file), std::move(snapshots));
  if (OutputStatus flushed = results.flush(); !flushed) return flushed;
  return results;
}

OutputResult<ResultsFile> ResultsFile::reopen_for_resume(const std::filesystem::path& path, int64_t keep_through_step) {
  configure_hdf5();
  H5Handle file = h5_file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
  if (!file.valid()) return hdf5_failure("open " + path.string());
  H5Handle snapshots = h5_group(H5Gopen2(file.get(), "snapshots", H5P_DEFAULT));
  if (!snapshots.valid()) return hdf5_failure("open group snapshots in " + path.string());
  ResultsFile results(std::move(file), std::move(snapshots));
  for (int64_t step : results.snapshot_steps()) {
    if (step > keep_through_step &&
        H5Ldelete(results.snapshots_.get(), snapshot_group_name(step).c_str(), H5P_DEFAULT) < 0) {
      return hdf5_failure("delete snapshot " + snapshot_group_name(step));
    }
  }
  if (OutputStatus flushed = results.flush(); !flushed) return flushed;
  return results;
}

std::vector<int64_t> ResultsFile::snapshot_steps() const {
  std::vector<int64_t> steps;
  H5G_info_t info{};
  if (H5Gget_info(snapshots_.get(), &info) < 0) return steps;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    char name[64] = {};
    if (H5Lget_name_by_idx(snapshots_.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0) {
      continue;
    }
    const std::string_view text(name);
    int64_t step = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), step);
    if (error == std::errc() && end == text.data() + text.size()) steps.push_back(step);
  }
  std::sort(steps.begin(), steps.end());
  return steps;
}

OutputStatus ResultsFile::write_snapshot(const sim::Snapshot& snapshot) {
  OutputResult<H5Handle> group = recreate_group(snapshots_.get(), snapshot_group_name(snapshot.step).c_str());
  if (!group) return group.status();
  const hid_t g = group.value().get();
  const hsize_t atoms = snapshot.types.size();
  const hsize_t bonds = snapshot.bonds.size() / 2;
  for (OutputStatus status :
       {write_dataset(g, "positions", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {atoms, 2}, snapshot.positions.data(),
                      sim::Quantity::length),
        write_dataset(g, "velocities", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, {atoms, 2}, snapshot.velocities.data(),
                      sim::Quantity::velocity),
        write_dataset(g, "types", H5T_STD_U8LE, H5T_NATIVE_UINT8, {atoms}, snapshot.types.data(),
                      sim::Quantity::number),
        write_dataset(g, "bonds", H5T_STD_U32LE, H5T_NATIVE_UINT32, {bonds, 2}, snapshot.bonds.data(),
                      sim::Quantity::number),
        write_dataset(g, "bond_orders", H5T_STD_U8LE, H5T_NATIVE_UINT8, {bonds}, snapshot.bond_orders.data(),
                      sim::Quantity::number),
        write_dataset(g, "molecule_ids", H5T_STD_U32LE, H5T_NATIVE_UINT32, {atoms}, snapshot.molecule_ids.data(),
                      sim::Quantity::number),
        write_int64_attribute(g, "step", snapshot.step), write_double_attribute(g, "time", snapshot.time),
        write_string_attribute(g, "time_units", sim::unit_text(sim::Quantity::time))}) {
    if (!status) return status;
  }
  H5Handle types = h5_dataset(H5Dopen2(g, "types", H5P_DEFAULT));
  if (OutputStatus named = write_string_attribute(types.get(), "elements", joined_element_symbols()); !named) {
    return named;
  }
  return flush();
}

OutputResult<sim::Snapshot> ResultsFile::read_snapshot(int64_t step) const {
  H5Handle group = h5_group(H5Gopen2(snapshots_.get(), snapshot_group_name(step).c_str(), H5P_DEFAULT));
  if (!group.valid()) return hdf5_failure("open snapshot " + snapshot_group_name(step));
  const hid_t g = group.get();
  sim::Snapshot snapshot{};
  H5Handle types = h5_dataset(H5Dopen2(g, "types", H5P_DEFAULT));
  if (!types.valid()) return hdf5_failure("open the types of snapshot " + snapshot_group_name(step));
  H5Handle space = h5_dataspace(H5Dget_space(types.get()));
  const auto atoms = static_cast<size_t>(std::max<hssize_t>(0, H5Sget_simple_extent_npoints(space.get())));
  H5Handle bond_dataset = h5_dataset(H5Dopen2(g, "bonds", H5P_DEFAULT));
  H5Handle bond_space = h5_dataspace(H5Dget_space(bond_dataset.get()));
  const auto bond_ends = static_cast<size_t>(std::max<hssize_t>(0, H5Sget_simple_extent_npoints(bond_space.get())));
  if (!read_dataset(g, "positions", H5T_NATIVE_FLOAT, 2 * atoms, snapshot.positions) ||
      !read_dataset(g, "velocities", H5T_NATIVE_FLOAT, 2 * atoms, snapshot.velocities) ||
      !read_dataset(g, "types", H5T_NATIVE_UINT8, atoms, snapshot.types) ||
      !read_dataset(g, "bonds", H5T_NATIVE_UINT32, bond_ends, snapshot.bonds) ||
      !read_dataset(g, "bond_orders", H5T_NATIVE_UINT8, bond_ends / 2, snapshot.bond_orders) ||
      !read_dataset(g, "molecule_ids", H5T_NATIVE_UINT32, atoms, snapshot.molecule_ids) ||
      !read_scalar_attribute(g, "step", H5T_NATIVE_INT64, snapshot.step) ||
      !read_scalar_attribute(g, "time", H5T_NATIVE_DOUBLE, snapshot.time)) {
    return hdf5_failure("read snapshot " + snapshot_group_name(step));
  }
  return snapshot;
}

OutputStatus ResultsFile::write_metrics(const std::vector<sim::MetricsRow>& rows) {
  return write_column_table(file_.get(), "metrics", metrics_columns(), rows);
}

OutputStatus ResultsFile::write_species(const std::vector<sim::SpeciesRecord>& rows) {
  return write_column_table(file_.get(), "species", species_columns(), rows);
}

OutputStatus ResultsFile::write_reactions(const std::vector<sim::ReactionRecord>& rows) {
  return write_column_table(file_.get(), "reactions", reaction_columns(), rows);
}

OutputStatus ResultsFile::write_species_counts(const std::vector<sim::SpeciesCountRecord>& rows) {
  return write_column_table(file_.get(), "species_counts", species_count_columns(), rows);
}

OutputStatus ResultsFile::flush() {
  if (H5Fflush(file_.get(), H5F_SCOPE_GLOBAL) < 0) return hdf5_failure("flush results file");
  return {};
}

void ResultsFile::close() {
  snapshots_.reset();
  file_.reset();
}

}  // namespace live2::worker
