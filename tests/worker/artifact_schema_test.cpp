// Runs one tiny job through the real live2-sim binary with the environment contract (JOB_ID, JOB_PARAMS, ...)
// and checks every artifact against docs/simulation-contract.md: files, HDF5 layout and types, CSV header, JSON
// fields, metadata.json (sizes, sha256, written last), and that h5py can read results.h5.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/json.hpp>

#include <array>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "extxyz_reader.h"
#include "h5_contents.h"
#include "sim/units.h"
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
            (std::vector<std::string>{"README.txt", "checkpoint/state.bin", "final.png", "metadata.json",
                                      "metrics.csv", "molecules.json", "progress.json", "reaction_network.graphml",
                                      "reaction_network.json", "reactions.json", "report.html", "results.h5",
                                      "simulation.log", "species_counts.csv", "summary.json", "trajectory.extxyz"}));
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
  for (const char* name : {"dt", "dt_fs", "temperature", "box_size", "chemistry_scale"}) {
    ASSERT_TRUE(attributes.count(name)) << name;
    EXPECT_EQ(attributes.at(name).type_class, H5T_FLOAT) << name;
  }
  EXPECT_EQ(attributes.at("mode").text, "open_chemistry");
  EXPECT_EQ(attributes.at("model_version").integer, 5);
  EXPECT_DOUBLE_EQ(attributes.at("dt_fs").number, 0.8);
  EXPECT_DOUBLE_EQ(attributes.at("dt").number, 0.01);
  EXPECT_DOUBLE_EQ(attributes.at("chemistry_scale").number, 0.1);
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
    const DatasetContent& orders = datasets.at(group + "/bond_orders");
    ASSERT_EQ(orders.dims.size(), 1u);
    EXPECT_EQ(orders.dims[0], bonds.dims[0]);
    EXPECT_EQ(orders.type_size, 1u);
    for (uint8_t order : values_of<uint8_t>(orders)) {
      EXPECT_GE(order, 1);
      EXPECT_LE(order, 3);
    }

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
  for (const char* column : {"equation", "formula_equation", "count", "recrossings", "first_step"}) {
    ASSERT_TRUE(datasets.count(std::string("/reactions/") + column)) << column;
    EXPECT_EQ(datasets.at(std::string("/reactions/") + column).dims, std::vector<hsize_t>{reactions.size()});
    for (const auto& reaction : reactions) EXPECT_TRUE(reaction.as_object().contains(column)) << column;
  }
  const std::vector<std::string> keys = strings_of(datasets.at("/species/key"));
  ASSERT_EQ(keys.size(), molecules.size());
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys[i], molecules[i].at("key").as_string());
  EXPECT_EQ(datasets.at("/species/key").type_class, H5T_STRING);
}

std::string snapshot_group(int64_t step) {
  return "/snapshots/" + std::string(10 - std::to_string(step).size(), '0') + std::to_string(step);
}

// Every frame of trajectory.extxyz parses strictly and gives back, in its units (angstrom, angstrom/ps, ps), exactly
// the float32 values of the snapshot at the same step in results.h5, the element of each type and the molecule ids.
TEST_F(ArtifactSchemaTest, TrajectoryParsesStrictlyAndRoundTripsEverySnapshot) {
  const ExtxyzReadResult trajectory = read_extxyz(read_file_text(file("trajectory.extxyz")));
  ASSERT_EQ(trajectory.error, "");
  ASSERT_EQ(trajectory.frames.size(), static_cast<size_t>(kSteps / kSnapshotInterval + 1));
  const auto datasets = read_all_datasets(file("results.h5"));
  const std::vector<std::string> elements = strings_of(datasets.at("/elements"));
  ASSERT_EQ(elements, (std::vector<std::string>{"H", "C", "N", "O", "P", "S"}));
  const double box = read_attributes(file("results.h5"), "/").at("box_size").number;
  for (const ExtxyzFrame& frame : trajectory.frames) {
    SCOPED_TRACE(frame.step);
    const std::string group = snapshot_group(frame.step);
    ASSERT_TRUE(datasets.count(group + "/positions"));
    const auto positions = values_of<float>(datasets.at(group + "/positions"));
    const auto velocities = values_of<float>(datasets.at(group + "/velocities"));
    const auto types = values_of<uint8_t>(datasets.at(group + "/types"));
    const auto molecules = values_of<uint32_t>(datasets.at(group + "/molecule_ids"));
    ASSERT_EQ(frame.species.size(), static_cast<size_t>(kAtoms));
    EXPECT_DOUBLE_EQ(frame.time_ps, read_attributes(file("results.h5"), group).at("time").number * sim::kTimeUnitPs);
    EXPECT_NEAR(frame.lattice[0], box * sim::kLengthUnitAngstrom, 1e-6);
    EXPECT_NEAR(frame.lattice[4], box * sim::kLengthUnitAngstrom, 1e-6);
    for (size_t i = 0; i < frame.species.size(); ++i) {
      EXPECT_EQ(frame.species[i], elements[types[i]]) << i;
      EXPECT_EQ(static_cast<float>(frame.x[i] / sim::kLengthUnitAngstrom), positions[2 * i]) << i;
      EXPECT_EQ(static_cast<float>(frame.y[i] / sim::kLengthUnitAngstrom), positions[2 * i + 1]) << i;
      EXPECT_EQ(static_cast<float>(frame.vx[i] / sim::kVelocityUnitAngstromPerPs), velocities[2 * i]) << i;
      EXPECT_EQ(static_cast<float>(frame.vy[i] / sim::kVelocityUnitAngstromPerPs), velocities[2 * i + 1]) << i;
      EXPECT_EQ(frame.mol_id[i], static_cast<int64_t>(molecules[i])) << i;
    }
  }
}

