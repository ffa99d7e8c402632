#include "infra/doctor.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <boost/json.hpp>

#include "fake_account.h"
#include "infra/infra_plan.h"

namespace live2::infra {
namespace {

DoctorInputs configured_inputs() {
  DoctorInputs inputs;
  inputs.region = "eu-central-1";
  inputs.job_queue = "live2-job-queue";
  inputs.job_definition = "live2-simulation";
  inputs.bucket = "live2-artifacts";
  inputs.executor = "aws_batch";
  inputs.credentials_source = "environment";
  inputs.variables = {{"AWS_REGION", "eu-central-1"},
                      {"AWS_BATCH_JOB_QUEUE", "live2-job-queue"},
                      {"AWS_BATCH_JOB_DEFINITION", "live2-simulation"},
                      {"AWS_S3_BUCKET", "live2-artifacts"}};
  inputs.tier_ceilings = {{"hobby", {2, 4096}}, {"enterprise", {16, 65536}}};
  return inputs;
}

const Check* find_check(const DoctorReport& report, std::string_view id) {
  for (const auto& check : report.checks) {
    if (check.id == id) return &check;
  }
  return nullptr;
}

class DoctorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DeploymentConfig config;
    config.subnets = {"subnet-a"};
    config.security_groups = {"sg-1"};
    ASSERT_TRUE(Infrastructure(account, config).apply(nullptr).ok());
    // The image pushed, then applied again: the job definition names its digest (docs/deploy.md).
    account.repositories.at("live2-simulation").image_tags = {"latest"};
    account.repositories.at("live2-simulation").image_digests = {{"latest", "sha256:1111"}};
    ASSERT_TRUE(Infrastructure(account, config).apply(nullptr).ok());
  }
  DoctorReport review() { return run_doctor(account, configured_inputs()); }
  testing::FakeAccount account;
};

TEST_F(DoctorTest, HealthyDeploymentPassesEveryCheck) {
  DoctorReport report = review();
  EXPECT_TRUE(report.ok()) << render_report(report, "text");
  for (const auto& check : report.checks) {
    EXPECT_EQ(check.status, CheckStatus::pass) << check.id << ": " << check.observed;
    EXPECT_TRUE(check.fix.empty()) << check.id;
  }
  EXPECT_GE(report.checks.size(), 25u);
  EXPECT_NE(render_report(report, "text").find("the deployment is ready"), std::string::npos);
}

TEST_F(DoctorTest, TierCeilingsThatAreNoFargatePairFailWithTheSettingsToFix) {
  DoctorInputs inputs = configured_inputs();
  inputs.tier_ceilings = {{"hobby", {2, 4096}}, {"research", {3, 8192}}, {"pro", {8, 20000}}};
  DoctorReport report = run_doctor(account, inputs);
  const Check* ceilings = find_check(report, "config.tier_ceilings");
  ASSERT_NE(ceilings, nullptr);
  EXPECT_EQ(ceilings->status, CheckStatus::fail);
  EXPECT_EQ(ceilings->observed, "not Fargate pairs: research 3 vCPU / 8192 MiB, pro 8 vCPU / 20000 MiB");
  EXPECT_NE(ceilings->fix.find("LIVE2_TIER_<TIER>_MAX_VCPUS"), std::string::npos);
  // The compute environment must hold the largest job a ceiling allows: 16 vCPUs do not fit maxvCpus 8.
  account.compute_environments.begin()->second.max_vcpus = 8;
  inputs.tier_ceilings = {{"enterprise", {16, 65536}}};
  report = run_doctor(account, inputs);
  EXPECT_EQ(find_check(report, "compute_environment.max_vcpus")->status, CheckStatus::fail)
      << find_check(report, "compute_environment.max_vcpus")->observed;
}

TEST_F(DoctorTest, QueueInAnotherAccountIsExplainedInPlainWords) {
  account.account_id = "999999999999";
  account.job_queues.clear();
  DoctorReport report = review();
  EXPECT_FALSE(report.ok());
  const Check* queue = find_check(report, "job_queue.exists");
  ASSERT_NE(queue, nullptr);
  EXPECT_EQ(queue->status, CheckStatus::fail);
  EXPECT_NE(queue->observed.find("not found in account 999999999999"), std::string::npos);
  EXPECT_NE(queue->fix.find("another account or region"), std::string::npos);
}

TEST_F(DoctorTest, ArnOfAnotherAccountFailsIdentityCheck) {
  DoctorInputs inputs = configured_inputs();
  inputs.job_queue = "arn:aws:batch:us-east-1:111111111111:job-queue/live2-job-queue";
  DoctorReport report = run_doctor(account, inputs);
  const Check* arns = find_check(report, "identity.arns");
  ASSERT_NE(arns, nullptr);
  EXPECT_EQ(arns->status, CheckStatus::fail);
  EXPECT_NE(arns->observed.find("account 111111111111"), std::string::npos);
  EXPECT_NE(arns->observed.find("region us-east-1"), std::string::npos);
}

TEST_F(DoctorTest, DriftIsReportedWithFixes) {
  account.job_queues.at("live2-job-queue").state = "DISABLED";
  account.compute_environments.at("live2-compute-env").min_vcpus = 8;
  account.job_definitions.back().platform_capabilities = {"EC2"};
  account.denied[account.caller_arn] = {"batch:TerminateJob"};
  DoctorReport report = review();
  EXPECT_FALSE(report.ok());
  for (const char* id : {"job_queue.state", "compute_environment.scale_to_zero", "job_definition.platform",
                         "permissions.orchestrator"}) {
    const Check* check = find_check(report, id);
    ASSERT_NE(check, nullptr) << id;
    EXPECT_EQ(check->status, CheckStatus::fail) << id;
    EXPECT_FALSE(check->fix.empty()) << id;
  }
  EXPECT_NE(find_check(report, "permissions.orchestrator")->observed.find("may not batch:TerminateJob"),
            std::string::npos);
}

