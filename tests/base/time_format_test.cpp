#include "base/time_format.h"

#include <gtest/gtest.h>

namespace live2 {
namespace {

TEST(TimeFormat, FormatsMillisecondsAndZ) {
  EXPECT_EQ(format_iso8601_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601_ms(1'795'000'000'123), "2026-11-18T11:06:40.123Z");
}

TEST(TimeFormat, RoundTrips) {
  for (int64_t ms : {0LL, 1LL, 999LL, 1'795'000'000'123LL, 4'102'444'799'999LL}) {
    auto parsed = parse_iso8601_ms(format_iso8601_ms(ms));
    ASSERT_TRUE(parsed.has_value()) << ms;
    EXPECT_EQ(*parsed, ms);
  }
}

TEST(TimeFormat, RejectsMalformed) {
  EXPECT_FALSE(parse_iso8601_ms("2026-11-18").has_value());
  EXPECT_FALSE(parse_iso8601_ms("2026-13-18T08:26:40Z").has_value());
  EXPECT_FALSE(parse_iso8601_ms("2026-11-18T08:26:40.1Z").has_value());
  EXPECT_FALSE(parse_iso8601_ms("2026-11-18T08:26:40+01:00").has_value());
  EXPECT_EQ(parse_iso8601_ms("2026-11-18T11:06:40Z"), 1'795'000'000'000);
}

TEST(TimeFormat, ParsesHttpDates) {
  EXPECT_EQ(parse_http_date_ms("Wed, 18 Nov 2026 11:06:40 GMT"), 1'795'000'000'000);
  EXPECT_EQ(parse_http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_FALSE(parse_http_date_ms("Wed, 18 Nov 2026 11:06:40 UTC").has_value());
  EXPECT_FALSE(parse_http_date_ms("Wed, 18 Nox 2026 11:06:40 GMT").has_value());
  EXPECT_FALSE(parse_http_date_ms("Wed, 31 Nov 2026 11:06:40 GMT").has_value());
  EXPECT_FALSE(parse_http_date_ms("Wed, 18 Nov 2026 11:06:40 GMT trailing").has_value());
  EXPECT_FALSE(parse_http_date_ms("2026-11-18T11:06:40Z").has_value());
}

}  // namespace
}  // namespace live2
