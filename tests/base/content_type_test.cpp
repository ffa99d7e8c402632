#include "base/content_type.h"

#include <gtest/gtest.h>

namespace live2 {
namespace {

TEST(ContentType, CoversTheWorkersArtifactsAndTheDashboardsFiles) {
  EXPECT_EQ(content_type_for("results.h5"), "application/x-hdf5");
  EXPECT_EQ(content_type_for("metrics.csv"), "text/csv; charset=utf-8");
  EXPECT_EQ(content_type_for("simulation.log"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("plots/energy.png"), "image/png");
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("assets/index-3f2a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("fonts/inter.woff2"), "font/woff2");
}

TEST(ContentType, IgnoresCaseAndFallsBackToOctetStream) {
  EXPECT_EQ(content_type_for("SUMMARY.JSON"), "application/json");
  EXPECT_EQ(content_type_for("notes.TXT"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("REPORT.HTM"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("checkpoint/state.bin"), "application/octet-stream");
  EXPECT_EQ(content_type_for("json"), "application/octet-stream") << "an extension needs its dot";
  EXPECT_EQ(content_type_for(""), "application/octet-stream");
}

}  // namespace
}  // namespace live2
