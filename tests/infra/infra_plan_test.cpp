#include "infra/infra_plan.h"

#include <gtest/gtest.h>

#include "fake_account.h"

namespace live2::infra {
namespace {

DeploymentConfig test_config() {
  DeploymentConfig config;
  config.subnets = {"subnet-a", "subnet-b"};
  config.security_groups = {"sg-1"};
  return config;
}

std::vector<std::string> resources(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& change : plan.changes) out.push_back(std::string(to_string(change.kind)) + " " + change.name);
  return out;
}

TEST(InfraPlan, CleanAccountPlansEveryResourceAndChangesNothing) {
  testing::FakeAccount account;
  Infrastructure infra(account, test_config());
  auto plan = infra.plan();
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(resources(*plan), (std::vector<std::string>{
                                  "create live2-artifacts", "create live2-simulation", "create Live2JobRole",
                                  "create Live2ExecutionRole", "create Live2OrchestratorPolicy",
                                  "create Live2DoctorPolicy", "create live2-compute-env", "create live2-job-queue", "create live2-simulation",
                                  "create /aws/batch/job"}));
  EXPECT_TRUE(account.writes.empty());
  EXPECT_NE(render_plan(*plan, false).find("10 changes to apply"), std::string::npos);
  EXPECT_NE(render_plan(*plan, false).find("+ create log group /aws/batch/job\n    create (every job's log stream), "
                                           "keep events 90 days"),
            std::string::npos);
}

// A job definition naming a tag lets a retried attempt pull a newer image than the one that wrote its checkpoint.
TEST(InfraPlan, ApplyPinsTheJobDefinitionToTheDigestOfThePushedTag) {
  testing::FakeAccount account;
  Infrastructure infra(account, test_config());
  ASSERT_TRUE(infra.apply(nullptr).ok());
  RepositoryState& repository = account.repositories.at("live2-simulation");
  EXPECT_EQ(account.job_definitions.back().image, repository.uri + ":latest") << "nothing pushed yet: the tag";

  repository.image_tags = {"latest"};
  repository.image_digests = {{"latest", "sha256:1111"}};
  const std::string plan = render_plan(infra.plan().value(), false);
  EXPECT_NE(plan.find("image " + repository.uri + ":latest -> " + repository.uri + "@sha256:1111"), std::string::npos)
      << plan;
  ASSERT_TRUE(infra.apply(nullptr).ok());
  EXPECT_EQ(account.job_definitions.back().image, repository.uri + "@sha256:1111");
  EXPECT_TRUE(infra.plan().value().empty()) << "pinned and unchanged";

  repository.image_digests = {{"latest", "sha256:2222"}};  // a new push of the tag
  ASSERT_TRUE(infra.apply(nullptr).ok());
  EXPECT_EQ(account.job_definitions.back().image, repository.uri + "@sha256:2222");
  EXPECT_EQ(pin_image_digest("docker.io/someone/worker:1.0", repository), "docker.io/someone/worker:1.0");
}

// The queue cancels jobs stuck RUNNABLE; --on-demand-fallback puts a FARGATE environment behind the FARGATE_SPOT one.
TEST(InfraPlan, OnDemandFallbackAndTheRunnableLimitAreOnTheQueue) {
  testing::FakeAccount account;
  DeploymentConfig config = test_config();
  ASSERT_TRUE(Infrastructure(account, config).apply(nullptr).ok());
  const JobQueueState& queue = account.job_queues.at("live2-job-queue");
  EXPECT_EQ(queue.compute_environments.size(), 1u);
  EXPECT_EQ(queue.time_limit_actions,
            (std::vector<JobStateTimeLimitAction>{{"CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", 3600},
                                                  {"MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE", 3600},
                                                  {"MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", 3600}}));

  config.on_demand_fallback = true;
  config.runnable_limit_s = 1800;
  Infrastructure fallback(account, config);
  const std::string plan = render_plan(fallback.plan().value(), false);
  EXPECT_NE(plan.find("+ create compute environment live2-compute-env-on-demand\n    MANAGED FARGATE, minvCpus 0"),
            std::string::npos) << plan;
  EXPECT_NE(plan.find("-> live2-compute-env, live2-compute-env-on-demand"), std::string::npos) << plan;
  EXPECT_NE(plan.find("CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY 3600 s"), std::string::npos) << plan;
  EXPECT_NE(plan.find("-> CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY 1800 s"), std::string::npos) << plan;
  ASSERT_TRUE(fallback.apply(nullptr).ok());
  const ComputeEnvironmentState& on_demand = account.compute_environments.at("live2-compute-env-on-demand");
  EXPECT_EQ(on_demand.resource_type, "FARGATE");
  EXPECT_EQ(queue.compute_environments,
            (std::vector<std::string>{account.compute_environments.at("live2-compute-env").arn, on_demand.arn}));
  EXPECT_EQ(queue.time_limit_actions.front().max_time_seconds, 1800);
  EXPECT_TRUE(fallback.plan().value().empty()) << "a second apply changes nothing";

  ASSERT_TRUE(fallback.destroy(nullptr).ok());
  EXPECT_TRUE(account.compute_environments.empty());
}

TEST(InfraPlan, ApplyBuildsTheDeploymentAndASecondApplyChangesNothing) {
  testing::FakeAccount account;
  Infrastructure infra(account, test_config());
  std::vector<std::string> applied;
  auto first = infra.apply([&](const PlannedChange& change) { applied.push_back(change.name); });
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(applied.size(), 10u);
  EXPECT_EQ(account.log_groups.at("/aws/batch/job").retention_days, 90);

  const auto& environment = account.compute_environments.at("live2-compute-env");
  EXPECT_EQ(environment.resource_type, "FARGATE_SPOT");
  EXPECT_EQ(environment.min_vcpus, 0);
  EXPECT_EQ(environment.max_vcpus, 32);
  EXPECT_EQ(environment.service_role, account.service_linked_role_arn);
  EXPECT_EQ(account.job_queues.at("live2-job-queue").compute_environments.front(), environment.arn);
  const auto& bucket = account.buckets.at("live2-artifacts");
  EXPECT_TRUE(bucket.public_access_blocked);
  EXPECT_TRUE(bucket.encrypted);
  EXPECT_EQ(bucket.expiration_days, 90);
  ASSERT_EQ(account.job_definitions.size(), 1u);
  const auto& definition = account.job_definitions.front();
  EXPECT_EQ(definition.job_role_arn, account.roles.at("Live2JobRole").arn);
  EXPECT_EQ(definition.vcpus, 8);
  EXPECT_EQ(definition.memory_mib, 16384);
  ASSERT_EQ(definition.retry_conditions.size(), 4u);
  EXPECT_EQ(definition.retry_conditions[0].on_status_reason, "Your Spot Task was interrupted*");
  EXPECT_EQ(definition.retry_conditions[1].on_status_reason, "Host EC2*");
  EXPECT_EQ(definition.retry_conditions[2].on_exit_code, "75");
  EXPECT_EQ(definition.retry_conditions[3].action, "EXIT");
  EXPECT_EQ(definition.environment.at("S3_BUCKET"), "live2-artifacts");

  const size_t writes_after_first = account.writes.size();
  auto second = infra.apply(nullptr);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->empty()) << render_plan(*second, false);
  EXPECT_EQ(account.writes.size(), writes_after_first);
  EXPECT_EQ(render_plan(*infra.plan(), false), "No changes. The deployment matches the settings.\n");
}

class DriftTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Infrastructure(account, test_config()).apply(nullptr).ok()); }
  Plan plan() {
    auto result = Infrastructure(account, test_config()).plan();
    EXPECT_TRUE(result.ok());
    return *result;
  }
  testing::FakeAccount account;
};

TEST_F(DriftTest, DisabledQueueIsEnabledAgain) {
  account.job_queues.at("live2-job-queue").state = "DISABLED";
  Plan drift = plan();
  ASSERT_EQ(drift.changes.size(), 1u);
  EXPECT_EQ(drift.changes[0].name, "live2-job-queue");
  EXPECT_EQ(drift.changes[0].reasons.front(), "state DISABLED -> ENABLED");
  ASSERT_TRUE(Infrastructure(account, test_config()).apply(nullptr).ok());
  EXPECT_EQ(account.job_queues.at("live2-job-queue").state, "ENABLED");
  EXPECT_TRUE(plan().empty());
}

TEST_F(DriftTest, ComputeEnvironmentThatDoesNotScaleToZero) {
  account.compute_environments.at("live2-compute-env").min_vcpus = 8;
  Plan drift = plan();
  ASSERT_EQ(drift.changes.size(), 1u);
  EXPECT_EQ(drift.changes[0].reasons.front(), "minvCpus 8 -> 0 (scale to zero)");
  ASSERT_TRUE(Infrastructure(account, test_config()).apply(nullptr).ok());
  EXPECT_EQ(account.compute_environments.at("live2-compute-env").min_vcpus, 0);
}

