// ApiService without sockets: the request pipeline and every route against a real SQLite store in a temp dir,
// with a fake executor and artifact store and a clock the test moves.
#include "api/api_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "api/json_responses.h"
#include "base/hashing.h"
#include "core/ids.h"
#include "core/status_machine.h"
#include "fake_service_parts.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"

namespace live2::api {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSmallJob =
    R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry",)"
    R"("config":{"num_particles":100,"temperature":300,"steps":1000}}}})";

// 2 x 2 x 2 small runs.
constexpr const char* kSmallDataset =
    R"({"job_type":"generate_dataset","name":"T x carbon","params":{"simulation_config":{"mode":"open_chemistry",)"
    R"("config":{"num_particles":100,"steps":1000}},"sweep":{"temperature":[300,450],"composition.C":[0.1,0.2]},)"
    R"("replicas":2}})";

class ApiServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores = std::move(SqliteStores::open(dir / "live2.db", clock).value());
    settings.tier_limits[Tier::hobby] =
        TierLimits{2, 1000, 100'000'000, 1000, 1LL << 30, 2, 4096, 100, 2};  // fits the default job
    settings.max_body_bytes = 4096;
    ApiParts parts{stores->jobs(), stores->jobs(), stores->api_keys(), artifacts, executor,    settings,
                   clock,          random,             nullptr,   nullptr,     std::nullopt};
    service = std::make_unique<ApiService>(parts, ApiServiceOptions{true, 15'000, 2'000, nullptr});
    alice = add_key("alice", Tier::hobby, false);
    bob = add_key("bob", Tier::hobby, false);
    admin = add_key("root", Tier::research, true);
  }

  std::string add_key(const std::string& user, Tier tier, bool is_admin) {
    std::string key = new_api_key(random);
    ApiKeyRecord record{new_random_id("key_", random), user, tier, is_admin, sha256_hex(key), clock.now_ms(), {}};
    EXPECT_TRUE(stores->api_keys().create_api_key(record).ok());
    key_ids[key] = record.key_id;
    return key;
  }

  Response call(const std::string& method, const std::string& target, const std::string& key,
                const std::string& body = "", std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.headers = std::move(headers);
    if (!key.empty()) request.headers.emplace_back("authorization", "Bearer " + key);
    if (!body.empty()) request.headers.emplace_back("content-type", "application/json");
    return service->handle(request);
  }

  static json::value body_of(const Response& response) { return json::parse(response.body); }
  static std::string error_code(const Response& response) {
    return std::string(body_of(response).at("error").at("code").as_string());
  }

  std::string submit(const std::string& key, const std::string& body = kSmallJob) {
    Response response = call("POST", "/api/v1/jobs", key, body);
    EXPECT_EQ(response.status, 202) << response.body;
    return std::string(body_of(response).at("job_id").as_string());
  }

  live2::testing::TempDir dir;
  FakeClock clock;
  OsRandomSource random;
  Settings settings;
  testing::FakeExecutor executor;
  testing::FakeArtifactStore artifacts;
  std::unique_ptr<SqliteStores> stores;
  std::unique_ptr<ApiService> service;
  std::string alice, bob, admin;
  std::map<std::string, std::string> key_ids;
};

TEST_F(ApiServiceTest, HealthNeedsNoKeyAndEveryResponseHasARequestId) {
  Response response = call("GET", "/health", "");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(body_of(response).at("status"), "ok");
  EXPECT_THAT(std::string(*response.header("X-Request-Id")), ::testing::StartsWith("req_"));
  Response echoed = call("GET", "/health", "", "", {{"x-request-id", "client-42"}});
  EXPECT_EQ(*echoed.header("X-Request-Id"), "client-42");
  Response insane = call("GET", "/health", "", "", {{"x-request-id", "has spaces\""}});
  EXPECT_NE(*insane.header("X-Request-Id"), "has spaces\"");
}

TEST_F(ApiServiceTest, MissingUnknownAndRevokedKeysAre401) {
  EXPECT_EQ(call("GET", "/api/v1/jobs", "").status, 401);
  EXPECT_EQ(error_code(call("GET", "/api/v1/jobs", "")), "unauthorized");
  EXPECT_EQ(call("GET", "/api/v1/jobs", "sk_live_00000000000000000000000000000000").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/jobs", "not-a-key").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/jobs", alice).status, 200);

  ASSERT_TRUE(stores->api_keys().revoke_api_key(key_ids[alice], clock.now_ms()).ok());
  clock.advance_ms(ApiKeyAuthenticator::kDefaultCacheTtlMs);  // the cached record expires
  EXPECT_EQ(call("GET", "/api/v1/jobs", alice).status, 401);
}

