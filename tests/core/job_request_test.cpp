#include "core/job_request.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "worker/simulation_params_validator.h"

namespace live2 {
namespace {

namespace json = boost::json;

json::value body(std::string_view text) { return json::parse(text); }

// The server's validator: these tests check the envelope and that the params' own problems reach the answer.
const worker::SimulationParamsValidator kParamsValidator(2);

bool has_field(const Error& error, std::string_view field) {
  return std::any_of(error.details.begin(), error.details.end(),
                     [&](const FieldError& detail) { return detail.field == field; });
}

constexpr std::string_view kValid =
    R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry",)"
    R"("config":{"num_particles":1000,"steps":50000}}}})";

TEST(JobRequest, AcceptsAValidSubmission) {
  auto request = parse_job_request(body(kValid), std::nullopt, {}, kParamsValidator);
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->job_type, "run_simulation");
  EXPECT_EQ(request->size.particle_steps, 1000LL * 50000LL);
  EXPECT_GT(request->size.estimated_time_s, 0);
  EXPECT_EQ(request->fingerprint.size(), 64u);
}

TEST(JobRequest, EstimateGrowsWithWork) {
  auto small = parse_job_request(body(kValid), std::nullopt, {}, kParamsValidator);
  auto large =
      parse_job_request(body(R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry",)"
                             R"("config":{"num_particles":100000,"steps":500000}}}})"),
                        std::nullopt, {}, kParamsValidator);
  ASSERT_TRUE(small.ok() && large.ok());
  EXPECT_GT(large->size.estimated_time_s, small->size.estimated_time_s);
}

TEST(JobRequest, ReportsEveryBadFieldWithItsPath) {
  auto request = parse_job_request(
      body(R"({"job_type":"run_simulation","colour":"red","webhook_url":"ftp://x",)"
           R"("params":{"simulation_config":{"mode":"open_chemistry","config":{"steps":0,"temperature":"hot"}}}})"),
      std::nullopt, {}, kParamsValidator);
  ASSERT_FALSE(request.ok());
  const Error& error = request.error();
  EXPECT_EQ(error.code, ErrorCode::validation_failed);
  EXPECT_TRUE(has_field(error, "colour"));
  EXPECT_TRUE(has_field(error, "webhook_url"));
  EXPECT_TRUE(has_field(error, "params.simulation_config.config.steps"));
  EXPECT_TRUE(has_field(error, "params.simulation_config.config.temperature"));
}

TEST(JobRequest, ADatasetIsSizedByTheSumOfItsRuns) {
  const json::value dataset = body(
      R"({"job_type":"generate_dataset","params":{"simulation_config":{"mode":"open_chemistry",)"
      R"("config":{"num_particles":1000,"steps":50000}},"sweep":{"temperature":[300,600]},"replicas":3}})");
  JobRequestPolicy policy;
  policy.parallel_runs = 2;
  auto request = parse_job_request(dataset, std::nullopt, policy, kParamsValidator);
  ASSERT_TRUE(request.ok()) << request.error().message;
  ASSERT_TRUE(request->dataset);
  EXPECT_EQ(request->dataset->runs.size(), 6u);
  EXPECT_EQ(request->size.particle_steps, 6 * 1000LL * 50000LL);
  auto single = parse_job_request(body(kValid), std::nullopt, {}, kParamsValidator);
  ASSERT_TRUE(single.ok());
  // Six runs two at a time take about three runs' time.
  EXPECT_NEAR(request->size.estimated_time_s, 3 * single->size.estimated_time_s, 3);

  policy.max_dataset_runs = 5;
  auto too_many = parse_job_request(dataset, std::nullopt, policy, kParamsValidator);
  ASSERT_FALSE(too_many.ok());
  EXPECT_TRUE(has_field(too_many.error(), "params.sweep"));
  EXPECT_FALSE(parse_job_request(body(R"({"job_type":"bake","params":{}})"), std::nullopt, {}, kParamsValidator).ok());
}

TEST(JobRequest, ADatasetOverTheTiersParticleStepsIsRefusedOnTheSum) {
  const json::value dataset = body(
      R"({"job_type":"generate_dataset","params":{"simulation_config":{"mode":"open_chemistry",)"
      R"("config":{"num_particles":1000,"steps":1000}},"replicas":20}})");
  auto request = parse_job_request(dataset, std::nullopt, {}, kParamsValidator);
  ASSERT_TRUE(request.ok());
  TierLimits limits = default_limits(Tier::hobby);
  limits.particle_steps_per_job = 10 * 1000 * 1000;  // one run fits, twenty do not
  Status fits = check_job_size(*request, limits, Tier::hobby);
  ASSERT_FALSE(fits.ok());
  EXPECT_NE(fits.error().details.at(0).message.find("over the dataset's runs"), std::string::npos);
  limits.particle_steps_per_job = 20 * 1000 * 1000;
  EXPECT_TRUE(check_job_size(*request, limits, Tier::hobby).ok());
}

TEST(JobRequest, NameAndTagsAreOptionalBoundedAndFingerprinted) {
  json::value labelled = body(kValid);
  labelled.as_object()["name"] = "T x carbon scan";
  labelled.as_object()["tags"] = json::object{{"project", "origins"}, {"phase", ""}};
  auto request = parse_job_request(labelled, std::nullopt, {}, kParamsValidator);
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->name, "T x carbon scan");
  EXPECT_EQ(request->tags, (JobTags{{"phase", ""}, {"project", "origins"}}));
  auto plain = parse_job_request(body(kValid), std::nullopt, {}, kParamsValidator);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->name);
  EXPECT_NE(plain->fingerprint, request->fingerprint);

  auto refused = [&](const char* field, json::value value) {
    json::value changed = body(kValid);
    changed.as_object()[field] = std::move(value);
    return parse_job_request(changed, std::nullopt, {}, kParamsValidator);
  };
  EXPECT_TRUE(has_field(refused("name", "").error(), "name"));
  EXPECT_TRUE(has_field(refused("name", json::value(std::string(201, 'n'))).error(), "name"));
  EXPECT_TRUE(has_field(refused("name", "tab\there").error(), "name"));
  EXPECT_TRUE(has_field(refused("name", 7).error(), "name"));
  EXPECT_TRUE(refused("name", json::value(std::string(200, 'n'))).ok());
  EXPECT_TRUE(has_field(refused("tags", json::array{}).error(), "tags"));
  EXPECT_TRUE(has_field(refused("tags", json::object{{"bad key", "v"}}).error(), "tags"));
  EXPECT_TRUE(has_field(refused("tags", json::object{{"k", 1}}).error(), "tags.k"));
  EXPECT_TRUE(has_field(refused("tags", json::object{{"k", json::value(std::string(257, 'v'))}}).error(), "tags.k"));
  json::object many;
  for (char key = 'a'; key < 'a' + 17; ++key) many[std::string(1, key)] = "v";
  EXPECT_TRUE(has_field(refused("tags", many).error(), "tags"));
  many.erase("a");
  EXPECT_TRUE(refused("tags", many).ok());
}

