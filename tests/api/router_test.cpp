#include "api/router.h"

#include <gtest/gtest.h>

namespace live2::api {
namespace {

Response text(std::string body) {
  Response response;
  response.body = std::move(body);
  return response;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add("GET", "/api/v1/jobs", Access::authenticated, [](ApiCall&) { return text("list"); });
    router.add("POST", "/api/v1/jobs", Access::authenticated, [](ApiCall&) { return text("create"); });
    router.add("GET", "/api/v1/jobs/{job_id}", Access::authenticated, [](ApiCall&) { return text("get"); });
    router.add("POST", "/api/v1/jobs/{job_id}/cancel", Access::authenticated, [](ApiCall&) { return text("cancel"); });
    router.add("GET", "/files/{key...}", Access::public_route, [](ApiCall&) { return text("file"); });
  }
  Router router;
};

TEST_F(RouterTest, MatchesLiteralRoutesByMethod) {
  EXPECT_EQ(router.match("GET", "/api/v1/jobs").route->pattern, "/api/v1/jobs");
  EXPECT_EQ(router.match("POST", "/api/v1/jobs").route->method, "POST");
}

TEST_F(RouterTest, CapturesOneSegment) {
  RouteMatch match = router.match("POST", "/api/v1/jobs/job_abc/cancel");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/jobs/{job_id}/cancel");
  EXPECT_EQ(match.params.at("job_id"), "job_abc");
}

TEST_F(RouterTest, RestCaptureTakesEverySegment) {
  RouteMatch match = router.match("GET", "/files/prod/user_1/job_x/checkpoint/state.bin");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.params.at("key"), "prod/user_1/job_x/checkpoint/state.bin");
  EXPECT_EQ(router.match("GET", "/files").route, nullptr);
}

TEST_F(RouterTest, WrongMethodOnKnownPathListsAllowedMethods) {
  RouteMatch match = router.match("DELETE", "/api/v1/jobs");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_known);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
}

TEST_F(RouterTest, HeadIsServedByTheGetRoute) {
  RouteMatch match = router.match("HEAD", "/api/v1/jobs/job_abc");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->method, "GET");
  EXPECT_EQ(match.params.at("job_id"), "job_abc");
  EXPECT_EQ(router.match("HEAD", "/api/v1/jobs/job_abc/cancel").route, nullptr);  // a POST-only path
}

TEST_F(RouterTest, UnknownPathsAndEmptySegmentsDoNotMatch) {
  EXPECT_FALSE(router.match("GET", "/api/v1/nothing").path_known);
  EXPECT_EQ(router.match("GET", "/api/v1/jobs/").route, nullptr);
  EXPECT_EQ(router.match("GET", "/api/v1/jobs/a/b").route, nullptr);
  EXPECT_EQ(router.match("GET", "").route, nullptr);
}

}  // namespace
}  // namespace live2::api
