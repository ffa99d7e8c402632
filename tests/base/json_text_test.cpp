// json_text: doubles in their shortest exact decimal form (no `3E2`), integers as integers, Boost.JSON's escaping,
// and output that parses back to the same values.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>

#include "base/json_text.h"

namespace live2 {
namespace {

TEST(JsonText, TypicalDoublesPrintAsPeopleWriteThem) {
  EXPECT_EQ(json_text(300.0), "300");
  EXPECT_EQ(json_text(0.15), "0.15");
  EXPECT_EQ(json_text(0.005), "0.005");
  EXPECT_EQ(json_text(-1234.0625), "-1234.0625");
  EXPECT_EQ(json_text(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(json_text(2.5e6), "2500000");
  EXPECT_EQ(json_text(1e-7), "1e-07");
  EXPECT_EQ(json_text(1.5e300), "1.5e+300");
}

TEST(JsonText, IntegersBooleansAndNullPrintAsThemselves) {
  EXPECT_EQ(json_text(int64_t{-42}), "-42");
  EXPECT_EQ(json_text(std::numeric_limits<uint64_t>::max()), "18446744073709551615");
  EXPECT_EQ(json_text(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(json_text(true), "true");
  EXPECT_EQ(json_text(nullptr), "null");
}

TEST(JsonText, NonFiniteDoublesBecomeNull) {
  EXPECT_EQ(json_text(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(json_text(-std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonText, ContainersKeepTheirOrderAndStringsAreEscaped) {
  const boost::json::value value = {{"temperature", 300.0},
                                    {"dt", 0.005},
                                    {"label", "say \"hi\"\n\x01 ok"},
                                    {"list", {1, 2.5, "x", nullptr, boost::json::array{}}},
                                    {"empty", boost::json::object{}}};
  EXPECT_EQ(json_text(value),
            R"({"temperature":300,"dt":0.005,"label":"say \"hi\"\n\u0001 ok","list":[1,2.5,"x",null,[]],"empty":{}})");
  EXPECT_EQ(boost::json::parse(json_text(value)).at("label").as_string(), "say \"hi\"\n\x01 ok");
}

// Every finite double prints as text that reads back to the same bits and is a valid JSON number.
TEST(JsonText, DoublesRoundTripExactly) {
  std::mt19937_64 random(12345);
  std::vector<double> values = {0.0,
                                -0.0,
                                std::numeric_limits<double>::min(),
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::lowest(),
                                std::numeric_limits<double>::epsilon(),
                                9007199254740993.0,
                                1.2345678901234567e20};
  while (values.size() < 20000) {
    const double value = std::bit_cast<double>(random());
    if (std::isfinite(value)) values.push_back(value);
  }
  for (int i = 0; i < 2000; ++i) values.push_back(std::uniform_real_distribution<double>(-1e4, 1e4)(random));
  for (const double value : values) {
    const std::string text = json_text(value);
    double read_back = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), read_back);
    ASSERT_TRUE(error == std::errc() && end == text.data() + text.size()) << text;
    ASSERT_EQ(std::bit_cast<uint64_t>(read_back), std::bit_cast<uint64_t>(value)) << text;
    boost::system::error_code parse_error;
    const boost::json::value parsed = boost::json::parse(text, parse_error);
    ASSERT_FALSE(parse_error) << text;
    ASSERT_TRUE(parsed.is_number()) << text;
  }
}

TEST(CanonicalJson, SortsKeysAtEveryLevel) {
  EXPECT_EQ(canonical_json(boost::json::parse(R"({"b":1,"a":{"d":[{"y":1,"x":2}],"c":null}})")),
            R"({"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1})");
}

}  // namespace
}  // namespace live2
