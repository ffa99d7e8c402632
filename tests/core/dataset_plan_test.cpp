#include "core/dataset_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "worker/simulation_params_validator.h"

namespace live2 {
namespace {

namespace json = boost::json;

const worker::SimulationParamsValidator kValidator(2);

json::value params(std::string_view sweep_and_replicas) {
  return json::parse(R"({"simulation_config":{"mode":"open_chemistry","config":{"num_particles":200,"steps":1000,)"
                     R"("seed":7}})" +
                     std::string(sweep_and_replicas) + "}");
}

bool has_field(const Error& error, std::string_view field) {
  return std::any_of(error.details.begin(), error.details.end(),
                     [&](const FieldError& detail) { return detail.field == field; });
}

TEST(DatasetPlan, RunsAreTheGridTimesReplicasLastFieldFastest) {
  auto plan = plan_dataset(params(R"(,"sweep":{"temperature":[300,450,600],"composition.C":[0.1,0.2]},"replicas":2)"),
                           kValidator, 100);
  ASSERT_TRUE(plan.ok()) << plan.error().message << (plan ? "" : plan.error().details.at(0).message);
  ASSERT_EQ(plan->runs.size(), 12u);
  EXPECT_EQ(plan->sweep_fields, (std::vector<std::string>{"temperature", "composition.C"}));
  // index = point x replicas + replica; point 3 = temperature[1], composition.C[1].
  const PlannedRun& run = plan->runs[7];
  EXPECT_EQ(run.index, 7);
  EXPECT_EQ(json::parse(run.sweep_json), json::parse(R"({"temperature":450,"composition.C":0.2})"));
  const json::value run_params = json::parse(run.params_json);
  const json::object& config = run_params.at("simulation_config").at("config").as_object();
  EXPECT_EQ(config.at("temperature"), json::value(450));
  EXPECT_EQ(config.at("composition").at("C"), json::value(0.2));
  EXPECT_EQ(config.at("num_particles"), json::value(200));
  EXPECT_EQ(config.at("seed").to_number<uint64_t>(), run.seed);
  EXPECT_EQ(run.seed, run_seed(7, 7));
  EXPECT_EQ(plan->particle_steps, 12 * 200 * 1000);
  EXPECT_GT(plan->output_bytes, 0);
  EXPECT_GT(plan->run_time_s, 0);
  // Every run of the dataset has its own seed, and every run's params pass the validator on their own.
  std::set<uint64_t> seeds;
  for (const PlannedRun& each : plan->runs) {
    seeds.insert(each.seed);
    EXPECT_TRUE(kValidator.assess(json::parse(each.params_json)).errors.empty());
  }
  EXPECT_EQ(seeds.size(), 12u);
}

TEST(DatasetPlan, WithoutASweepItIsReplicasOfTheBase) {
  auto plan = plan_dataset(params(R"(,"replicas":3)"), kValidator, 100);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->runs.size(), 3u);
  EXPECT_EQ(plan->runs[2].sweep_json, "{}");
  auto single = plan_dataset(params(""), kValidator, 100);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->runs.size(), 1u);
}

TEST(DatasetPlan, AProblemASweptValueCausesNamesThatSweepEntry) {
  auto plan = plan_dataset(params(R"(,"sweep":{"temperature":[300,-5,600]})"), kValidator, 100);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().code, ErrorCode::validation_failed);
  EXPECT_TRUE(has_field(plan.error(), "params.sweep.temperature[1]"));
  EXPECT_EQ(plan.error().details.size(), 1u);
}

TEST(DatasetPlan, RefusesMalformedSweepsAndReplicas) {
  auto refused = [](std::string_view rest) { return plan_dataset(params(rest), kValidator, 100); };
  EXPECT_TRUE(has_field(refused(R"(,"sweep":{"temperature":[]})").error(), "params.sweep.temperature"));
  EXPECT_TRUE(has_field(refused(R"(,"sweep":{"temperature":300})").error(), "params.sweep.temperature"));
  EXPECT_TRUE(has_field(refused(R"(,"sweep":{"temperature":[300,[1]]})").error(), "params.sweep.temperature[1]"));
  EXPECT_TRUE(has_field(refused(R"(,"sweep":{"seed":[1,2]})").error(), "params.sweep.seed"));
  EXPECT_TRUE(has_field(refused(R"(,"sweep":{"bad key":[1]})").error(), "params.sweep"));
  EXPECT_TRUE(has_field(refused(R"(,"sweep":{"temperature.x":[1]})").error(), "params.sweep.temperature.x[0]"));
  EXPECT_TRUE(has_field(refused(R"(,"sweep":[1])").error(), "params.sweep"));
  EXPECT_TRUE(has_field(refused(R"(,"replicas":0)").error(), "params.replicas"));
  EXPECT_TRUE(has_field(refused(R"(,"replicas":2.5)").error(), "params.replicas"));
  EXPECT_TRUE(has_field(refused(R"(,"colour":"red")").error(), "params.colour"));
  EXPECT_TRUE(has_field(plan_dataset(json::parse(R"({"sweep":{}})"), kValidator, 100).error(),
                        "params.simulation_config"));
}

