#include "api/prometheus_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "prometheus_format.h"

namespace live2::api {
namespace {

using ::testing::HasSubstr;

TEST(PrometheusRegistry, RendersCountersHistogramsAndCollectedFamilies) {
  PrometheusRegistry registry;
  registry.declare_counter("demo_requests_total", "Requests.");
  registry.declare_histogram("demo_latency_seconds", "Latency.", {0.1, 1});
  registry.declare_collected("demo_jobs", "Jobs.", "gauge", [] {
    return std::vector<MetricSample>{{{{"status", "queued"}}, 3}};
  });
  registry.add("demo_requests_total", {{"route", "/a"}, {"status", "200"}});
  registry.add("demo_requests_total", {{"route", "/a"}, {"status", "200"}});
  registry.observe("demo_latency_seconds", {{"route", "/a"}}, 0.05);
  registry.observe("demo_latency_seconds", {{"route", "/a"}}, 0.5);
  registry.observe("demo_latency_seconds", {{"route", "/a"}}, 5);

  const std::string text = registry.render();
  EXPECT_THAT(text, HasSubstr("# HELP demo_requests_total Requests.\n# TYPE demo_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("demo_requests_total{route=\"/a\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("demo_latency_seconds_bucket{route=\"/a\",le=\"0.1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("demo_latency_seconds_bucket{route=\"/a\",le=\"1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("demo_latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("demo_latency_seconds_count{route=\"/a\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("demo_jobs{status=\"queued\"} 3\n"));
  EXPECT_THAT(testing::prometheus_format_problems(text), ::testing::IsEmpty()) << text;
}

TEST(PrometheusRegistry, EscapesLabelValues) {
  PrometheusRegistry registry;
  registry.declare_counter("demo_total", "Demo.");
  registry.add("demo_total", {{"path", "a\"b\\c\nd"}});
  EXPECT_THAT(registry.render(), HasSubstr(R"(demo_total{path="a\"b\\c\nd"} 1)"));
  EXPECT_THAT(testing::prometheus_format_problems(registry.render()), ::testing::IsEmpty());
}

TEST(PrometheusRegistry, UndeclaredOrWronglyTypedNamesAreBugs) {
  PrometheusRegistry registry;
  registry.declare_counter("demo_total", "Demo.");
  EXPECT_THROW(registry.add("other_total", {}), std::logic_error);
  EXPECT_THROW(registry.observe("demo_total", {}, 1), std::logic_error);
  EXPECT_THROW(registry.declare_counter("demo_total", "again"), std::logic_error);
}

TEST(PrometheusFormatChecker, FindsTheUsualMistakes) {
  EXPECT_FALSE(testing::prometheus_format_problems("# TYPE x counter\nx 1\n").empty());           // no HELP, no _total
  EXPECT_FALSE(testing::prometheus_format_problems("# HELP y Y.\n# TYPE y gauge\ny one\n").empty());  // bad value
  EXPECT_FALSE(testing::prometheus_format_problems("z 1\n").empty());                                 // no family
}

}  // namespace
}  // namespace live2::api
