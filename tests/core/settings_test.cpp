#include "core/settings.h"

#include <gtest/gtest.h>

namespace live2 {
namespace {

TEST(Settings, DefaultsWhenNothingIsSet) {
  auto settings = parse_settings({});
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->executor, "local");
  EXPECT_EQ(settings->aws_region, "");  // no guessed region: the SDK order applies (settings_loader.cpp)
  EXPECT_EQ(settings->batch_job_queue, "live2-job-queue");
  EXPECT_EQ(settings->limits_for(Tier::hobby).concurrent_jobs, default_limits(Tier::hobby).concurrent_jobs);
}

TEST(Settings, ReadsValuesAndTierOverrides) {
  auto settings = parse_settings({{"LIVE2_LISTEN", "0.0.0.0:9000"},
                                  {"LIVE2_EXECUTOR", "aws_batch"},
                                  {"LIVE2_MAX_CONCURRENT_JOBS", "4"},
                                  {"LIVE2_WEBHOOK_ALLOW_INSECURE", "true"},
                                  {"LIVE2_TIER_HOBBY_CONCURRENT_JOBS", "7"}});
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->listen, "0.0.0.0:9000");
  EXPECT_EQ(settings->executor, "aws_batch");
  EXPECT_EQ(settings->max_concurrent_jobs, 4);
  EXPECT_TRUE(settings->webhook_allow_insecure);
  EXPECT_EQ(settings->limits_for(Tier::hobby).concurrent_jobs, 7);
  EXPECT_EQ(settings->limits_for(Tier::pro).concurrent_jobs, default_limits(Tier::pro).concurrent_jobs);
}

TEST(Settings, OutputBudgetsAndTheDiskReserveAreSettable) {
  auto defaults = parse_settings({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->limits_for(Tier::hobby).output_bytes_per_job, 8LL << 30);
  EXPECT_EQ(defaults->min_free_disk_bytes, 64LL << 20);
  for (Tier smaller : {Tier::hobby, Tier::research, Tier::pro}) {
    const auto next = static_cast<Tier>(static_cast<int>(smaller) + 1);
    EXPECT_LT(default_limits(smaller).output_bytes_per_job, default_limits(next).output_bytes_per_job);
  }
  auto settings = parse_settings({{"LIVE2_TIER_RESEARCH_OUTPUT_BYTES_PER_JOB", "12345"},
                                  {"LIVE2_MIN_FREE_DISK_BYTES", "0"}});
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->limits_for(Tier::research).output_bytes_per_job, 12345);
  EXPECT_EQ(settings->min_free_disk_bytes, 0);
  auto bad = parse_settings({{"LIVE2_TIER_HOBBY_OUTPUT_BYTES_PER_JOB", "2GB"}, {"LIVE2_MIN_FREE_DISK_BYTES", "-1"}});
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.error().details.size(), 2u);
}

TEST(Settings, RetentionIsOffByDefaultAndRecordsOutliveArtifacts) {
  auto defaults = parse_settings({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->retention_days, 0);
  EXPECT_EQ(defaults->retention_record_days, 0);
  auto settings = parse_settings({{"LIVE2_RETENTION_DAYS", "30"}, {"LIVE2_RETENTION_RECORD_DAYS", "365"}});
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->retention_days, 30);
  EXPECT_EQ(settings->retention_record_days, 365);
  EXPECT_TRUE(parse_settings({{"LIVE2_RETENTION_RECORD_DAYS", "90"}}).ok()) << "records alone take their artifacts";
  auto shorter = parse_settings({{"LIVE2_RETENTION_DAYS", "30"}, {"LIVE2_RETENTION_RECORD_DAYS", "7"}});
  ASSERT_FALSE(shorter.ok());
  ASSERT_EQ(shorter.error().details.size(), 1u);
  EXPECT_EQ(shorter.error().details[0].field, "LIVE2_RETENTION_RECORD_DAYS");
  EXPECT_FALSE(parse_settings({{"LIVE2_RETENTION_DAYS", "-1"}}).ok());
}

