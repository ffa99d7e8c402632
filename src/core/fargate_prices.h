// What Fargate charges, per region (docs/aws.md, "Cost"): USD per vCPU-hour and per GB-hour of memory, on-demand
// (FARGATE) and Spot (FARGATE_SPOT), Linux/x86. A built-in table for common regions, and the operator's own table
// (LIVE2_FARGATE_PRICES) over it. Pure data and pure functions; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace live2 {

struct FargatePrice {
  double usd_per_vcpu_hour = 0;
  double usd_per_gb_hour = 0;
  bool operator==(const FargatePrice&) const = default;
};

struct FargatePrices {
  FargatePrice on_demand;  // FARGATE
  FargatePrice spot;       // FARGATE_SPOT
  bool operator==(const FargatePrices&) const = default;
};

using FargatePriceTable = std::map<std::string, FargatePrices, std::less<>>;  // by region

// On-demand: AWS's published Linux/x86 rates. Spot: 30% of on-demand, the discount AWS advertises ("up to 70%");
// real Spot rates move, so an operator who wants exact figures sets LIVE2_FARGATE_PRICES.
const FargatePriceTable& default_fargate_prices();

// "REGION=OD_VCPU_HOUR,OD_GB_HOUR,SPOT_VCPU_HOUR,SPOT_GB_HOUR;REGION=..." (USD, non-negative decimals); each region
// given replaces that region's built-in row. Errors name the entry that is malformed.
Result<FargatePriceTable> parse_fargate_prices(std::string_view text);

// The built-in table with `overrides` over it.
FargatePriceTable merged_fargate_prices(const FargatePriceTable& overrides);

}  // namespace live2
