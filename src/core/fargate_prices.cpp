#include "core/fargate_prices.h"

#include <charconv>
#include <vector>

#include <fmt/format.h>

namespace live2 {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::optional<double> price(std::string_view text) {
  text = trimmed(text);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !(value >= 0) || value > 1000) {
    return std::nullopt;
  }
  return value;
}

FargatePrices with_spot_discount(FargatePrice on_demand) {
  constexpr double kSpotShare = 0.3;
  return {on_demand, {on_demand.usd_per_vcpu_hour * kSpotShare, on_demand.usd_per_gb_hour * kSpotShare}};
}

}  // namespace

const FargatePriceTable& default_fargate_prices() {
  static const FargatePriceTable table = [] {
    const FargatePrice us{0.04048, 0.004445};
    const FargatePrice frankfurt{0.04656, 0.00511};
    FargatePriceTable prices;
    for (const char* region : {"us-east-1", "us-east-2", "us-west-2", "eu-west-1"}) {
      prices[region] = with_spot_discount(us);
    }
    prices["eu-central-1"] = with_spot_discount(frankfurt);
    return prices;
  }();
  return table;
}

Result<FargatePriceTable> parse_fargate_prices(std::string_view text) {
  FargatePriceTable table;
  if (trimmed(text).empty()) return table;
  for (const std::string_view raw_entry : split(text, ';')) {
    const std::string_view entry = trimmed(raw_entry);
    if (entry.empty()) continue;
    const size_t equals = entry.find('=');
    const std::vector<std::string_view> numbers =
        equals == std::string_view::npos ? std::vector<std::string_view>{} : split(entry.substr(equals + 1), ',');
    std::vector<double> values;
    for (const std::string_view number : numbers) {
      if (const std::optional<double> value = price(number)) values.push_back(*value);
    }
    const std::string_view region = equals == std::string_view::npos ? entry : trimmed(entry.substr(0, equals));
    if (region.empty() || numbers.size() != 4 || values.size() != 4) {
      return Error::make(ErrorCode::invalid_settings,
                         fmt::format("\"{}\" is not REGION=OD_VCPU_HOUR,OD_GB_HOUR,SPOT_VCPU_HOUR,SPOT_GB_HOUR (USD, "
                                     "0 to 1000)",
                                     entry));
    }
    table[std::string(region)] = {{values[0], values[1]}, {values[2], values[3]}};
  }
  return table;
}

FargatePriceTable merged_fargate_prices(const FargatePriceTable& overrides) {
  FargatePriceTable table = default_fargate_prices();
  for (const auto& [region, prices] : overrides) table[region] = prices;
  return table;
}

}  // namespace live2
