#include "api/metrics_table.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace live2::api {
namespace {

TEST(MetricsTable, HeaderBecomesColumnsAndCellsKeepTheirTypes) {
  auto table = metrics_csv_to_json("job_1", "step,time,temperature,note\r\n0,0,300.5,a\n100,0.5,1e-3,b\n");
  ASSERT_TRUE(table.ok()) << table.error().message;
  EXPECT_EQ(boost::json::serialize(*table),
            R"({"job_id":"job_1","columns":["step","time","temperature","note"],)"
            R"("rows":[[0,0,3.005E2,"a"],[100,5E-1,1E-3,"b"]]})");
}

TEST(MetricsTable, HeaderOnlyGivesNoRows) {
  auto table = metrics_csv_to_json("job_1", "step,time\n");
  ASSERT_TRUE(table.ok());
  EXPECT_TRUE(table->at("rows").as_array().empty());
}

TEST(MetricsTable, RaggedRowsAndEmptyTextAreErrors) {
  EXPECT_EQ(metrics_csv_to_json("job_1", "a,b\n1\n").error().code, ErrorCode::invalid_metrics);
  EXPECT_EQ(metrics_csv_to_json("job_1", "").error().code, ErrorCode::invalid_metrics);
}

}  // namespace
}  // namespace live2::api