TEST_F(ApiServiceTest, XApiKeyHeaderWorksToo) {
  Request request;
  request.method = "GET";
  request.target = "/api/v1/jobs";
  request.headers.emplace_back("x-api-key", alice);
  EXPECT_EQ(service->handle(request).status, 200);
}

TEST_F(ApiServiceTest, OversizedBodyIs413AndClosesTheConnection) {
  Request request;
  request.method = "POST";
  request.target = "/api/v1/jobs";
  request.body_too_large = true;
  Response response = service->handle(request);
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(error_code(response), "payload_too_large");
  EXPECT_TRUE(response.close_connection);
}

TEST_F(ApiServiceTest, UnknownPathIs404AndWrongMethodIs405) {
  EXPECT_EQ(call("GET", "/api/v1/nope", alice).status, 404);
  Response wrong = call("DELETE", "/api/v1/jobs", alice);
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(*wrong.header("Allow"), "GET, POST");
}

TEST_F(ApiServiceTest, SubmitAnswers202WithLocationAndWakesTheExecutor) {
  Response response = call("POST", "/api/v1/jobs", alice, kSmallJob);
  ASSERT_EQ(response.status, 202) << response.body;
  json::value job = body_of(response);
  EXPECT_EQ(job.at("status"), "queued");
  EXPECT_GT(job.at("estimated_time").to_number<double>(), 0);
  EXPECT_EQ(*response.header("Location"), "/api/v1/jobs/" + std::string(job.at("job_id").as_string()));
  EXPECT_EQ(executor.wakes, 1);
}

TEST_F(ApiServiceTest, SubmitRejectsWrongContentTypeAndBrokenJson) {
  Request request;
  request.method = "POST";
  request.target = "/api/v1/jobs";
  request.body = kSmallJob;
  request.headers = {{"authorization", "Bearer " + alice}, {"content-type", "text/plain"}};
  EXPECT_EQ(service->handle(request).status, 400);
  Response broken = call("POST", "/api/v1/jobs", alice, "{not json");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(error_code(broken), "bad_request");
}

TEST_F(ApiServiceTest, ValidationListsEveryBadField) {
  Response response = call("POST", "/api/v1/jobs", alice,
                           R"({"job_type":"run_simulation","colour":"red","params":{"simulation_config":{)"
                           R"("mode":"open_chemistry","config":{"num_particles":-1,"steps":"many"}}}})");
  ASSERT_EQ(response.status, 422);
  std::set<std::string> fields;
  const json::value body = body_of(response);
  for (const auto& detail : body.at("error").at("details").as_array()) {
    fields.insert(std::string(detail.at("field").as_string()));
  }
  EXPECT_TRUE(fields.count("colour"));
  EXPECT_TRUE(fields.count("params.simulation_config.config.num_particles"));
  EXPECT_TRUE(fields.count("params.simulation_config.config.steps"));
}

TEST_F(ApiServiceTest, TooManyParticleStepsForTheTierIs422) {
  Response response = call("POST", "/api/v1/jobs", alice,
                           R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry",)"
                           R"("config":{"num_particles":10000,"steps":100000}}}})");
  EXPECT_EQ(response.status, 422);
  EXPECT_THAT(response.body, HasSubstr("particle-steps per job"));
}

TEST_F(ApiServiceTest, OutputOverTheTierBudgetIs422NamingTheParameterToChange) {
  auto job_with = [](const std::string& config) {
    return R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry","config":{)" +
           config + "}}}}";
  };
  struct Case {
    int64_t budget_bytes;
    std::string config;
    std::string field;
  };
  const Case cases[] = {
      // 10,001 snapshots of 1,000 atoms: about 400 MB
      {100'000'000, R"("num_particles":1000,"steps":10000,"snapshot_interval":1)", "snapshot_interval"},
      // 10,001 metrics rows beside 2 snapshots of 100 atoms
      {2'000'000, R"("num_particles":100,"steps":10000,"analysis_interval":1,"snapshot_interval":10000)",
       "analysis_interval"},
      // only the first and last snapshot, but 10,000 atoms in the checkpoint and chemistry tables
      {2'000'000, R"("num_particles":10000,"steps":1000,"snapshot_interval":1000)", "num_particles"},
  };
  for (const Case& c : cases) {
    settings.tier_limits[Tier::hobby].output_bytes_per_job = c.budget_bytes;
    Response refused = call("POST", "/api/v1/jobs", alice, job_with(c.config));
    EXPECT_EQ(refused.status, 422) << c.config;
    const auto details = body_of(refused).at("error").at("details").as_array();
    ASSERT_EQ(details.size(), 1u) << refused.body;
    EXPECT_EQ(details[0].at("field").as_string(), "params.simulation_config.config." + c.field) << refused.body;
    EXPECT_THAT(std::string(details[0].at("message").as_string()),
                HasSubstr("bytes per job of the hobby tier")) << refused.body;
  }
  EXPECT_EQ(stores->jobs().count_jobs_by_status(JobStatus::queued).value(), 0) << "a refused job changes nothing";

  // Under the default budget the same jobs fit, and each carries its budget to the worker.
  settings.tier_limits[Tier::hobby].output_bytes_per_job = default_limits(Tier::hobby).output_bytes_per_job;
  const std::string job_id = submit(alice, job_with(cases[0].config));
  EXPECT_EQ(stores->jobs().get_job(job_id).value()->output_budget_bytes,
            default_limits(Tier::hobby).output_bytes_per_job);
}

