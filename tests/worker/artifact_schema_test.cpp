// Runs one tiny job through the real live2-sim binary with the environment contract (JOB_ID, JOB_PARAMS, ...)
// and checks every artifact against docs/simulation-contract.md: files, HDF5 layout and types, CSV header, JSON
// fields, metadata.json (sizes, sha256, written last), and that h5py can read results.h5.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/json.hpp>

#include <array>
#include <fstream>
#include <memory>
#include <set>

#include "h5_contents.h"
#include "worker_run_support.h"

namespace live2::worker::testing {
namespace {

constexpr int64_t kAtoms = 200;
constexpr int64_t kSteps = 400;
constexpr int64_t kAnalysisInterval = 50;
constexpr int64_t kSnapshotInterval = 100;

const std::vector<std::string> kMetricsColumns = {
    "step",      "time",        "temperature", "kinetic_energy",   "potential_energy", "pressure",    "n_bonds",
    "n_molecules", "n_species", "new_species", "largest_molecule", "bonds_formed",     "bonds_broken"};
const std::set<std::string> kFloatMetrics = {"time", "temperature", "kinetic_energy", "potential_energy", "pressure"};

std::string independent_sha256(const std::filesystem::path& file) {
  const std::string content = read_file_text(file);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(content.data(), content.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

boost::json::value read_json(const std::filesystem::path& file) { return boost::json::parse(read_file_text(file)); }

class ArtifactSchemaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = std::make_unique<TempDir>("live2-worker-schema");
    out_ = scratch_->path() / "out";
    const std::string params = open_chemistry_params(
        "\"num_particles\": " + std::to_string(kAtoms) + ", \"steps\": " + std::to_string(kSteps) +
        ", \"seed\": 7, \"analysis_interval\": " + std::to_string(kAnalysisInterval) +
        ", \"snapshot_interval\": " + std::to_string(kSnapshotInterval));
    result_ = run_process({worker_binary(), "run", "--out", out_.string(), "--threads", "2"},
                          {{"JOB_ID", "job-schema"},
                           {"USER_ID", "user-1"},
                           {"JOB_PARAMS", params},
                           {"AWS_BATCH_JOB_ID", "batch-123"},
                           {"AWS_BATCH_JOB_ATTEMPT", "2"}},
                          scratch_->path() / "process");
  }
  static void TearDownTestSuite() { scratch_.reset(); }

  void SetUp() override { ASSERT_EQ(result_.exit_code, 0) << result_.stderr_text; }

  static std::filesystem::path file(const std::string& name) { return out_ / name; }

  static inline std::unique_ptr<TempDir> scratch_;
  static inline std::filesystem::path out_;
  static inline CompletedProcess result_;
};

TEST_F(ArtifactSchemaTest, WritesExactlyTheContractArtifacts) {
  EXPECT_EQ(files_under(out_),
            (std::vector<std::string>{"checkpoint/state.bin", "final.png", "metadata.json", "metrics.csv",
                                      "molecules.json", "progress.json", "reactions.json", "results.h5",
                                      "simulation.log", "summary.json"}));
  EXPECT_GT(std::filesystem::file_size(file("checkpoint/state.bin")), static_cast<uintmax_t>(kAtoms * 16));
}

TEST_F(ArtifactSchemaTest, ResultsRootAttributesDescribeTheRun) {
  const auto attributes = read_attributes(file("results.h5"), "/");
  for (const char* name : {"live2_version", "mode", "params_json"}) {
    ASSERT_TRUE(attributes.count(name)) << name;
    EXPECT_EQ(attributes.at(name).type_class, H5T_STRING) << name;
  }
  for (const char* name : {"seed", "num_particles", "steps"}) {
    ASSERT_TRUE(attributes.count(name)) << name;
    EXPECT_EQ(attributes.at(name).type_class, H5T_INTEGER) << name;
    EXPECT_EQ(attributes.at(name).type_size, 8u) << name;
  }
  for (const char* name : {"dt", "temperature", "box_size"}) {
    ASSERT_TRUE(attributes.count(name)) << name;
    EXPECT_EQ(attributes.at(name).type_class, H5T_FLOAT) << name;
  }
  EXPECT_EQ(attributes.at("mode").text, "open_chemistry");
  EXPECT_EQ(attributes.at("seed").integer, 7);
  EXPECT_EQ(attributes.at("num_particles").integer, kAtoms);
  EXPECT_EQ(attributes.at("steps").integer, kSteps);
  EXPECT_DOUBLE_EQ(attributes.at("box_size").number, std::sqrt(kAtoms / 0.4));
  const boost::json::value params = boost::json::parse(attributes.at("params_json").text);
  EXPECT_EQ(params.at("simulation_config").at("config").at("steps").to_number<int64_t>(), kSteps);
}

TEST_F(ArtifactSchemaTest, MetricsAreOneDimensionalColumnsOneRowPerAnalysis) {
  const auto datasets = read_all_datasets(file("results.h5"));
  const hsize_t rows = kSteps / kAnalysisInterval + 1;
  for (const std::string& column : kMetricsColumns) {
    const auto found = datasets.find("/metrics/" + column);
    ASSERT_NE(found, datasets.end()) << column;
    EXPECT_EQ(found->second.dims, std::vector<hsize_t>{rows}) << column;
    EXPECT_EQ(found->second.type_class, kFloatMetrics.count(column) ? H5T_FLOAT : H5T_INTEGER) << column;
    EXPECT_EQ(found->second.type_size, 8u) << column;
  }
  const std::vector<int64_t> steps = values_of<int64_t>(datasets.at("/metrics/step"));
  for (hsize_t i = 0; i < rows; ++i) EXPECT_EQ(steps[i], static_cast<int64_t>(i) * kAnalysisInterval);
}

TEST_F(ArtifactSchemaTest, SnapshotsHaveTheContractShapesTypesAndAttributes) {
  const auto datasets = read_all_datasets(file("results.h5"));
  for (int64_t step = 0; step <= kSteps; step += kSnapshotInterval) {
    const std::string group = "/snapshots/" + std::string(10 - std::to_string(step).size(), '0') + std::to_string(step);
    SCOPED_TRACE(group);
    ASSERT_TRUE(datasets.count(group + "/positions"));
    const DatasetContent& positions = datasets.at(group + "/positions");
    EXPECT_EQ(positions.dims, (std::vector<hsize_t>{kAtoms, 2}));
    EXPECT_EQ(positions.type_class, H5T_FLOAT);
    EXPECT_EQ(positions.type_size, 4u);
    const DatasetContent& velocities = datasets.at(group + "/velocities");
    EXPECT_EQ(velocities.dims, (std::vector<hsize_t>{kAtoms, 2}));
    EXPECT_EQ(velocities.type_size, 4u);
    const DatasetContent& types = datasets.at(group + "/types");
    EXPECT_EQ(types.dims, std::vector<hsize_t>{kAtoms});
    EXPECT_EQ(types.type_class, H5T_INTEGER);
    EXPECT_EQ(types.type_size, 1u);
    EXPECT_FALSE(types.is_signed);
    for (unsigned char type : types.bytes) EXPECT_LT(type, 6);
    const DatasetContent& bonds = datasets.at(group + "/bonds");
    ASSERT_EQ(bonds.dims.size(), 2u);
    EXPECT_EQ(bonds.dims[1], 2u);
    EXPECT_EQ(bonds.type_size, 4u);
    EXPECT_FALSE(bonds.is_signed);
    for (uint32_t atom : values_of<uint32_t>(bonds)) EXPECT_LT(atom, static_cast<uint32_t>(kAtoms));

    const auto attributes = read_attributes(file("results.h5"), group);
    EXPECT_EQ(attributes.at("step").integer, step);
    EXPECT_EQ(attributes.at("step").type_class, H5T_INTEGER);
    EXPECT_EQ(attributes.at("time").type_class, H5T_FLOAT);
  }
  size_t snapshot_groups = 0;
  for (const auto& [path, dataset] : datasets) snapshot_groups += path.ends_with("/positions") ? 1 : 0;
  EXPECT_EQ(snapshot_groups, static_cast<size_t>(kSteps / kSnapshotInterval + 1));
}

TEST_F(ArtifactSchemaTest, SpeciesAndReactionTablesMatchTheirJsonFiles) {
  const auto datasets = read_all_datasets(file("results.h5"));
  const boost::json::array molecules = read_json(file("molecules.json")).as_array();
  const boost::json::array reactions = read_json(file("reactions.json")).as_array();
  EXPECT_FALSE(molecules.empty()) << "a default open_chemistry run forms molecules";
  for (const char* column : {"key", "formula", "atoms", "bonds", "first_seen_step", "final_count", "max_count"}) {
    ASSERT_TRUE(datasets.count(std::string("/species/") + column)) << column;
    EXPECT_EQ(datasets.at(std::string("/species/") + column).dims, std::vector<hsize_t>{molecules.size()}) << column;
    for (const auto& molecule : molecules) EXPECT_TRUE(molecule.as_object().contains(column)) << column;
  }
  for (const char* column : {"equation", "count", "first_step"}) {
    ASSERT_TRUE(datasets.count(std::string("/reactions/") + column)) << column;
    EXPECT_EQ(datasets.at(std::string("/reactions/") + column).dims, std::vector<hsize_t>{reactions.size()});
    for (const auto& reaction : reactions) EXPECT_TRUE(reaction.as_object().contains(column)) << column;
  }
  const std::vector<std::string> keys = strings_of(datasets.at("/species/key"));
  ASSERT_EQ(keys.size(), molecules.size());
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys[i], molecules[i].at("key").as_string());
  EXPECT_EQ(datasets.at("/species/key").type_class, H5T_STRING);
}

TEST_F(ArtifactSchemaTest, MetricsCsvHasTheHeaderAndOneLinePerAnalysis) {
  std::ifstream csv(file("metrics.csv"));
  std::string header;
  std::getline(csv, header);
  std::string expected;
  for (const std::string& column : kMetricsColumns) expected += (expected.empty() ? "" : ",") + column;
  EXPECT_EQ(header, expected);
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kSteps / kAnalysisInterval + 1));
  EXPECT_TRUE(lines.front().starts_with("0,0,"));
  EXPECT_TRUE(lines.back().starts_with(std::to_string(kSteps) + ","));
}

