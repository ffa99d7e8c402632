// `live2 serve` with LIVE2_EXECUTOR=slurm against the real one-node cluster of slurm_fixture.sh, through the REST
// API, with the real live2-sim as the batch job: jobs to completion with their artifacts (signed local links), cancels
// while pending and while running, a server SIGKILLed and restarted mid-run (the job is adopted, never run twice),
// `scontrol requeue` of a running job, which resumes from its checkpoint, and a dataset as job arrays (split at the
// fixture's MaxArraySize of 3) with its combine job. Skipped with the fixture's reason where the cluster cannot run.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "slurm_cluster.h"
#include "support/http_client.h"
#include "support/job_polling.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kShortJob =
    R"({"job_type": "run_simulation", "params": {"simulation_config": {"mode": "open_chemistry",
        "config": {"num_particles": 300, "steps": 2000}}}})";
// Long enough (about 10 s on one thread) that it is still running when the test acts on it.
constexpr const char* kLongJob =
    R"({"job_type": "run_simulation", "params": {"simulation_config": {"mode": "open_chemistry",
        "config": {"num_particles": 300, "steps": 30000}}}})";

// A 2 x 2 dataset of short runs (about a second each).
constexpr const char* kSmallDataset =
    R"({"job_type": "generate_dataset", "params": {"simulation_config": {"mode": "open_chemistry",
        "config": {"num_particles": 200, "steps": 1000}}, "sweep": {"temperature": [300, 450]}, "replicas": 2}})";

class ServeSlurmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = testing::slurm_cluster();
    if (!cluster_.unavailable_reason.empty()) GTEST_SKIP() << cluster_.unavailable_reason;
  }

  // One CPU per job, so the 2-CPU node runs two at once; `cpus_per_task` 2 makes every job fill the node, 0 sizes each
  // job by its tier.
  testing::ServerOptions options(int cpus_per_task = 1) {
    testing::ServerOptions options;
    options.env = {{"SLURM_CONF", cluster_.slurm_conf},
                   {"LIVE2_EXECUTOR", "slurm"},
                   {"LIVE2_SLURM_SHARED_DIR", shared_.path().string()},
                   {"LIVE2_SLURM_PARTITION", "debug"},
                   {"LIVE2_SLURM_CPUS_PER_TASK", std::to_string(cpus_per_task)},
                   {"LIVE2_SLURM_POLL_INTERVAL_MS", "300"},
                   {"LIVE2_CANCEL_GRACE_MS", "3000"},
                   {"LIVE2_SHUTDOWN_GRACE_MS", "2000"}};
    options.data_dir = data_.path();
    return options;
  }

  std::string submit(testing::ServerProcess& server, const std::string& key, const char* body) {
    const auto created = testing::http_post_json(server.url("/api/v1/jobs"), body, testing::bearer(key));
    EXPECT_EQ(created.status, 202) << created.body;
    return created.status == 202 ? std::string(json::parse(created.body).at("job_id").as_string()) : "";
  }

  json::object wait_for(testing::ServerProcess& server, const std::string& key, const std::string& job_id,
                        const std::function<bool(const json::object&)>& condition, std::chrono::seconds timeout = 60s) {
    return testing::wait_for_job(server, key, job_id, condition, timeout, 100ms);
  }

  static bool has_status(const json::object& job, std::string_view status) {
    return job.contains("status") && job.at("status").as_string() == status;
  }
  static bool progressed(const json::object& job) {
    return has_status(job, "running") && job.at("progress").to_number<double>() >= 3;
  }

  fs::path job_directory(const std::string& job_id) const { return shared_.path() / "prod" / "user_1" / job_id; }

  // Slurm's output files in the job's directory: one per Slurm job ever submitted for it.
  int slurm_jobs_submitted_for(const std::string& job_id) const {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(job_directory(job_id))) {
      count += entry.path().filename().string().starts_with(".slurm-") ? 1 : 0;
    }
    return count;
  }

  testing::SlurmCluster cluster_;
  testing::TempDir data_{"live2-slurm-data"};
  testing::TempDir shared_{"live2-slurm-shared"};
};

