#include <gtest/gtest.h>

#include "artifacts/artifact_store.h"

namespace live2 {
namespace {

// A browser renders what is not passive as a document of the origin that served it: it must be saved instead.
TEST(ContentDisposition, OnlyPassiveTypesAreShownInline) {
  for (const char* name : {"final.png", "summary.json", "metrics.csv", "simulation.log", "notes.txt"}) {
    EXPECT_EQ(content_disposition_for(content_type_for(name)), "inline") << name;
  }
  for (const char* name : {"report.html", "page.htm", "plot.svg", "results.h5", "checkpoint/state.bin", "data.xml",
                           "script.js", "no-extension"}) {
    EXPECT_EQ(content_disposition_for(content_type_for(name)), "attachment") << name;
  }
  EXPECT_EQ(content_disposition_for("text/html; charset=utf-8"), "attachment");
  EXPECT_EQ(content_disposition_for("text/plainx"), "attachment");
  EXPECT_EQ(content_disposition_for(""), "attachment");
}

TEST(OriginOf, SchemeHostAndPortOnly) {
  EXPECT_EQ(origin_of("http://127.0.0.1:8080/files/a?x=1"), "http://127.0.0.1:8080");
  EXPECT_EQ(origin_of("https://live2.example.com"), "https://live2.example.com");
  EXPECT_EQ(origin_of("https://bucket.s3.eu-central-1.amazonaws.com/"), "https://bucket.s3.eu-central-1.amazonaws.com");
  EXPECT_EQ(origin_of("/files/relative"), "");
  EXPECT_EQ(origin_of("not a url"), "");
}

}  // namespace
}  // namespace live2