TEST_F(ApiServiceTest, SubmitsGet503WhileTheDiskIsBelowItsReserveAndResumeAfter) {
  settings.data_dir = dir.path().string();
  settings.min_free_disk_bytes = 1LL << 50;  // more than any disk has: "full"
  Response refused = call("POST", "/api/v1/jobs", alice, kSmallJob);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(error_code(refused), "storage_full");
  EXPECT_THAT(refused.body, HasSubstr("out of disk space"));
  EXPECT_THAT(refused.body, Not(HasSubstr(dir.path().string()))) << "paths stay in the server's log";
  EXPECT_EQ(refused.header("retry-after").value_or(""), "60");
  EXPECT_EQ(stores->jobs().count_jobs_by_status(JobStatus::queued).value(), 0);
  settings.min_free_disk_bytes = 1;  // space is back: no restart needed
  submit(alice);
}

TEST_F(ApiServiceTest, WebhookToALiteralInternalAddressIsRefusedAtSubmit) {
  auto with_webhook = [](const std::string& url) {
    return R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry"}},)"
           R"("webhook_url":")" + url + R"("})";
  };
  for (const char* url : {"https://169.254.169.254/latest/meta-data", "https://10.0.0.7/hook", "https://[::1]/hook",
                          "https://[::ffff:127.0.0.1]:8443/hook", "https://2130706433/hook", "https://0x7f000001/",
                          "https://127.1/", "https://0/", "https://0177.0.0.1/", "https://localhost/hook",
                          "https://api.localhost/hook", "https://hooks.example.com:0/",
                          "https://hooks.example.com:65536/"}) {
    Response response = call("POST", "/api/v1/jobs", alice, with_webhook(url));
    EXPECT_EQ(response.status, 422) << url;
    EXPECT_THAT(response.body, HasSubstr("\"field\":\"webhook_url\"")) << url;
  }
  // Names are judged at each delivery, when they are resolved; a public literal address is fine now.
  submit(alice, with_webhook("https://hooks.example.com/live2"));
  submit(alice, with_webhook("https://93.184.216.34/hook"));
}

TEST_F(ApiServiceTest, IdempotentReplayIs200AndADifferentBodyIs409) {
  const std::vector<std::pair<std::string, std::string>> key_header{{"idempotency-key", "order-1"}};
  Response first = call("POST", "/api/v1/jobs", alice, kSmallJob, key_header);
  ASSERT_EQ(first.status, 202);
  Response replay = call("POST", "/api/v1/jobs", alice, kSmallJob, key_header);
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(body_of(replay).at("job_id"), body_of(first).at("job_id"));
  std::string other = kSmallJob;
  other.replace(other.find("1000}"), 4, "2000");
  Response conflict = call("POST", "/api/v1/jobs", alice, other, key_header);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(error_code(conflict), "conflict");
}

TEST_F(ApiServiceTest, ActiveJobQuotaIs429WithRetryAfter) {
  submit(alice);
  submit(alice);
  Response refused = call("POST", "/api/v1/jobs", alice, kSmallJob);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(error_code(refused), "quota_exceeded");
  EXPECT_TRUE(refused.header("Retry-After").has_value());
}