TEST(Settings, ReportsEveryBadValue) {
  auto settings = parse_settings({{"LIVE2_EXECUTOR", "kubernetes"},
                                  {"LIVE2_MAX_CONCURRENT_JOBS", "lots"},
                                  {"LIVE2_WEBHOOK_ALLOW_INSECURE", "maybe"}});
  ASSERT_FALSE(settings.ok());
  ASSERT_EQ(settings.error().details.size(), 3u);
  EXPECT_EQ(settings.error().details[0].field, "LIVE2_EXECUTOR");
}

TEST(Settings, AccessLogIsAutoStdoutOrFile) {
  EXPECT_EQ(parse_settings({})->access_log, "auto");
  EXPECT_EQ(parse_settings({{"LIVE2_ACCESS_LOG", "file"}})->access_log, "file");
  auto bad = parse_settings({{"LIVE2_ACCESS_LOG", "syslog"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().details.at(0).field, "LIVE2_ACCESS_LOG");
}

TEST(Settings, ReadsTrustedProxiesAndClientLimits) {
  auto settings = parse_settings({{"LIVE2_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,fd00::/8"},
                                  {"LIVE2_AUTH_FAILURES_PER_MINUTE", "5"},
                                  {"LIVE2_EVENT_STREAMS_PER_USER", "16"},
                                  {"LIVE2_EVENT_STREAM_LIFETIME_MS", "60000"}});
  ASSERT_TRUE(settings.ok()) << settings.error().details.at(0).message;
  ASSERT_EQ(settings->trusted_proxies.size(), 3u);
  EXPECT_TRUE(settings->trusted_proxies[1].contains(parse_ip_address("192.0.2.7").value()));
  EXPECT_EQ(settings->auth_failures_per_minute, 5);
  EXPECT_EQ(settings->event_streams_per_user, 16);
  EXPECT_EQ(settings->event_stream_lifetime_ms, 60'000);
  EXPECT_TRUE(parse_settings({})->trusted_proxies.empty());  // by default X-Forwarded-For is never believed
}

TEST(Settings, RefusesATrustedProxyThatIsNotAnAddress) {
  auto settings = parse_settings({{"LIVE2_TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal"}});
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.error().details.at(0).field, "LIVE2_TRUSTED_PROXIES");
  EXPECT_NE(settings.error().details.at(0).message.find("proxy.internal"), std::string::npos);
}

TEST(Settings, TlsNeedsBothTheCertificateAndTheKey) {
  auto both = parse_settings({{"LIVE2_TLS_CERT_FILE", "/etc/live2/cert.pem"}, {"LIVE2_TLS_KEY_FILE", "/etc/live2/key.pem"}});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->tls_cert_file, "/etc/live2/cert.pem");
  EXPECT_EQ(both->tls_key_file, "/etc/live2/key.pem");
  EXPECT_TRUE(parse_settings({})->tls_cert_file.empty());
  auto no_key = parse_settings({{"LIVE2_TLS_CERT_FILE", "/etc/live2/cert.pem"}});
  ASSERT_FALSE(no_key.ok());
  EXPECT_EQ(no_key.error().details.at(0).field, "LIVE2_TLS_KEY_FILE");
  EXPECT_NE(no_key.error().details.at(0).message.find("LIVE2_TLS_CERT_FILE"), std::string::npos);
  auto no_certificate = parse_settings({{"LIVE2_TLS_KEY_FILE", "/etc/live2/key.pem"}});
  ASSERT_FALSE(no_certificate.ok());
  EXPECT_EQ(no_certificate.error().details.at(0).field, "LIVE2_TLS_CERT_FILE");
}

TEST(Dotenv, ParsesCommentsQuotesAndExport) {
  auto values = parse_dotenv("# comment\nexport A=1\nB = \"two words\"\nC='x#y'\nD=plain # trailing\n\nnot a line\n");
  EXPECT_EQ(values["A"], "1");
  EXPECT_EQ(values["B"], "two words");
  EXPECT_EQ(values["C"], "x#y");
  EXPECT_EQ(values["D"], "plain");
  EXPECT_EQ(values.count("not a line"), 0u);
}

}  // namespace
}  // namespace live2