TEST_F(ServeSlurmTest, RunsJobsToCompletionWithTheirArtifactsBehindSignedLinks) {
  testing::ServerProcess server(options());
  server.start();
  const std::string key = server.create_key("user_1");
  const std::string first = submit(server, key, kShortJob);
  const std::string second = submit(server, key, kShortJob);
  for (const std::string& id : {first, second}) {
    const json::object done = wait_for(server, key, id, [](const json::object& job) {
      return has_status(job, "completed") || has_status(job, "failed");
    });
    ASSERT_TRUE(has_status(done, "completed")) << json::serialize(done) << server.log_text();
    const json::object& executor = done.at("executor").as_object();
    EXPECT_EQ(executor.at("kind").as_string(), "slurm");
    EXPECT_FALSE(executor.at("slurm_job_id").as_string().empty());
    EXPECT_EQ(executor.at("slurm_state").as_string(), "COMPLETED");
    EXPECT_EQ(executor.at("exit_code").as_int64(), 0);
    EXPECT_EQ(done.at("progress").to_number<double>(), 100);
  }
  const auto listing = testing::http_get(server.url("/api/v1/jobs/" + first + "/artifacts"), testing::bearer(key));
  ASSERT_EQ(listing.status, 200) << listing.body;
  std::map<std::string, std::string> urls;
  const json::value listed = json::parse(listing.body);
  for (const json::value& artifact : listed.at("artifacts").as_array()) {
    urls[std::string(artifact.at("name").as_string())] = std::string(artifact.at("url").as_string());
  }
  EXPECT_TRUE(urls.contains("metadata.json"));
  EXPECT_TRUE(urls.contains("results.h5"));
  for (const auto& [name, url] : urls) EXPECT_FALSE(name.starts_with(".")) << name;  // script, Slurm output
  const auto downloaded = testing::http_get(urls.at("summary.json"));
  EXPECT_EQ(downloaded.status, 200);
  EXPECT_NE(downloaded.body.find("\"seed\""), std::string::npos);
  const auto log = testing::http_get(server.url("/api/v1/jobs/" + first + "/logs"), testing::bearer(key));
  EXPECT_EQ(log.status, 200);
}

TEST_F(ServeSlurmTest, CancelsAJobWhilePendingAndAnotherWhileRunning) {
  testing::ServerProcess server(options(2));  // each job takes the whole node: the second one waits
  server.start();
  const std::string key = server.create_key("user_1");
  const std::string running = submit(server, key, kLongJob);
  ASSERT_TRUE(progressed(wait_for(server, key, running, progressed))) << server.log_text();
  const std::string pending = submit(server, key, kLongJob);
  const json::object waiting = wait_for(server, key, pending, [](const json::object& job) {
    // Until the job is handed to Slurm it has no executor fields to read.
    const json::value* executor = job.if_contains("executor");
    const json::value* state =
        executor && executor->is_object() ? executor->as_object().if_contains("slurm_state") : nullptr;
    return state && state->is_string() && state->as_string() == "PENDING";
  });
  ASSERT_EQ(waiting.at("executor").at("slurm_state").as_string(), "PENDING") << json::serialize(waiting);

  for (const std::string& id : {pending, running}) {
    EXPECT_EQ(testing::http_post_json(server.url("/api/v1/jobs/" + id + "/cancel"), "", testing::bearer(key)).status, 200);
  }
  for (const std::string& id : {pending, running}) {
    const json::object cancelled = wait_for(server, key, id, [](const json::object& job) {
      return has_status(job, "cancelled") || has_status(job, "failed") || has_status(job, "completed");
    }, 30s);
    EXPECT_TRUE(has_status(cancelled, "cancelled")) << json::serialize(cancelled) << server.log_text();
  }
  // The running worker got SIGTERM and stopped on its own (a checkpoint, exit 75), within the grace.
  EXPECT_NE(testing::read_whole_file(job_directory(running) / "simulation.log").find("SIGTERM"), std::string::npos);
}