TEST_F(ApiServiceTest, RequestRateLimitIs429WithRetryAfter) {
  settings.tier_limits[Tier::hobby].requests_per_minute = 3;
  for (int i = 0; i < 3; ++i) ASSERT_EQ(call("GET", "/api/v1/jobs", alice).status, 200);
  Response limited = call("GET", "/api/v1/jobs", alice);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(error_code(limited), "rate_limited");
  EXPECT_EQ(*limited.header("Retry-After"), "20");
  EXPECT_EQ(call("GET", "/api/v1/jobs", bob).status, 200);  // per user
}

TEST_F(ApiServiceTest, OtherUsersJobsAre404AndAdminsSeeThem) {
  const std::string job_id = submit(alice);
  EXPECT_EQ(call("GET", "/api/v1/jobs/" + job_id, alice).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/jobs/" + job_id, bob).status, 404);
  EXPECT_EQ(call("POST", "/api/v1/jobs/" + job_id + "/cancel", bob).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/jobs/" + job_id + "/logs", bob).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/jobs/" + job_id, admin).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/jobs/job_nonexistent0000000000000", alice).status, 404);
  EXPECT_TRUE(body_of(call("GET", "/api/v1/jobs", bob)).at("jobs").as_array().empty());
  EXPECT_EQ(body_of(call("GET", "/api/v1/jobs", admin)).at("jobs").as_array().size(), 1u);
}

TEST_F(ApiServiceTest, ListPagesWithAnOpaqueCursorAndFilters) {
  settings.tier_limits[Tier::hobby].concurrent_jobs = 100;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(submit(alice));
    clock.advance_ms(1);
  }
  std::vector<std::string> seen;
  std::string target = "/api/v1/jobs?limit=2";
  for (int page = 0; page < 5; ++page) {
    json::value body = body_of(call("GET", target, alice));
    for (const auto& job : body.at("jobs").as_array()) seen.emplace_back(job.at("job_id").as_string());
    if (body.at("next_cursor").is_null()) break;
    submit(alice);  // new jobs do not disturb the paging
    target = "/api/v1/jobs?limit=2&cursor=" + std::string(body.at("next_cursor").as_string());
  }
  EXPECT_EQ(seen, std::vector<std::string>(ids.rbegin(), ids.rend()));

  EXPECT_EQ(call("GET", "/api/v1/jobs?status=queued,running", alice).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/jobs?status=cancelled", alice).body.find("job_"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/jobs?status=sleeping", alice).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/jobs?limit=0", alice).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/jobs?limit=101", alice).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/jobs?cursor=garbage", alice).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/jobs?job_type=bake", alice).status, 400);
}

TEST_F(ApiServiceTest, JobsCarryANameAndTagsAndListByThem) {
  settings.tier_limits[Tier::hobby].concurrent_jobs = 100;
  const std::string labelled = R"({"job_type":"run_simulation","name":"T scan","tags":{"project":"origins"},)"
                               R"("params":{"simulation_config":{"mode":"open_chemistry",)"
                               R"("config":{"num_particles":100,"steps":100}}}})";
  const std::string scan = submit(alice, labelled);
  submit(alice);
  const json::value job = body_of(call("GET", "/api/v1/jobs/" + scan, alice));
  EXPECT_EQ(job.at("name"), json::value("T scan"));
  EXPECT_EQ(job.at("tags"), json::parse(R"({"project":"origins"})"));

  auto ids = [&](const std::string& query, const std::string& key) {
    std::vector<std::string> found;
    const json::value listing = body_of(call("GET", "/api/v1/jobs?" + query, key));
    for (const auto& item : listing.at("jobs").as_array()) {
      found.emplace_back(item.at("job_id").as_string());
    }
    return found;
  };
  EXPECT_EQ(ids("name=scan", alice), std::vector<std::string>{scan});
  EXPECT_EQ(ids("tag=project:origins", alice), std::vector<std::string>{scan});
  EXPECT_EQ(ids("tag=project", alice), std::vector<std::string>{scan});
  EXPECT_TRUE(ids("tag=project:origins", bob).empty());
  EXPECT_EQ(ids("tag=project:origins", admin), std::vector<std::string>{scan});
  EXPECT_EQ(call("GET", "/api/v1/jobs?tag=bad%20key:x", alice).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/jobs?tag=a&tag=b&tag=c&tag=d&tag=e", alice).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/jobs?name=", alice).status, 400);

  const std::string too_many_tags = [] {
    std::string tags;
    for (int i = 0; i < 17; ++i) tags += (tags.empty() ? "\"k" : ",\"k") + std::to_string(i) + "\":\"v\"";
    return R"({"job_type":"run_simulation","tags":{)" + tags +
           R"(},"params":{"simulation_config":{"mode":"open_chemistry"}}})";
  }();
  EXPECT_EQ(call("POST", "/api/v1/jobs", alice, too_many_tags).status, 422);
}