TEST_F(ArtifactSchemaTest, TheStrictReaderRefusesDeviations) {
  const std::string good = read_file_text(file("trajectory.extxyz"));
  ASSERT_EQ(read_extxyz(good).error, "");
  const size_t comment_end = good.find('\n', good.find('\n') + 1);
  ASSERT_LT(comment_end + 1, good.size());
  std::string broken = good;
  broken[comment_end + 1] = 'X';  // the first atom's element: one the model does not have
  EXPECT_NE(read_extxyz(broken).error, "");
  broken = good;
  broken.replace(good.find("vel:R:3"), 7, "vel:R:2");
  EXPECT_NE(read_extxyz(broken).error, "");
  EXPECT_NE(read_extxyz(good.substr(0, good.size() - 40)).error, "");
}

TEST_F(ArtifactSchemaTest, EveryDatasetStatesItsUnitsAndTheRootTheModelUnits) {
  const auto datasets = read_all_datasets(file("results.h5"));
  for (const auto& [path, dataset] : datasets) {
    const auto attributes = read_attributes(file("results.h5"), path);
    ASSERT_TRUE(attributes.count("units")) << path;
    EXPECT_EQ(attributes.at("units").type_class, H5T_STRING) << path;
  }
  const auto positions = read_attributes(file("results.h5"), snapshot_group(0) + "/positions");
  EXPECT_EQ(positions.at("units").text, "1.263478 angstrom");
  EXPECT_EQ(read_attributes(file("results.h5"), "/metrics/time").at("units").text, "0.08 ps");
  EXPECT_EQ(read_attributes(file("results.h5"), "/metrics/temperature").at("units").text, "K");
  EXPECT_EQ(read_attributes(file("results.h5"), "/metrics/potential_energy").at("units").text, "2.494339 kJ/mol");
  EXPECT_EQ(read_attributes(file("results.h5"), snapshot_group(0) + "/types").at("elements").text, "H C N O P S");
  const auto root = read_attributes(file("results.h5"), "/");
  EXPECT_EQ(root.at("unit_energy").text, "2.494339 kJ/mol");
  EXPECT_EQ(root.at("unit_length").text, "1.263478 angstrom");
  EXPECT_EQ(root.at("unit_time").text, "0.08 ps");
  EXPECT_EQ(root.at("unit_mass").text, "1 amu");
}