TEST_F(ServeSlurmTest, SizesAJobByItsTierAndTheWorkerRunsOneThreadPerCpu) {
  testing::ServerOptions sized = options(0);
  sized.env["LIVE2_TIER_RESEARCH_PARTICLE_STEPS_PER_JOB"] = "1000000000000";
  testing::ServerProcess server(sized);
  server.start();
  const std::string key = server.create_key("user_1");  // research: at most 4 CPUs, 16 GiB
  // 4,000 particles for 10^8 steps: hours on one CPU, and two pay off (one per 2,000 particles): 2 CPUs, and
  // 512 MiB + 4,000 KiB = 516 MiB.
  const std::string big = submit(server, key, R"({"job_type": "run_simulation", "params": {"simulation_config":
      {"mode": "open_chemistry", "config": {"num_particles": 4000, "steps": 100000000}}}})");
  ASSERT_FALSE(big.empty());
  const json::object running = wait_for(server, key, big, [](const json::object& job) {
    return has_status(job, "running");
  });
  ASSERT_TRUE(has_status(running, "running")) << json::serialize(running) << server.log_text();
  EXPECT_EQ(running.at("executor").at("vcpus").to_number<double>(), 2);
  EXPECT_EQ(running.at("executor").at("memory_mib").as_int64(), 516);
  const std::string slurm_job_id(running.at("executor").at("slurm_job_id").as_string());
  const testing::CommandOutput shown = testing::run_command({"/usr/bin/scontrol", "show", "job", slurm_job_id},
                                                            {{"SLURM_CONF", cluster_.slurm_conf}});
  EXPECT_NE(shown.stdout_text.find("NumCPUs=2 "), std::string::npos) << shown.stdout_text;
  EXPECT_NE(shown.stdout_text.find("MinMemoryNode=516M"), std::string::npos) << shown.stdout_text;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (testing::read_whole_file(job_directory(big) / "simulation.log").find(" on 2 threads") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(testing::read_whole_file(job_directory(big) / "simulation.log").find(" on 2 threads"), std::string::npos);
  EXPECT_EQ(testing::http_post_json(server.url("/api/v1/jobs/" + big + "/cancel"), "", testing::bearer(key)).status, 200);
  EXPECT_TRUE(has_status(wait_for(server, key, big, [](const json::object& job) {
    return has_status(job, "cancelled");
  }, 30s), "cancelled"));
  // A small run is worth one CPU.
  const std::string small = submit(server, key, kShortJob);
  const json::object done = wait_for(server, key, small, [](const json::object& job) {
    return has_status(job, "completed") || has_status(job, "failed");
  });
  ASSERT_TRUE(has_status(done, "completed")) << json::serialize(done) << server.log_text();
  EXPECT_EQ(done.at("executor").at("vcpus").to_number<double>(), 1);
  const json::value summary = json::parse(testing::read_whole_file(job_directory(small) / "summary.json"));
  EXPECT_EQ(summary.at("threads").as_int64(), 1);
}

TEST_F(ServeSlurmTest, AServerKilledMidRunAdoptsItsJobAfterRestartAndNeverRunsItTwice) {
  testing::ServerProcess server(options());
  server.start();
  const std::string key = server.create_key("user_1");
  const std::string id = submit(server, key, kLongJob);
  ASSERT_TRUE(progressed(wait_for(server, key, id, progressed))) << server.log_text();
  ASSERT_EQ(::kill(server.pid(), SIGKILL), 0);
  server.stop();  // reaps it
  // The Slurm job runs on without its server.
  std::this_thread::sleep_for(1s);
  server.start();
  const json::object done = wait_for(server, key, id, [](const json::object& job) {
    return has_status(job, "completed") || has_status(job, "failed");
  }, 120s);
  ASSERT_TRUE(has_status(done, "completed")) << json::serialize(done) << server.log_text();
  EXPECT_EQ(done.at("executor").at("attempts").as_int64(), 1);
  EXPECT_EQ(slurm_jobs_submitted_for(id), 1);
  EXPECT_EQ(testing::read_whole_file(job_directory(id) / "simulation.log").find("resuming from the checkpoint"),
            std::string::npos);
}