TEST_F(ApiServiceTest, DatasetsAreRefusedWhileTheExecutorCannotRunThem) {
  executor.datasets = false;
  Response refused = call("POST", "/api/v1/jobs", alice, kSmallDataset);
  EXPECT_EQ(refused.status, 422);
  EXPECT_THAT(refused.body, HasSubstr("job_type"));
  EXPECT_TRUE(body_of(call("GET", "/api/v1/jobs", alice)).at("jobs").as_array().empty());
}

TEST_F(ApiServiceTest, ADatasetIsOneJobWithItsRunsStoredBesideIt) {
  executor.datasets = true;
  const std::string job_id = submit(alice, kSmallDataset);
  const json::value job = body_of(call("GET", "/api/v1/jobs/" + job_id, alice));
  EXPECT_EQ(job.at("job_type"), json::value("generate_dataset"));
  EXPECT_EQ(job.at("runs"),
            json::parse(R"({"total":8,"queued":8,"running":0,"completed":0,"failed":0,"cancelled":0})"));
  EXPECT_EQ(job.at("estimate").at("particle_steps"), json::value(8 * 100 * 1000));
  EXPECT_GT(job.at("estimate").at("run_time_s").to_number<double>(), 0);
  // Runs are not jobs.
  EXPECT_EQ(body_of(call("GET", "/api/v1/jobs", alice)).at("jobs").as_array().size(), 1u);
  Result<std::vector<live2::Run>> runs = stores->jobs().list_runs(job_id, 0, 100);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 8u);
  EXPECT_EQ(json::parse(runs->at(5).sweep_json), json::parse(R"({"temperature":450,"composition.C":0.1})"));

  // Cancelled before any executor took it: its runs are cancelled with it.
  EXPECT_EQ(body_of(call("POST", "/api/v1/jobs/" + job_id + "/cancel", alice)).at("runs").at("cancelled"),
            json::value(8));
}