TEST_F(DriftTest, JobDefinitionOnEc2GetsANewFargateRevision) {
  account.job_definitions.back().platform_capabilities = {"EC2"};
  Plan drift = plan();
  ASSERT_EQ(drift.changes.size(), 1u);
  EXPECT_EQ(drift.changes[0].resource, "job definition");
  EXPECT_EQ(drift.changes[0].reasons.at(1), "platform EC2 -> FARGATE");
  ASSERT_TRUE(Infrastructure(account, test_config()).apply(nullptr).ok());
  EXPECT_EQ(account.job_definitions.back().revision, 2);
  EXPECT_TRUE(plan().empty());
}

TEST_F(DriftTest, Ec2ComputeEnvironmentMustBeReplacedAndApplySaysHow) {
  account.compute_environments.at("live2-compute-env").resource_type = "EC2";
  Plan drift = plan();
  ASSERT_EQ(drift.changes.size(), 1u);
  EXPECT_EQ(drift.changes[0].kind, ChangeKind::replace);
  auto applied = Infrastructure(account, test_config()).apply(nullptr);
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.error().message.find("live2 infra destroy"), std::string::npos);
}

TEST_F(DriftTest, EditedPolicyIsRestored) {
  account.roles.at("Live2JobRole").inline_policies.begin()->second = R"({"Version":"2012-10-17","Statement":[]})";
  Plan drift = plan();
  ASSERT_EQ(drift.changes.size(), 1u);
  EXPECT_EQ(drift.changes[0].name, "Live2JobRole");
}

// The jobs' log group keeps events as long as configured; a group Batch (or someone) made without a retention, or
// with another one, is set; a second apply writes nothing; destroy leaves the group (other Batch jobs share it).
TEST_F(DriftTest, LogGroupRetentionIsSetOnceAndDestroyLeavesTheGroup) {
  account.log_groups.at("/aws/batch/job").retention_days = std::nullopt;
  Plan drift = plan();
  ASSERT_EQ(drift.changes.size(), 1u);
  EXPECT_EQ(drift.changes[0].resource, "log group");
  EXPECT_EQ(drift.changes[0].reasons, (std::vector<std::string>{"keep events forever -> 90 days"}));

  DeploymentConfig config = test_config();
  config.log_retention_days = 365;
  Infrastructure infra(account, config);
  const size_t writes_before = account.writes.size();
  ASSERT_TRUE(infra.apply(nullptr).ok());
  EXPECT_EQ(std::vector<std::string>(account.writes.begin() + writes_before, account.writes.end()),
            (std::vector<std::string>{"PutRetentionPolicy /aws/batch/job 365"}));
  EXPECT_EQ(account.log_groups.at("/aws/batch/job").retention_days, 365);
  EXPECT_TRUE(infra.plan().value().empty());
  ASSERT_TRUE(infra.apply(nullptr).ok());
  EXPECT_EQ(account.writes.size(), writes_before + 1) << "a second apply writes nothing";

  auto planned = infra.plan_destroy();
  ASSERT_TRUE(planned.ok());
  for (const auto& change : planned->changes) EXPECT_NE(change.resource, "log group");
  ASSERT_TRUE(infra.destroy(nullptr).ok());
  EXPECT_EQ(account.log_groups.at("/aws/batch/job").retention_days, 365);
}

