// docs/openapi.yaml as compiled into live2 (api/openapi_document.h) against the code it describes: the simulation
// parameters' ranges, defaults and choices are the validator's own (src/sim/params.h). The routes and answers are
// checked by tests/contract against the integration tests' exchanges.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/openapi_document.h"
#include "sim/params.h"

namespace live2::api {
namespace {

namespace json = boost::json;

const json::object& schema_named(const json::value& document, std::string_view name) {
  return document.at("components").at("schemas").at(name).as_object();
}

void expect_range(const json::object& schema, const sim::NumericFieldRange& range) {
  SCOPED_TRACE(std::string(range.name));
  EXPECT_EQ(schema.at("type"), range.integer ? "integer" : "number");
  const char* low_keyword = range.low_inclusive ? "minimum" : "exclusiveMinimum";
  ASSERT_TRUE(schema.contains(low_keyword));
  EXPECT_EQ(schema.at(low_keyword).to_number<double>(), range.low);
  EXPECT_EQ(schema.at("maximum").to_number<double>(), range.high);
}

class OpenApiDocumentTest : public ::testing::Test {
 protected:
  json::value document = json::parse(openapi_json());
};

TEST_F(OpenApiDocumentTest, ParameterRangesAreTheValidators) {
  const json::object& settings = schema_named(document, "SimulationSettings").at("properties").as_object();
  for (const auto& range : sim::config_field_ranges()) expect_range(settings.at(range.name).as_object(), range);
  const json::object& source = schema_named(document, "EnergySource").at("properties").as_object();
  for (const auto& range : sim::energy_source_field_ranges()) expect_range(source.at(range.name).as_object(), range);
  expect_range(schema_named(document, "ElementFraction"), sim::composition_fraction_range());
}

TEST_F(OpenApiDocumentTest, ParameterDefaultsAreTheValidators) {
  for (const std::string mode : {"open_chemistry", "preset_prebiotic"}) {
    SCOPED_TRACE(mode);
    const auto outcome = sim::parse_params(json::parse(R"({"simulation_config":{"mode":")" + mode + R"("}})"));
    ASSERT_TRUE(outcome.config);
    const json::object resolved = sim::resolved_params_json(*outcome.config);
    const json::object& config = resolved.at("simulation_config").at("config").as_object();
    const json::object& settings = schema_named(document, "SimulationSettings").at("properties").as_object();
    for (const auto& [name, schema] : settings) {
      if (!schema.as_object().contains("default") || !config.contains(name)) continue;
      SCOPED_TRACE(std::string(name));
      const json::value& documented = schema.at("default");
      if (documented.is_number()) {
        EXPECT_EQ(documented.to_number<double>(), config.at(name).to_number<double>());
      } else {
        EXPECT_EQ(documented, config.at(name));
      }
    }
  }
}

TEST_F(OpenApiDocumentTest, PresetChoicesAreTheValidators) {
  std::vector<std::string> documented;
  for (const auto& name : schema_named(document, "SimulationSettings").at("properties").at("preset").at("enum").as_array()) {
    documented.emplace_back(name.as_string());
  }
  EXPECT_EQ(documented, sim::preset_names());
}

}  // namespace
}  // namespace live2::api