TEST(DatasetPlan, MoreRunsThanAllowedIsRefusedBeforeAnyIsBuilt) {
  auto plan = plan_dataset(params(R"(,"sweep":{"temperature":[300,400,500]},"replicas":40)"), kValidator, 100);
  ASSERT_FALSE(plan.ok());
  EXPECT_TRUE(has_field(plan.error(), "params.sweep"));
  EXPECT_NE(plan.error().details.at(0).message.find("120 runs"), std::string::npos);
  // A product that overflows is refused the same way.
  std::string values;
  for (int i = 0; i < 1000; ++i) {
    if (i > 0) values += ',';
    values += std::to_string(300 + i);
  }
  const std::string huge = R"(,"sweep":{"temperature":[)" + values + R"(],"dt":[)" + values + R"(]},"replicas":10000)";
  EXPECT_FALSE(plan_dataset(params(huge), kValidator, kMaxDatasetRuns).ok());
}

// Counts the points judged, to show plan_run does not walk the grid.
class CountingValidator final : public ParamsValidator {
 public:
  ParamsAssessment assess(const json::value& params) const override {
    ++calls;
    return kValidator.assess(params);
  }
  mutable int calls = 0;
};

TEST(DatasetPlanRun, IsThePlansRunAtThatIndex) {
  for (const std::string_view rest : {R"(,"sweep":{"temperature":[300,450,600],"composition.C":[0.1,0.2]},"replicas":2)",
                                      R"(,"replicas":3)", ""}) {
    const json::value dataset = params(rest);
    auto plan = plan_dataset(dataset, kValidator, kMaxDatasetRuns);
    ASSERT_TRUE(plan.ok()) << rest;
    for (const PlannedRun& expected : plan->runs) {
      auto run = plan_run(dataset, kValidator, expected.index);
      ASSERT_TRUE(run.ok()) << rest << " run " << expected.index;
      EXPECT_EQ(run->index, expected.index);
      EXPECT_EQ(run->params_json, expected.params_json) << rest << " run " << expected.index;
      EXPECT_EQ(run->sweep_json, expected.sweep_json);
      EXPECT_EQ(run->seed, expected.seed);
    }
  }
  // Without a seed in the base the default seed is the base (judged at grid point 0, as plan_dataset does).
  const json::value unseeded = json::parse(
      R"({"simulation_config":{"mode":"open_chemistry","config":{"num_particles":200,"steps":1000}},)"
      R"("sweep":{"temperature":[300,450]},"replicas":2})");
  auto plan = plan_dataset(unseeded, kValidator, 100);
  ASSERT_TRUE(plan.ok());
  for (const int64_t index : {0, 1, 3}) EXPECT_EQ(plan_run(unseeded, kValidator, index)->params_json, plan->runs[index].params_json);
}

TEST(DatasetPlanRun, JudgesTwoPointsOfATenThousandRunGrid) {
  std::string values;
  for (int i = 0; i < 100; ++i) {
    if (i > 0) values += ',';
    values += std::to_string(300 + i);
  }
  const json::value dataset = params(R"(,"sweep":{"temperature":[)" + values + R"(]},"replicas":100)");
  CountingValidator counting;
  auto run = plan_run(dataset, counting, 9'999);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(counting.calls, 2);
  EXPECT_EQ(json::parse(run->sweep_json), json::parse(R"({"temperature":399})"));
  EXPECT_EQ(run->seed, run_seed(7, 9'999));
}

TEST(DatasetPlanRun, RefusesAnIndexOutsideTheGridAndAnInvalidPoint) {
  const json::value dataset = params(R"(,"sweep":{"temperature":[300,-5]},"replicas":2)");
  for (const int64_t index : {int64_t{-1}, int64_t{4}, int64_t{1} << 40}) {
    auto run = plan_run(dataset, kValidator, index);
    ASSERT_FALSE(run.ok());
    EXPECT_EQ(run.error().code, ErrorCode::invalid_input);
    EXPECT_NE(run.error().message.find("from 0 to 3"), std::string::npos) << run.error().message;
  }
  auto invalid = plan_run(dataset, kValidator, 2);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, ErrorCode::validation_failed);
  EXPECT_TRUE(has_field(invalid.error(), "params.sweep.temperature[1]"));
  EXPECT_TRUE(plan_run(dataset, kValidator, 1).ok());  // point 0 is valid: its runs are planned
  EXPECT_EQ(plan_run(json::parse("[1]"), kValidator, 0).error().code, ErrorCode::validation_failed);
}

}  // namespace
}  // namespace live2