// species_counts.csv and /species_counts hold the same rows; the last analysis's rows are the species table's final
// counts.
TEST_F(ArtifactSchemaTest, SpeciesCountsAgreeWithTheirCsvAndTheSpeciesTable) {
  const auto datasets = read_all_datasets(file("results.h5"));
  const auto steps = values_of<int64_t>(datasets.at("/species_counts/step"));
  const auto keys = strings_of(datasets.at("/species_counts/key"));
  const auto counts = values_of<int64_t>(datasets.at("/species_counts/count"));
  ASSERT_FALSE(steps.empty());
  std::ifstream csv(file("species_counts.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "step,time,key,count");
  size_t row = 0;
  for (; std::getline(csv, line); ++row) {
    ASSERT_LT(row, steps.size());
    EXPECT_TRUE(line.starts_with(std::to_string(steps[row]) + ",")) << line;
    EXPECT_TRUE(line.ends_with("," + keys[row] + "," + std::to_string(counts[row]))) << line;
  }
  EXPECT_EQ(row, steps.size());
  std::map<std::string, int64_t> final_counts;
  const boost::json::value molecules = read_json(file("molecules.json"));
  for (const auto& molecule : molecules.as_array()) {
    const int64_t n = molecule.at("final_count").to_number<int64_t>();
    if (n > 0) final_counts[std::string(molecule.at("key").as_string())] = n;
  }
  std::map<std::string, int64_t> last;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i] == kSteps) last[keys[i]] = counts[i];
  }
  EXPECT_EQ(last, final_counts);
}

TEST_F(ArtifactSchemaTest, ReactionNetworkListsEveryReactionWithARateInterval) {
  const boost::json::object network = read_json(file("reaction_network.json")).as_object();
  const boost::json::array reactions = read_json(file("reactions.json")).as_array();
  ASSERT_EQ(network.at("reactions").as_array().size(), reactions.size());
  EXPECT_DOUBLE_EQ(network.at("duration_ps").to_number<double>(), kSteps * 0.01 * sim::kTimeUnitPs);  // dt 0.8 fs
  std::set<std::string> species;
  for (const auto& node : network.at("species").as_array()) species.insert(std::string(node.at("key").as_string()));
  for (const auto& value : network.at("reactions").as_array()) {
    const boost::json::object& r = value.as_object();
    const double rate = r.at("rate_per_ps").to_number<double>();
    const boost::json::array& interval = r.at("rate_ci95_per_ps").as_array();
    EXPECT_LE(interval[0].to_number<double>(), rate);
    EXPECT_GT(interval[1].to_number<double>(), rate);
    EXPECT_DOUBLE_EQ(rate, r.at("count").to_number<double>() / network.at("duration_ps").to_number<double>());
    for (const char* side : {"reactants", "products"}) {
      for (const auto& key : r.at(side).as_array()) EXPECT_TRUE(species.contains(std::string(key.as_string())));
    }
  }
  const std::string graphml = read_file_text(file("reaction_network.graphml"));
  size_t reaction_nodes = 0;
  for (size_t at = graphml.find("<data key=\"kind\">reaction</data>"); at != std::string::npos;
       at = graphml.find("<data key=\"kind\">reaction</data>", at + 1)) {
    ++reaction_nodes;
  }
  EXPECT_EQ(reaction_nodes, reactions.size());
}

TEST_F(ArtifactSchemaTest, GraphmlIsWellFormedXml) {
  const std::filesystem::path scratch = scratch_->path() / "graphml";
  const std::string script = R"(
import sys, xml.etree.ElementTree as ET
g = ET.parse(sys.argv[1]).getroot()
ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
nodes = {n.get("id") for n in g.iterfind(".//g:node", ns)}
edges = list(g.iterfind(".//g:edge", ns))
assert edges and all(e.get("source") in nodes and e.get("target") in nodes for e in edges)
print("ok")
)";
  const CompletedProcess run =
      run_process({"/usr/bin/env", "python3", "-c", script, file("reaction_network.graphml").string()}, {}, scratch);
  if (run.exit_code == 127) GTEST_SKIP() << "python3 is not installed";
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.stdout_text, "ok\n");
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
  for (const char* field : {"model_version", "parameters", "seed", "runtime_seconds", "particle_steps_per_second", "final_metrics",
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

// Shortest decimal doubles (json_text.h): the default temperature 300 and dt_fs 0.8 as written, no `3E2`.
TEST_F(ArtifactSchemaTest, JsonFilesWriteNumbersTheUsualWay) {
  const std::string summary = read_file_text(file("summary.json"));
  EXPECT_NE(summary.find(R"("temperature":300,)"), std::string::npos) << summary;
  EXPECT_NE(summary.find(R"("dt_fs":0.8,)"), std::string::npos) << summary;
  for (const char* name : {"summary.json", "molecules.json", "reactions.json", "progress.json", "metadata.json"}) {
    // A digit then E (3E2), not an E in a name such as README.txt.
    EXPECT_FALSE(std::regex_search(read_file_text(file(name)), std::regex("[0-9]E[-+]?[0-9]")))
        << name << " has a Boost-style exponent";
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