TEST_F(ArtifactSchemaTest, SummaryReportsTheRun) {
  const boost::json::object summary = read_json(file("summary.json")).as_object();
  for (const char* field : {"parameters", "seed", "runtime_seconds", "particle_steps_per_second", "final_metrics",
                            "species_count", "top_species", "top_reactions"}) {
    EXPECT_TRUE(summary.contains(field)) << field;
  }
  EXPECT_EQ(summary.at("seed").to_number<int64_t>(), 7);
  EXPECT_GT(summary.at("particle_steps_per_second").to_number<double>(), 0);
  EXPECT_EQ(summary.at("final_metrics").at("step").to_number<int64_t>(), kSteps);
  EXPECT_EQ(summary.at("species_count").to_number<size_t>(), read_json(file("molecules.json")).as_array().size());
  EXPECT_LE(summary.at("top_species").as_array().size(), 20u);
  EXPECT_LE(summary.at("top_reactions").as_array().size(), 20u);
}

// Shortest decimal doubles (json_text.h): the default temperature 300 and dt 0.005 as written, no `3E2`.
TEST_F(ArtifactSchemaTest, JsonFilesWriteNumbersTheUsualWay) {
  const std::string summary = read_file_text(file("summary.json"));
  EXPECT_NE(summary.find(R"("temperature":300,)"), std::string::npos) << summary;
  EXPECT_NE(summary.find(R"("dt":0.005,)"), std::string::npos) << summary;
  for (const char* name : {"summary.json", "molecules.json", "reactions.json", "progress.json", "metadata.json"}) {
    EXPECT_EQ(read_file_text(file(name)).find('E'), std::string::npos) << name << " has a Boost-style exponent";
  }
}