TEST_F(DriftTest, DestroyRemovesEverythingInDependencyOrder) {
  Infrastructure infra(account, test_config());
  auto planned = infra.plan_destroy();
  ASSERT_TRUE(planned.ok());
  EXPECT_EQ(planned->changes.size(), 9u);
  EXPECT_EQ(planned->changes.front().name, "live2-job-queue");
  auto destroyed = infra.destroy(nullptr);
  ASSERT_TRUE(destroyed.ok()) << destroyed.error().message;
  EXPECT_TRUE(account.job_queues.empty());
  EXPECT_TRUE(account.compute_environments.empty());
  EXPECT_TRUE(account.buckets.empty());
  EXPECT_TRUE(account.roles.empty());
  EXPECT_TRUE(infra.plan_destroy()->empty());
}

TEST(DeploymentConfig, ReadsSettingsAndChecksTheFargatePair) {
  auto config = deployment_config_from({{"LIVE2_INFRA_PREFIX", "lab"}, {"LIVE2_INFRA_SUBNETS", "subnet-1,subnet-2"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->job_queue_name(), "lab-job-queue");
  EXPECT_EQ(config->job_role_name(), "LabJobRole");
  EXPECT_EQ(config->bucket_name(), "lab-artifacts");
  EXPECT_EQ(config->subnets, (std::vector<std::string>{"subnet-1", "subnet-2"}));
  EXPECT_FALSE(deployment_config_from({{"LIVE2_INFRA_JOB_MEMORY_MIB", "1000"}}).ok());
  EXPECT_FALSE(deployment_config_from({{"LIVE2_INFRA_MAX_VCPUS", "4"}}).ok());
  EXPECT_TRUE(is_valid_fargate_pair(8, 16384));
  EXPECT_FALSE(is_valid_fargate_pair(8, 8192));
  EXPECT_TRUE(is_valid_fargate_pair(0.25, 512));
}

TEST(DeploymentConfig, LogRetentionIsOneOfCloudWatchsValues) {
  EXPECT_EQ(deployment_config_from({}).value().log_retention_days, 90);
  EXPECT_EQ(deployment_config_from({{"LIVE2_INFRA_LOG_RETENTION_DAYS", "1096"}}).value().log_retention_days, 1096);
  for (const char* bad : {"45", "0", "3654", "ninety", "-7"}) {
    auto config = deployment_config_from({{"LIVE2_INFRA_LOG_RETENTION_DAYS", bad}});
    ASSERT_FALSE(config.ok()) << bad;
    ASSERT_EQ(config.error().details.size(), 1u) << bad;
    EXPECT_EQ(config.error().details[0].field, "LIVE2_INFRA_LOG_RETENTION_DAYS");
  }
  auto refused = deployment_config_from({{"LIVE2_INFRA_LOG_RETENTION_DAYS", "45"}});
  EXPECT_NE(refused.error().details[0].message.find("45 is not a retention CloudWatch Logs allows; use one of 1, 3, "
                                                    "5, 7, 14, 30, 60, 90, 120"),
            std::string::npos)
      << refused.error().details[0].message;
}

}  // namespace
}  // namespace live2::infra
