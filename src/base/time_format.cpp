#include "base/time_format.h"

#include <chrono>
#include <cstdio>

namespace live2 {

std::string format_iso8601_ms(int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> time{milliseconds{unix_ms}};
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock_time{time - day};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock_time.hours().count()), static_cast<int>(clock_time.minutes().count()),
                static_cast<int>(clock_time.seconds().count()), static_cast<int>(clock_time.subseconds().count()));
  return buffer;
}

std::optional<int64_t> parse_iso8601_ms(std::string_view text) {
  int year = 0, month = 0, day_of_month = 0, hour = 0, minute = 0, second = 0, millis = 0;
  int consumed = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day_of_month, &hour, &minute, &second,
                  &consumed) != 6) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(static_cast<size_t>(consumed));
  if (rest.starts_with('.')) {
    if (rest.size() < 5) return std::nullopt;
    for (size_t i = 1; i <= 3; ++i) {
      if (rest[i] < '0' || rest[i] > '9') return std::nullopt;
      millis = millis * 10 + (rest[i] - '0');
    }
    rest.remove_prefix(4);
  }
  if (rest != "Z") return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day_of_month)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const auto time = sys_days{date} + hours{hour} + minutes{minute} + seconds{second} + milliseconds{millis};
  return duration_cast<milliseconds>(time.time_since_epoch()).count();
}

std::optional<int64_t> parse_http_date_ms(std::string_view text) {
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  char weekday[4] = {}, month_name[4] = {}, zone[4] = {};
  int day_of_month = 0, year = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%n", weekday, &day_of_month,
                  month_name, &year, &hour, &minute, &second, zone, &consumed) != 8 ||
      static_cast<size_t>(consumed) != copy.size() || std::string_view(zone) != "GMT") {
    return std::nullopt;
  }
  const size_t month_at = kMonths.find(month_name);
  if (std::string_view(month_name).size() != 3 || month_at == std::string_view::npos || month_at % 3 != 0) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month_at / 3 + 1)},
                            std::chrono::day{static_cast<unsigned>(day_of_month)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const auto time = sys_days{date} + hours{hour} + minutes{minute} + seconds{second};
  return duration_cast<milliseconds>(time.time_since_epoch()).count();
}

}  // namespace live2