TEST_F(ServeSlurmTest, ARequeuedJobResumesFromItsCheckpoint) {
  testing::ServerProcess server(options());
  server.start();
  const std::string key = server.create_key("user_1");
  const std::string id = submit(server, key, kLongJob);
  const json::object running = wait_for(server, key, id, progressed);
  ASSERT_TRUE(progressed(running)) << server.log_text();
  const std::string slurm_job_id(running.at("executor").at("slurm_job_id").as_string());
  const testing::CommandOutput requeued =
      testing::run_command({"/usr/bin/scontrol", "requeue", slurm_job_id}, {{"SLURM_CONF", cluster_.slurm_conf}});
  ASSERT_EQ(requeued.exit_code, 0) << requeued.stderr_text;
  const json::object done = wait_for(server, key, id, [](const json::object& job) {
    return has_status(job, "completed") || has_status(job, "failed");
  }, 120s);
  ASSERT_TRUE(has_status(done, "completed")) << json::serialize(done) << server.log_text();
  EXPECT_EQ(done.at("executor").at("attempts").as_int64(), 2);
  EXPECT_EQ(done.at("executor").at("slurm_job_id").as_string(), slurm_job_id);  // the same Slurm job, run again
  EXPECT_NE(testing::read_whole_file(job_directory(id) / "simulation.log").find("resuming from the checkpoint"),
            std::string::npos);
}

TEST_F(ServeSlurmTest, RunsADatasetAsJobArraysSplitAtMaxArraySizeAndCombinesItsRuns) {
  testing::ServerProcess server(options());
  server.start();
  const std::string key = server.create_key("user_1");
  const std::string id = submit(server, key, kSmallDataset);
  const json::object done = wait_for(server, key, id, [](const json::object& job) {
    return has_status(job, "completed") || has_status(job, "failed") || has_status(job, "cancelled");
  });
  ASSERT_TRUE(has_status(done, "completed")) << json::serialize(done) << server.log_text();
  EXPECT_EQ(done.at("runs").at("completed").as_int64(), 4) << json::serialize(done);
  EXPECT_EQ(done.at("executor").at("kind").as_string(), "slurm");
  // The fixture's MaxArraySize is 3: two arrays, runs 0-2 and run 3, each task's output file once.
  const std::string arrays(done.at("executor").at("slurm_job_id").as_string());
  ASSERT_NE(arrays.find(','), std::string::npos) << arrays;
  const std::string first = arrays.substr(0, arrays.find(','));
  const std::string second = arrays.substr(arrays.find(',') + 1);
  std::set<std::string> outputs;
  for (const auto& entry : fs::directory_iterator(job_directory(id))) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".slurm-") && name.find('_') != std::string::npos) outputs.insert(name);
  }
  EXPECT_EQ(outputs, (std::set<std::string>{".slurm-" + first + "_0.out", ".slurm-" + first + "_1.out",
                                            ".slurm-" + first + "_2.out", ".slurm-" + second + "_0.out"}));
  // Task 0 of the second array ran run 3 (RUN_INDEX = task + offset): its metadata names the run.
  EXPECT_NE(testing::read_whole_file(job_directory(id) / "runs" / "3" / "metadata.json").find(id + ":3"),
            std::string::npos);
  const auto runs = testing::http_get(server.url("/api/v1/jobs/" + id + "/runs"), testing::bearer(key));
  ASSERT_EQ(runs.status, 200) << runs.body;
  const json::value listed = json::parse(runs.body);
  for (const json::value& run : listed.at("runs").as_array()) {
    const int64_t index = run.at("index").as_int64();
    EXPECT_EQ(run.at("status").as_string(), "completed") << runs.body;
    EXPECT_TRUE(fs::exists(job_directory(id) / "runs" / std::to_string(index) / "metadata.json")) << index;
  }
  // The combine job wrote the dataset's files; its metadata.json last.
  for (const char* name : {"dataset.csv", "dataset_summary.json", "dataset_runs.json", "metadata.json"}) {
    EXPECT_TRUE(fs::exists(job_directory(id) / name)) << name << server.log_text();
  }
  EXPECT_NE(testing::read_whole_file(job_directory(id) / "dataset_runs.json").find("\"completed\""), std::string::npos);
}