TEST_F(ApiServiceTest, ADatasetsRunsArePagedByIndexAndHiddenFromOtherUsers) {
  executor.datasets = true;
  const std::string job_id = submit(alice, kSmallDataset);
  ASSERT_TRUE(stores->jobs()
                  .update_run(job_id, 6, [](live2::Run& run) {
                    run.status = JobStatus::failed;
                    run.error = "the worker exited with code 1";
                    return true;
                  })
                  .ok());
  const std::string runs = "/api/v1/jobs/" + job_id + "/runs";
  const json::value first = body_of(call("GET", runs + "?limit=3", alice));
  ASSERT_EQ(first.at("runs").as_array().size(), 3u);
  const json::value& run = first.at("runs").at(2);
  EXPECT_EQ(run.at("index"), json::value(2));
  EXPECT_EQ(run.at("status"), json::value("queued"));
  EXPECT_EQ(run.at("sweep"), json::parse(R"({"temperature":300,"composition.C":0.2})"));
  EXPECT_EQ(run.at("params").at("simulation_config").at("config").at("seed"), run.at("seed"));
  EXPECT_EQ(run.at("artifacts_prefix"), json::value("runs/2/"));
  const std::string cursor(first.at("next_cursor").as_string());
  const json::value rest = body_of(call("GET", runs + "?limit=100&cursor=" + cursor, alice));
  ASSERT_EQ(rest.at("runs").as_array().size(), 5u);
  EXPECT_EQ(rest.at("runs").at(0).at("index"), json::value(3));
  EXPECT_TRUE(rest.at("next_cursor").is_null());
  // The runs that failed for good.
  const json::value failed = body_of(call("GET", runs + "?status=failed", alice));
  ASSERT_EQ(failed.at("runs").as_array().size(), 1u);
  EXPECT_EQ(failed.at("runs").at(0).at("error"), json::value("the worker exited with code 1"));

  EXPECT_EQ(call("GET", runs, bob).status, 404);  // another user's dataset does not exist for bob
  EXPECT_EQ(call("GET", runs, admin).status, 200);
  EXPECT_EQ(call("GET", runs + "?cursor=c1_abc", alice).status, 400);
  EXPECT_EQ(call("GET", runs + "?status=done", alice).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/jobs/" + submit(alice) + "/runs", alice).status, 404);  // a single job has none
}

TEST_F(ApiServiceTest, ADatasetsProblemsNameTheSweepEntryAndTheTierLimits) {
  executor.datasets = true;
  std::string bad_value = kSmallDataset;
  bad_value.replace(bad_value.find("[300,450]"), 9, "[300,-4]");
  Response refused = call("POST", "/api/v1/jobs", alice, bad_value);
  EXPECT_EQ(refused.status, 422);
  EXPECT_THAT(refused.body, HasSubstr("params.sweep.temperature[1]"));

  settings.tier_limits[Tier::hobby].runs_per_dataset = 7;
  Response too_many = call("POST", "/api/v1/jobs", alice, kSmallDataset);
  EXPECT_EQ(too_many.status, 422);
  EXPECT_THAT(too_many.body, HasSubstr("8 runs"));
  settings.tier_limits[Tier::hobby].runs_per_dataset = 100;

  settings.tier_limits[Tier::hobby].particle_steps_per_job = 7 * 100 * 1000;  // one run fits, eight do not
  Response too_big = call("POST", "/api/v1/jobs", alice, kSmallDataset);
  EXPECT_EQ(too_big.status, 422);
  EXPECT_THAT(too_big.body, HasSubstr("over the dataset's runs"));
  EXPECT_TRUE(body_of(call("GET", "/api/v1/jobs", alice)).at("jobs").as_array().empty());
}

TEST_F(ApiServiceTest, CancelFollowsTheHandOverState) {
  const std::string queued = submit(alice);
  Response cancelled = call("POST", "/api/v1/jobs/" + queued + "/cancel", alice);
  ASSERT_EQ(cancelled.status, 200);
  EXPECT_EQ(body_of(cancelled).at("status"), "cancelled");
  EXPECT_EQ(call("POST", "/api/v1/jobs/" + queued + "/cancel", alice).status, 409);

  const std::string handed_over = submit(alice);
  ASSERT_TRUE(stores->jobs().update_job(handed_over, [&](Job& job) {
    job.executor.submit_state = SubmitState::submitted;
    job.executor.kind = "local";
    return transition(job, JobStatus::running, clock.now_ms()).ok();
  }).ok());
  const int wakes_before = executor.wakes;
  Response requested = call("POST", "/api/v1/jobs/" + handed_over + "/cancel", alice);
  ASSERT_EQ(requested.status, 200);
  EXPECT_EQ(body_of(requested).at("status"), "running");
  EXPECT_EQ(body_of(requested).at("cancel_requested"), true);
  EXPECT_GT(executor.wakes, wakes_before);
  EXPECT_EQ(call("POST", "/api/v1/jobs/" + handed_over + "/cancel", alice).status, 200);  // twice is fine
}

TEST_F(ApiServiceTest, LogsArtifactsAndMetricsOfAJob) {
  const std::string job_id = submit(alice);
  Response logs = call("GET", "/api/v1/jobs/" + job_id + "/logs?tail=5", alice);
  EXPECT_EQ(logs.status, 200);
  EXPECT_EQ(logs.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(executor.last_tail_lines, 5);
  EXPECT_EQ(call("GET", "/api/v1/jobs/" + job_id + "/logs?tail=10001", alice).status, 400);
  call("GET", "/api/v1/jobs/" + job_id + "/logs", alice);
  EXPECT_EQ(executor.last_tail_lines, 200);

  EXPECT_EQ(call("GET", "/api/v1/jobs/" + job_id + "/metrics", alice).status, 404);
  artifacts.files["metrics.csv"] = "step,temperature\n0,300\n100,310.5\n";
  artifacts.files["summary.json"] = "{}";
  Response metrics = call("GET", "/api/v1/jobs/" + job_id + "/metrics", alice);
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(body_of(metrics).at("rows").as_array().size(), 2u);

  Response listing = call("GET", "/api/v1/jobs/" + job_id + "/artifacts?expires_in=60", alice);
  ASSERT_EQ(listing.status, 200);
  EXPECT_EQ(body_of(listing).at("expires_in"), 60);
  EXPECT_EQ(body_of(listing).at("artifacts").as_array()[0].at("name"), "metrics.csv");
  EXPECT_EQ(call("GET", "/api/v1/jobs/" + job_id + "/artifacts?expires_in=59", alice).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/jobs/" + job_id + "/artifacts?expires_in=604801", alice).status, 400);

  // A folder of the job's files: only what lies in it, and a prefix that is not a folder of the job's is a 400.
  artifacts.files["checkpoint/state.bin"] = "state";
  Response folder = call("GET", "/api/v1/jobs/" + job_id + "/artifacts?prefix=checkpoint/", alice);
  ASSERT_EQ(folder.status, 200);
  ASSERT_EQ(body_of(folder).at("artifacts").as_array().size(), 1u);
  EXPECT_EQ(body_of(folder).at("artifacts").as_array()[0].at("name"), "checkpoint/state.bin");
  EXPECT_EQ(body_of(call("GET", "/api/v1/jobs/" + job_id + "/artifacts", alice)).at("artifacts").as_array().size(), 3u);
  for (const std::string& prefix : std::vector<std::string>{"checkpoint", "/checkpoint/", "../", "a//", "runs/./",
                                                            "runs/%5C/", "%01/", std::string(300, 'a') + "/"}) {
    Response refused = call("GET", "/api/v1/jobs/" + job_id + "/artifacts?prefix=" + prefix, alice);
    EXPECT_EQ(refused.status, 400) << prefix;
  }
}

TEST_F(ApiServiceTest, EventsAnswerAnEventStream) {
  const std::string job_id = submit(alice);
  Response events = call("GET", "/api/v1/jobs/" + job_id + "/events", alice);
  EXPECT_EQ(events.status, 200);
  EXPECT_EQ(events.content_type, "text/event-stream");
  ASSERT_NE(events.event_stream, nullptr);
  EXPECT_EQ(events.event_stream->heartbeat_chunk(), ": heartbeat\n\n");
}

TEST_F(ApiServiceTest, ReadyReportsTheExecutorsReason) {
  EXPECT_EQ(call("GET", "/ready", "").status, 200);
  executor.ready = false;
  Response not_ready = call("GET", "/ready", "");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_THAT(not_ready.body, HasSubstr("no worker binary"));
}

TEST_F(ApiServiceTest, MetricsCountRequestsByRouteNotById) {
  const std::string job_id = submit(alice);
  call("GET", "/api/v1/jobs/" + job_id, alice);
  Response metrics = call("GET", "/metrics", admin);
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body,
              HasSubstr(R"(live2_http_requests_total{route="/api/v1/jobs/{job_id}",method="GET",status="2xx"} 1)"));
  EXPECT_THAT(metrics.body, HasSubstr(R"(live2_jobs{status="queued"} 1)"));
  EXPECT_THAT(metrics.body, HasSubstr(R"(live2_executor_calls_total{operation="wake",outcome="ok"} 1)"));
  EXPECT_EQ(metrics.body.find(job_id), std::string::npos);
}

// Labels come from fixed sets: made-up methods are `other`, unknown paths `unmatched`, statuses their class.
TEST_F(ApiServiceTest, MadeUpMethodsAndPathsAddNoMetricSeries) {
  auto series_count = [&] {
    const std::string text = call("GET", "/metrics", admin).body;
    return std::count(text.begin(), text.end(), '\n');
  };
  call("BREW", "/api/v1/coffee-0", alice);
  call("GET", "/api/v1/nothing-0", alice);
  call("GET", "/metrics", admin);
  const auto before = series_count();
  for (int i = 1; i <= 200; ++i) {
    call("BREW" + std::to_string(i), "/api/v1/coffee-" + std::to_string(i), alice);
    call("GET", "/api/v1/nothing-" + std::to_string(i), alice);
  }
  const std::string text = call("GET", "/metrics", admin).body;
  EXPECT_EQ(series_count(), before);
  EXPECT_THAT(text, HasSubstr(R"(live2_http_requests_total{route="unmatched",method="other",status="4xx"} 201)"));
  EXPECT_EQ(text.find("BREW"), std::string::npos);
  EXPECT_EQ(text.find("nothing-"), std::string::npos);
}

TEST_F(ApiServiceTest, MetricsOnTheMainListenerNeedAnAdminKey) {
  EXPECT_EQ(call("GET", "/metrics", "").status, 401);
  Response user = call("GET", "/metrics", alice);
  EXPECT_EQ(user.status, 403);
  EXPECT_EQ(error_code(user), "forbidden");
  EXPECT_EQ(call("GET", "/metrics", admin).status, 200);
  Request scrape;
  scrape.method = "GET";
  scrape.target = "/metrics";
  EXPECT_EQ(service->handle_metrics_listener(scrape).status, 200);  // its own listener is for the scraper alone
}

TEST_F(ApiServiceTest, TheBearerSchemeIsCaseInsensitive) {
  for (const char* scheme : {"bearer ", "BEARER ", "bEaReR ", "Bearer   "}) {
    Request request;
    request.method = "GET";
    request.target = "/api/v1/jobs";
    request.headers.emplace_back("authorization", scheme + alice);
    EXPECT_EQ(service->handle(request).status, 200) << scheme;
  }
  Request basic;
  basic.method = "GET";
  basic.target = "/api/v1/jobs";
  basic.headers.emplace_back("authorization", "Basic " + alice);
  EXPECT_EQ(service->handle(basic).status, 401);
}

TEST_F(ApiServiceTest, A422ListsABoundedNumberOfProblems) {
  std::string body = R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry"}})";
  for (int i = 0; i < 150; ++i) body += ",\"unknown_" + std::to_string(i) + "\":1";
  body += "}";
  Response response = call("POST", "/api/v1/jobs", alice, body);
  ASSERT_EQ(response.status, 422);
  const json::value parsed = body_of(response);
  const json::object& error = parsed.at("error").as_object();
  EXPECT_EQ(error.at("details").as_array().size(), kMaxErrorDetails);
  EXPECT_EQ(error.at("details_truncated"), true);
  EXPECT_EQ(error.at("details_total"), 150);
  EXPECT_THAT(std::string(error.at("message").as_string()), HasSubstr("150"));
  // A short list is whole and says nothing more.
  Response few = call("POST", "/api/v1/jobs", alice, R"({"job_type":"run_simulation","a":1,"b":2})");
  ASSERT_EQ(few.status, 422);
  EXPECT_FALSE(body_of(few).at("error").as_object().contains("details_truncated"));
}

// Failed authentications are limited per client address; past the limit made-up keys cost no store lookup, and
// only keys the cache already holds still get in.
TEST_F(ApiServiceTest, FailedAuthenticationsAreLimitedPerClientAddress) {
  settings.auth_failures_per_minute = 3;
  auto from = [&](const std::string& address, const std::string& key) {
    Request request;
    request.method = "GET";
    request.target = "/api/v1/jobs";
    request.remote_address = address;
    if (!key.empty()) request.headers.emplace_back("authorization", "Bearer " + key);
    return service->handle(request);
  };
  const std::string made_up = "sk_live_00000000000000000000000000000000";
  ASSERT_EQ(from("198.51.100.4", alice).status, 200);  // alice's key is now cached
  EXPECT_EQ(from("198.51.100.4", made_up).status, 401);
  EXPECT_EQ(from("198.51.100.4", "").status, 401);
  EXPECT_EQ(from("198.51.100.4", "not-a-key").status, 401);
  Response limited = from("198.51.100.4", made_up);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(error_code(limited), "rate_limited");
  EXPECT_EQ(*limited.header("Retry-After"), "20");
  EXPECT_EQ(from("198.51.100.4", alice).status, 200);  // cached: no lookup needed
  // bob's key is valid but not cached: past the limit the store is not asked, so it waits too.
  EXPECT_EQ(from("198.51.100.4", bob).status, 429);
  EXPECT_EQ(from("203.0.113.9", bob).status, 200);  // another address has its own count
  clock.advance_ms(20'000);
  EXPECT_EQ(from("198.51.100.4", made_up).status, 401);
  EXPECT_EQ(from("198.51.100.4", made_up).status, 429);
}

TEST_F(ApiServiceTest, EventStreamsPerUserAreCapped) {
  ASSERT_GE(settings.event_streams_per_user, 16);  // the default lets a busy dashboard and a few scripts coexist
  const std::string job_id = submit(alice);
  std::vector<Response> open;
  for (int64_t i = 0; i < settings.event_streams_per_user; ++i) {
    open.push_back(call("GET", "/api/v1/jobs/" + job_id + "/events", alice));
    ASSERT_TRUE(open.back().event_stream) << i;
  }
  Response refused = call("GET", "/api/v1/jobs/" + job_id + "/events", alice);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(error_code(refused), "quota_exceeded");
  EXPECT_TRUE(refused.header("Retry-After").has_value());
  EXPECT_FALSE(refused.event_stream);
  EXPECT_TRUE(call("GET", "/api/v1/jobs/" + job_id + "/events", admin).event_stream);  // per user
  open.front().event_stream->close();  // the server closes a stream when its connection ends
  EXPECT_TRUE(call("GET", "/api/v1/jobs/" + job_id + "/events", alice).event_stream);
}

TEST_F(ApiServiceTest, WithoutADashboardTheRootIsATextPage) {
  Response root = call("GET", "/", "");
  EXPECT_EQ(root.status, 200);
  EXPECT_THAT(root.body, HasSubstr("/api/v1"));
  EXPECT_EQ(call("GET", "/jobs/123", "").status, 404);
}

}  // namespace
}  // namespace live2::api