TEST_F(ArtifactSchemaTest, ProgressShowsTheFinishedRun) {
  const boost::json::object progress = read_json(file("progress.json")).as_object();
  EXPECT_EQ(progress.at("step").to_number<int64_t>(), kSteps);
  EXPECT_EQ(progress.at("steps").to_number<int64_t>(), kSteps);
  EXPECT_DOUBLE_EQ(progress.at("progress").to_number<double>(), 1.0);
  EXPECT_EQ(progress.at("attempt").to_number<int64_t>(), 2);
  for (const char* field : {"eta_seconds", "particle_steps_per_second", "updated_at"}) {
    EXPECT_TRUE(progress.contains(field)) << field;
  }
}

TEST_F(ArtifactSchemaTest, LogHasParametersProgressAndSummary) {
  const std::string log = read_file_text(file("simulation.log"));
  EXPECT_NE(log.find("parameters: {\"simulation_config\""), std::string::npos);
  EXPECT_NE(log.find("particle-steps/s, ETA"), std::string::npos);
  EXPECT_NE(log.find("finished 400 steps of 200 atoms"), std::string::npos);
}

TEST_F(ArtifactSchemaTest, FinalImageIsAPng) {
  const std::string png = read_file_text(file("final.png"));
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  const auto big_endian = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(png[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(png[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(png[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(png[at + 3]));
  };
  EXPECT_GT(big_endian(16), big_endian(20)) << "wider than tall: the box plus the legend";
}

TEST_F(ArtifactSchemaTest, MetadataListsEveryOtherArtifactWithSizeAndSha256AndIsWrittenLast) {
  const boost::json::object metadata = read_json(file("metadata.json")).as_object();
  EXPECT_EQ(metadata.at("job_id").as_string(), "job-schema");
  EXPECT_EQ(metadata.at("user_id").as_string(), "user-1");
  EXPECT_EQ(metadata.at("batch_job_id").as_string(), "batch-123");
  EXPECT_EQ(metadata.at("attempt").to_number<int64_t>(), 2);
  EXPECT_EQ(metadata.at("exit_code").to_number<int64_t>(), 0);
  EXPECT_EQ(metadata.at("status").as_string(), "completed");

  std::vector<std::string> listed;
  for (const auto& artifact : metadata.at("artifacts").as_array()) {
    const std::string name(artifact.at("name").as_string());
    listed.push_back(name);
    EXPECT_EQ(artifact.at("size").to_number<uintmax_t>(), std::filesystem::file_size(file(name))) << name;
    EXPECT_EQ(artifact.at("sha256").as_string(), independent_sha256(file(name))) << name;
    EXPECT_LE(std::filesystem::last_write_time(file(name)), std::filesystem::last_write_time(file("metadata.json")))
        << name;
  }
  std::sort(listed.begin(), listed.end());
  std::vector<std::string> others = files_under(out_);
  others.erase(std::remove(others.begin(), others.end(), "metadata.json"), others.end());
  EXPECT_EQ(listed, others);
}

std::optional<std::string> python_with_h5py(const std::filesystem::path& scratch) {
  for (const char* python : {"/usr/bin/python3", "python3"}) {
    const CompletedProcess probe = run_process({"/usr/bin/env", python, "-c", "import h5py"}, {}, scratch);
    if (probe.exit_code == 0) return python;
  }
  return std::nullopt;
}

TEST_F(ArtifactSchemaTest, H5pyReadsResults) {
  const std::filesystem::path scratch = scratch_->path() / "python";
  const std::optional<std::string> python = python_with_h5py(scratch);
  if (!python) GTEST_SKIP() << "python3-h5py is not installed";
  const std::string script = R"(
import json, sys, h5py
f = h5py.File(sys.argv[1], "r")
assert f.attrs["mode"] == "open_chemistry", f.attrs["mode"]
assert int(f.attrs["num_particles"]) == 200
json.loads(f.attrs["params_json"])
assert f["metrics/step"].shape == (9,) and f["metrics/step"].dtype == "int64"
assert f["metrics/temperature"].dtype == "float64"
snaps = sorted(f["snapshots"].keys())
assert snaps == ["%010d" % s for s in range(0, 401, 100)], snaps
last = f["snapshots"][snaps[-1]]
assert last["positions"].shape == (200, 2) and last["positions"].dtype == "float32"
assert last["types"].dtype == "uint8" and last["bonds"].dtype == "uint32" and last["bonds"].shape[1] == 2
assert int(last.attrs["step"]) == 400
keys = [k.decode() if isinstance(k, bytes) else k for k in f["species/key"][:]]
assert all("#" in k for k in keys), keys[:3]
assert len(f["reactions/equation"]) == len(f["reactions/count"])
print("ok")
)";
  const CompletedProcess run =
      run_process({"/usr/bin/env", *python, "-c", script, file("results.h5").string()}, {}, scratch);
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.stdout_text, "ok\n");
}

}  // namespace
}  // namespace live2::worker::testing