TEST_F(DoctorTest, SimulationAsksAboutEachGrantsOwnResourcesAndConditions) {
  review();
  auto asked = [&](const std::string& action) -> const PermissionCheck* {
    for (const auto& check : account.simulations) {
      if (std::find(check.actions.begin(), check.actions.end(), action) != check.actions.end()) return &check;
    }
    return nullptr;
  };
  const PermissionCheck* cancel = asked("batch:CancelJob");
  ASSERT_NE(cancel, nullptr);
  EXPECT_EQ(cancel->resource_arns, std::vector<std::string>{"arn:aws:batch:eu-central-1:123456789012:job/*"});
  ASSERT_EQ(cancel->context.size(), 1u);
  EXPECT_EQ(cancel->context[0].key, "aws:ResourceTag/live2:job-id");
  const PermissionCheck* download = asked("s3:GetObject");
  ASSERT_NE(download, nullptr);
  EXPECT_EQ(download->resource_arns, std::vector<std::string>{"arn:aws:s3:::live2-artifacts/prod/*"});
  const PermissionCheck* tag = asked("batch:TagResource");
  ASSERT_NE(tag, nullptr);
  ASSERT_EQ(tag->context.size(), 1u);
  EXPECT_EQ(tag->context[0].type, "stringList");
  EXPECT_EQ(tag->context[0].values, (std::vector<std::string>{"live2:job-id", "live2:user-id"}));
  const PermissionCheck* watch = asked("batch:DescribeJobs");
  ASSERT_NE(watch, nullptr);
  EXPECT_TRUE(watch->resource_arns.empty());  // granted on "*"
}

TEST_F(DoctorTest, AssumedRoleCallerIsSimulatedAsItsRole) {
  account.caller_arn = "arn:aws:sts::123456789012:assumed-role/Live2Server/i-0abc";
  account.denied["arn:aws:iam::123456789012:role/Live2Server"] = {"s3:GetObject"};
  DoctorReport report = review();
  EXPECT_EQ(find_check(report, "permissions.orchestrator")->status, CheckStatus::fail);
}

TEST_F(DoctorTest, JobDefinitionNamingATagIsAWarning) {
  account.job_definitions.back().image = account.repositories.at("live2-simulation").uri + ":latest";
  DoctorReport report = review();
  const Check* pinned = find_check(report, "image.pinned");
  ASSERT_NE(pinned, nullptr);
  EXPECT_EQ(pinned->status, CheckStatus::warn);
  EXPECT_NE(pinned->fix.find("live2 infra apply"), std::string::npos);
  EXPECT_EQ(find_check(report, "image.tag")->status, CheckStatus::pass);
}

TEST_F(DoctorTest, MissingImageTagAndLifecycleAndEgress) {
  account.repositories.at("live2-simulation").image_tags.clear();
  account.repositories.at("live2-simulation").image_digests.clear();
  account.buckets.at("live2-artifacts").expiration_days.reset();
  account.internet_route = false;
  DoctorReport report = review();
  EXPECT_EQ(find_check(report, "image.tag")->status, CheckStatus::fail);
  EXPECT_EQ(find_check(report, "bucket.lifecycle")->status, CheckStatus::warn);
  EXPECT_EQ(find_check(report, "compute_environment.egress")->status, CheckStatus::warn);
}

TEST_F(DoctorTest, InvalidCredentialsStopEarlyWithAFix) {
  account.credentials_valid = false;
  DoctorReport report = review();
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.checks.front().id, "identity.caller");
  EXPECT_NE(report.checks.front().observed.find("InvalidClientTokenId"), std::string::npos);
}

TEST_F(DoctorTest, JsonAndMarkdownRenderings) {
  account.job_queues.at("live2-job-queue").state = "DISABLED";
  DoctorReport report = review();
  auto json = boost::json::parse(render_report(report, "json")).as_object();
  EXPECT_EQ(json.at("ok"), false);
  const auto& checks = json.at("checks").as_array();
  ASSERT_EQ(checks.size(), report.checks.size());
  for (const auto& check : checks) {
    for (const char* field : {"id", "title", "status", "observed", "fix"}) {
      EXPECT_TRUE(check.as_object().contains(field)) << field;
    }
  }
  const std::string markdown = render_report(report, "md");
  EXPECT_NE(markdown.find("# live2 deployment review"), std::string::npos);
  EXPECT_NE(markdown.find("**Verdict: not ready.**"), std::string::npos);
  EXPECT_LT(markdown.find("## Identity"), markdown.find("## Job queue"));
  EXPECT_LT(markdown.find("## Job queue"), markdown.find("## Bucket"));
}

TEST_F(DoctorTest, ProbeResultIsIncluded) {
  DoctorInputs inputs = configured_inputs();
  inputs.probe = [] { return Check{"probe.job", "Probe", "A tiny job completes", CheckStatus::fail, "timed out", "x"}; };
  DoctorReport report = run_doctor(account, inputs);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.checks.back().id, "probe.job");
}

}  // namespace
}  // namespace live2::infra
