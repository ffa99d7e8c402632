// The Fargate price table: the built-in rows and the operator's LIVE2_FARGATE_PRICES over them.
#include <gtest/gtest.h>

#include "core/fargate_prices.h"
#include "core/settings.h"

namespace live2 {
namespace {

TEST(FargatePrices, BuiltInRowsAreAwsOnDemandRatesWithSpotAtThirtyPercent) {
  const FargatePrices& frankfurt = default_fargate_prices().at("eu-central-1");
  EXPECT_EQ(frankfurt.on_demand, (FargatePrice{0.04656, 0.00511}));
  EXPECT_DOUBLE_EQ(frankfurt.spot.usd_per_vcpu_hour, 0.013968);
  EXPECT_DOUBLE_EQ(frankfurt.spot.usd_per_gb_hour, 0.001533);
  EXPECT_EQ(default_fargate_prices().at("us-east-1").on_demand, (FargatePrice{0.04048, 0.004445}));
  EXPECT_FALSE(default_fargate_prices().contains("ap-south-1"));
}

TEST(FargatePrices, TheOperatorsTableReplacesWholeRegions) {
  Result<FargatePriceTable> parsed =
      parse_fargate_prices(" eu-central-1=0.05,0.006,0.015,0.0018 ; ap-south-1=0.04,0.0044,0.012,0.0013;");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->size(), 2u);
  const FargatePriceTable table = merged_fargate_prices(*parsed);
  EXPECT_EQ(table.at("eu-central-1"), (FargatePrices{{0.05, 0.006}, {0.015, 0.0018}}));
  EXPECT_EQ(table.at("ap-south-1"), (FargatePrices{{0.04, 0.0044}, {0.012, 0.0013}}));
  EXPECT_EQ(table.at("us-east-1"), default_fargate_prices().at("us-east-1"));
  EXPECT_TRUE(parse_fargate_prices("").value().empty());
}

TEST(FargatePrices, MalformedEntriesAreRefusedByName) {
  for (const char* text : {"eu-central-1=0.1,0.2,0.3", "eu-central-1=a,b,c,d", "=1,2,3,4", "eu-central-1",
                           "eu-central-1=1,2,3,-4", "eu-central-1=1,2,3,4,5"}) {
    Result<FargatePriceTable> parsed = parse_fargate_prices(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message.find("REGION=OD_VCPU_HOUR"), std::string::npos) << parsed.error().message;
  }
  Result<Settings> settings = parse_settings({{"LIVE2_FARGATE_PRICES", "eu-central-1=1,2"}});
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.error().details.at(0).field, "LIVE2_FARGATE_PRICES");
}

}  // namespace
}  // namespace live2