TEST(JobRequest, IdempotencyKeyFromHeaderOrBodyMustAgree) {
  auto from_header = parse_job_request(body(kValid), std::string("key-1"), {}, kParamsValidator);
  ASSERT_TRUE(from_header.ok());
  EXPECT_EQ(from_header->idempotency_key, "key-1");

  json::value with_body_key = body(kValid);
  with_body_key.as_object()["idempotency_key"] = "key-2";
  EXPECT_FALSE(parse_job_request(with_body_key, std::string("key-1"), {}, kParamsValidator).ok());
  EXPECT_FALSE(parse_job_request(body(kValid), std::string(200, 'k'), {}, kParamsValidator).ok());
}

TEST(JobRequest, FingerprintIgnoresKeyOrderAndIdempotencyKey) {
  auto first = parse_job_request(body(kValid), std::string("a"), {}, kParamsValidator);
  auto reordered =
      parse_job_request(body(R"({"params":{"simulation_config":{"config":{"steps":50000,"num_particles":1000},)"
                             R"("mode":"open_chemistry"}},"job_type":"run_simulation"})"),
                        std::string("b"), {}, kParamsValidator);
  ASSERT_TRUE(first.ok() && reordered.ok());
  EXPECT_EQ(first->fingerprint, reordered->fingerprint);

  auto different =
      parse_job_request(body(R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry",)"
                             R"("config":{"num_particles":1000,"steps":50001}}}})"),
                        std::nullopt, {}, kParamsValidator);
  ASSERT_TRUE(different.ok());
  EXPECT_NE(first->fingerprint, different->fingerprint);
}

TEST(JobRequest, HttpWebhooksOnlyWhenAllowed) {
  json::value request = body(kValid);
  request.as_object()["webhook_url"] = "http://127.0.0.1:9/hook";
  EXPECT_FALSE(parse_job_request(request, std::nullopt, {}, kParamsValidator).ok());
  EXPECT_TRUE(parse_job_request(request, std::nullopt, {.allow_insecure_webhooks = true}, kParamsValidator).ok());
  request.as_object()["webhook_url"] = "https://user:pw@example.com/hook";
  EXPECT_FALSE(parse_job_request(request, std::nullopt, {}, kParamsValidator).ok());
}

}  // namespace
}  // namespace live2
