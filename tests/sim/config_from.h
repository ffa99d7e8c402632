// Test helper: the SimulationConfig of a params document, as the worker would parse it (a test fails with the first
// problem if the document is invalid).
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string_view>

#include "sim/params.h"

namespace live2::sim::testing {

inline SimulationConfig config_from(std::string_view params_json) {
  ParseOutcome outcome = parse_params(boost::json::parse(params_json));
  EXPECT_TRUE(outcome.config) << (outcome.errors.empty() ? ""
                                                          : outcome.errors[0].field + ": " + outcome.errors[0].message);
  return outcome.config.value_or(SimulationConfig{});
}

}  // namespace live2::sim::testing
