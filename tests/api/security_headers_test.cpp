// The headers that keep live2's origin to itself in a browser, on every kind of response ApiService gives: the
// dashboard (a strict policy), the API (nothing to load, never framed, never sniffed) and signed artifact downloads
// (sandboxed; active content saved, not shown). A real SQLite store and a real LocalArtifactStore in temp dirs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "api/api_service.h"
#include "artifacts/local_artifact_store.h"
#include "base/hashing.h"
#include "core/ids.h"
#include "fake_service_parts.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"

namespace live2::api {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

class SecurityHeadersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores = std::move(SqliteStores::open(dir / "live2.db", clock).value());
    write_file(dir / "web" / "index.html", "<!doctype html><script type=module src=/assets/app.js></script>");
    write_file(dir / "web" / "assets" / "app.js", "console.log(1)");
    ApiParts parts{stores->jobs(), stores->jobs(), stores->api_keys(), artifacts,  executor, settings,
                   clock,          random,             &artifacts, nullptr,  dir / "web"};
    service = std::make_unique<ApiService>(parts, ApiServiceOptions{true, 15'000, 2'000, nullptr});
    key = new_api_key(random);
    const ApiKeyRecord record{"key_1", "alice", Tier::hobby, false, sha256_hex(key), clock.now_ms(), {}};
    ASSERT_TRUE(stores->api_keys().create_api_key(record).ok());
  }

  Response get(const std::string& target, const std::string& api_key = "") {
    Request request;
    request.method = "GET";
    request.target = target;
    if (!api_key.empty()) request.headers.emplace_back("authorization", "Bearer " + api_key);
    return service->handle(request);
  }

  // The signed download of an artifact named `name` that holds `content`, as the dashboard's link requests it.
  Response download(const std::string& name, const std::string& content) {
    const std::string key = "test/alice/job_1/" + name;
    write_file(dir / "artifacts" / key, content);
    const std::string url = artifacts.signed_url(key, clock.now_ms() / 1000 + 60);
    return get(url.substr(std::string("http://127.0.0.1:9").size()));
  }

  static std::string header(const Response& response, std::string_view name) {
    return std::string(response.header(name).value_or("(missing)"));
  }

  live2::testing::TempDir dir;
  FakeClock clock;
  OsRandomSource random;
  Settings settings;
  testing::FakeExecutor executor;
  LocalArtifactStore artifacts{dir / "artifacts", "test", "http://127.0.0.1:9", "secret", clock};
  std::unique_ptr<SqliteStores> stores;
  std::unique_ptr<ApiService> service;
  std::string key;
};

TEST_F(SecurityHeadersTest, DashboardHasAStrictPolicyWithoutInlineScriptOrStyle) {
  for (const char* path : {"/", "/jobs/job_1", "/assets/app.js"}) {
    Response page = get(path);
    ASSERT_EQ(page.status, 200) << path;
    const std::string policy = header(page, "Content-Security-Policy");
    EXPECT_THAT(policy, HasSubstr("default-src 'none'")) << path;
    EXPECT_THAT(policy, HasSubstr("script-src 'self';"));
    EXPECT_THAT(policy, HasSubstr("style-src 'self';"));
    EXPECT_THAT(policy, HasSubstr("connect-src 'self' http://127.0.0.1:9;"));  // the run report's files
    EXPECT_THAT(policy, HasSubstr("img-src 'self' data: http://127.0.0.1:9;"));  // the final picture's origin
    EXPECT_THAT(policy, HasSubstr("frame-ancestors 'none'"));
    EXPECT_THAT(policy, HasSubstr("base-uri 'none'"));
    EXPECT_THAT(policy, HasSubstr("form-action 'self'"));
    EXPECT_THAT(policy, Not(HasSubstr("unsafe")));
    EXPECT_EQ(header(page, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(page, "Referrer-Policy"), "no-referrer");
  }
}

TEST_F(SecurityHeadersTest, AnArtifactOriginThatCouldInjectDirectivesIsLeftOut) {
  EXPECT_THAT(dashboard_content_security_policy("https://files.example"),
              HasSubstr("img-src 'self' data: https://files.example;"));
  const std::string policy = dashboard_content_security_policy("https://x; script-src *");
  EXPECT_THAT(policy, HasSubstr("img-src 'self' data:;"));
  EXPECT_THAT(policy, Not(HasSubstr("*")));
}

TEST_F(SecurityHeadersTest, ApiResponsesLoadNothingAndAreNeverFramedOrSniffed) {
  Request too_large;
  too_large.method = "POST";
  too_large.target = "/api/v1/jobs";
  too_large.body_too_large = true;
  const std::vector<std::pair<std::string, Response>> responses{
      {"health", get("/health")},
      {"list", get("/api/v1/jobs", key)},
      {"no key", get("/api/v1/jobs")},
      {"unknown", get("/api/v1/nothing")},
      {"metrics", get("/metrics")},
      {"bad signature", get("/files/test/alice/job_1/x.json?expires=1&signature=00")},
      {"too large", service->handle(too_large)},
  };
  for (const auto& [what, response] : responses) {
    EXPECT_EQ(header(response, "Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'") << what;
    EXPECT_EQ(header(response, "X-Content-Type-Options"), "nosniff") << what;
  }
  EXPECT_EQ(responses[1].second.status, 200);
}

TEST_F(SecurityHeadersTest, AnHtmlReportIsShownSandboxedWithoutScriptOrFetches) {
  Response file = download("report.html", "<style>p{}</style><script>alert(sessionStorage.length)</script>");
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(header(file, "Content-Disposition"), "inline");
  // `sandbox` without allow-scripts: an opaque origin where no script runs (so none can read the dashboard's key);
  // default-src 'none': nothing is fetched; only inline styles and data: images apply.
  EXPECT_EQ(header(file, "Content-Security-Policy"),
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'");
  EXPECT_EQ(header(file, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(file, "Referrer-Policy"), "no-referrer");
}

TEST_F(SecurityHeadersTest, ArtifactDownloadsAreSandboxedAndActiveContentIsSaved) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases{
      {"plot.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "attachment"},
      {"data.xml", "<x/>", "attachment"},
      {"checkpoint/state.bin", "<html><script>alert(1)</script>", "attachment"},
      {"final.png", "\x89PNG", "inline"},
      {"summary.json", "{}", "inline"},
      {"metrics.csv", "step\n", "inline"},
      {"simulation.log", "<img src=x onerror=alert(1)>", "inline"},
  };
  for (const auto& [name, content, disposition] : cases) {
    Response file = download(name, content);
    ASSERT_EQ(file.status, 200) << name;
    ASSERT_TRUE(file.file.has_value()) << name;
    EXPECT_EQ(header(file, "Content-Security-Policy"), "sandbox; default-src 'none'; frame-ancestors 'none'") << name;
    EXPECT_EQ(header(file, "Content-Disposition"), disposition) << name;
    EXPECT_EQ(header(file, "X-Content-Type-Options"), "nosniff") << name;
    EXPECT_EQ(header(file, "Referrer-Policy"), "no-referrer") << name;
  }
}

}  // namespace
}  // namespace live2::api