TEST_F(ServeSlurmTest, DoctorChecksTheClusterAndSaysWhatDoesNotFit) {
  const auto doctor = [&](const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> env = options().env;
    env["LIVE2_DATA_DIR"] = data_.path().string();
    for (const auto& [name, value] : extra) env[name] = value;
    return testing::run_command({(testing::binary_dir() / "live2").string(), "doctor", "--format", "json"}, env);
  };
  // Memory fixed below the fixture node's RealMemory (2,048 MiB): the tiers' default ceilings are larger.
  const testing::CommandOutput fine = doctor({{"LIVE2_SLURM_MEMORY_MIB", "1024"}});
  EXPECT_EQ(fine.exit_code, 0) << fine.stdout_text << fine.stderr_text;
  const json::value report = json::parse(fine.stdout_text);
  std::map<std::string, std::string> statuses;
  for (const json::value& check : report.at("checks").as_array()) {
    statuses[std::string(check.at("id").as_string())] = std::string(check.at("status").as_string());
  }
  for (const char* id :
       {"slurm.commands", "slurm.partition", "slurm.time_limit", "slurm.cpus", "slurm.memory", "slurm.shared_directory"}) {
    EXPECT_EQ(statuses[id], "pass") << id << "\n" << fine.stdout_text;
  }
  // The fixture's partition allows 60 minutes and its node has 2 CPUs.
  const testing::CommandOutput too_big =
      doctor({{"LIVE2_SLURM_TIME_LIMIT_MINUTES", "120"}, {"LIVE2_SLURM_CPUS_PER_TASK", "4"},
              {"LIVE2_SLURM_MEMORY_MIB", "4096"}});
  EXPECT_EQ(too_big.exit_code, 1) << too_big.stdout_text;
  EXPECT_NE(too_big.stdout_text.find("lower LIVE2_SLURM_TIME_LIMIT_MINUTES to at most 60"), std::string::npos)
      << too_big.stdout_text;
  EXPECT_NE(too_big.stdout_text.find("lower LIVE2_SLURM_CPUS_PER_TASK to at most 2"), std::string::npos)
      << too_big.stdout_text;
  EXPECT_NE(too_big.stdout_text.find("lower LIVE2_SLURM_MEMORY_MIB to at most 2048"), std::string::npos)
      << too_big.stdout_text;
  // Sized by tier, the largest a tier allows must fit: pro's default 8 and enterprise's 16 do not.
  const testing::CommandOutput by_tier = doctor({{"LIVE2_SLURM_CPUS_PER_TASK", "0"}});
  EXPECT_EQ(by_tier.exit_code, 1) << by_tier.stdout_text;
  EXPECT_NE(by_tier.stdout_text.find("lower LIVE2_TIER_PRO_MAX_VCPUS to at most 2"), std::string::npos)
      << by_tier.stdout_text;
  EXPECT_NE(by_tier.stdout_text.find("lower LIVE2_TIER_ENTERPRISE_MAX_VCPUS to at most 2"), std::string::npos);
  EXPECT_EQ(by_tier.stdout_text.find("LIVE2_TIER_HOBBY_MAX_VCPUS"), std::string::npos);  // hobby's 2 fit
  const testing::CommandOutput by_small_tiers =
      doctor({{"LIVE2_SLURM_CPUS_PER_TASK", "0"}, {"LIVE2_TIER_RESEARCH_MAX_VCPUS", "2"},
              {"LIVE2_TIER_PRO_MAX_VCPUS", "2"}, {"LIVE2_TIER_ENTERPRISE_MAX_VCPUS", "1"},
              {"LIVE2_SLURM_MEMORY_MIB", "2048"}});
  EXPECT_EQ(by_small_tiers.exit_code, 0) << by_small_tiers.stdout_text;
  const testing::CommandOutput no_partition = doctor({{"LIVE2_SLURM_PARTITION", "nosuch"}});
  EXPECT_EQ(no_partition.exit_code, 1);
  EXPECT_NE(no_partition.stdout_text.find("Partition nosuch not found"), std::string::npos) << no_partition.stdout_text;
}

}  // namespace
}  // namespace live2
