#include <gtest/gtest.h>

#include "artifacts/artifact_store.h"

namespace live2 {
namespace {

TEST(ContentType, KnownExtensions) {
  EXPECT_EQ(content_type_for("results.h5"), "application/x-hdf5");
  EXPECT_EQ(content_type_for("summary.json"), "application/json");
  EXPECT_EQ(content_type_for("metrics.csv"), "text/csv; charset=utf-8");
  EXPECT_EQ(content_type_for("simulation.log"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("notes.TXT"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("plots/energy.png"), "image/png");
}

TEST(ContentType, EverythingElseIsOctetStream) {
  EXPECT_EQ(content_type_for("checkpoint/state.bin"), "application/octet-stream");
  EXPECT_EQ(content_type_for("json"), "application/octet-stream");
  EXPECT_EQ(content_type_for(""), "application/octet-stream");
}

}  // namespace
}  // namespace live2
