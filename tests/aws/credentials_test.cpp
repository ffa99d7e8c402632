// The credentials chain, each source against its real format: environment, files on disk, and the container and
// instance-metadata endpoints served by a fake HTTP server on loopback.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "fake_http_server.h"

namespace live2::aws {
namespace {

using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;

class TempFiles {
 public:
  TempFiles() : root_(std::filesystem::temp_directory_path() / ("live2-aws-credentials-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(root_);
  }
  ~TempFiles() { std::filesystem::remove_all(root_); }
  std::string write(const std::string& name, const std::string& content) {
    std::ofstream(root_ / name) << content;
    return (root_ / name).string();
  }

 private:
  std::filesystem::path root_;
};

const std::string kDocument =
    R"({"AccessKeyId":"ASIAROLE","SecretAccessKey":"role-secret","Token":"role-token","Expiration":"2026-11-25T18:00:00Z"})";

TEST(Credentials, EnvironmentComesFirst) {
  CurlHttpClient http;
  FakeClock clock;
  DefaultCredentialsChain chain({{"AWS_ACCESS_KEY_ID", "AKIAENV"}, {"AWS_SECRET_ACCESS_KEY", "secret"},
                                 {"AWS_SESSION_TOKEN", "token"}, {"AWS_PROFILE", "ignored"}},
                                http, clock);
  Result<AwsCredentials> credentials = chain.get();
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "AKIAENV");
  EXPECT_EQ(credentials->session_token, "token");
  EXPECT_EQ(credentials->source, "environment");
}

const char kStsAnswer[] =
    "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
    "<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAWEB</AccessKeyId>"
    "<SecretAccessKey>web-secret</SecretAccessKey><SessionToken>web-token</SessionToken>"
    "<Expiration>2026-11-25T18:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
    "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>";

TEST(Credentials, WebIdentityComesBeforeTheProfileAndIsExchangedAtSts) {
  FakeHttpServer sts([](const FakeRequest&) { return FakeResponse{200, kStsAnswer}; });
  TempFiles files;
  CurlHttpClient http;
  FakeClock clock;
  DefaultCredentialsChain chain(
      {{"AWS_WEB_IDENTITY_TOKEN_FILE", files.write("token", "eyJ.token-1\n")},
       {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/Live2Server"},
       {"AWS_ROLE_SESSION_NAME", "live2 server"},
       {"AWS_ENDPOINT_URL_STS", sts.base_url()},
       {"AWS_SHARED_CREDENTIALS_FILE", files.write("credentials", "[default]\naws_access_key_id = AKIAFILE\n"
                                                                  "aws_secret_access_key = f\n")}},
      http, clock);
  Result<AwsCredentials> credentials = chain.get();
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIAWEB");
  EXPECT_EQ(credentials->session_token, "web-token");
  EXPECT_EQ(credentials->source, "web identity arn:aws:iam::123456789012:role/Live2Server");
  ASSERT_TRUE(credentials->expires_at_ms.has_value());
  const FakeRequest request = sts.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.body,
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole"
            "%2FLive2Server&RoleSessionName=live2+server&WebIdentityToken=eyJ.token-1");
  EXPECT_FALSE(request.headers.contains("authorization"));  // the API is called unsigned
}

TEST(Credentials, RefusedWebIdentityStopsTheChainWithStsReason) {
  FakeHttpServer sts([](const FakeRequest&) {
    return FakeResponse{400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>"
                             "Couldn't retrieve verification key</Message></Error><RequestId>r</RequestId>"
                             "</ErrorResponse>"};
  });
  TempFiles files;
  CurlHttpClient http;
  FakeClock clock;
  DefaultCredentialsChain chain({{"AWS_WEB_IDENTITY_TOKEN_FILE", files.write("token", "bad")},
                                 {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/Live2Server"},
                                 {"AWS_ENDPOINT_URL", sts.base_url()}},
                                http, clock);
  Result<AwsCredentials> credentials = chain.get();
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.error().message.find("InvalidIdentityToken"), std::string::npos);
  EXPECT_FALSE(credentials_from_web_identity({{"AWS_ROLE_ARN", "arn:x"}}, http, clock).ok());
}

TEST(Region, EnvironmentThenDefaultThenProfileAndNeverAGuess) {
  TempFiles files;
  const std::string config = files.write("config", "[default]\nregion = us-west-2\n[profile lab]\nregion=ap-south-1\n");
  EXPECT_EQ(*resolve_region({{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "us-east-2"}}), "eu-west-1");
  EXPECT_EQ(*resolve_region({{"AWS_DEFAULT_REGION", "us-east-2"}, {"AWS_CONFIG_FILE", config}}), "us-east-2");
  EXPECT_EQ(*resolve_region({{"AWS_CONFIG_FILE", config}}), "us-west-2");
  EXPECT_EQ(*resolve_region({{"AWS_CONFIG_FILE", config}, {"AWS_PROFILE", "lab"}}), "ap-south-1");
  Result<std::string> none = resolve_region({{"AWS_CONFIG_FILE", files.write("empty", "")}});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::no_region);
  EXPECT_NE(none.error().message.find("set AWS_REGION"), std::string::npos);
}

TEST(Credentials, HalfSetEnvironmentIsAnError) {
  Result<AwsCredentials> credentials = credentials_from_environment({{"AWS_ACCESS_KEY_ID", "AKIAENV"}});
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.error().code, ErrorCode::credentials_error);
}

TEST(Credentials, NamedProfileFromCredentialsAndConfigFiles) {
  TempFiles files;
  const std::string credentials_file = files.write("credentials",
      "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n\n"
      "# team account\n[work]\naws_access_key_id=AKIAWORK\naws_secret_access_key = w \naws_session_token = t\n");
  const std::string config_file = files.write("config", "[profile only-config]\naws_access_key_id = AKIACONFIG\n"
                                                        "aws_secret_access_key = c\n");
  Environment environment{{"AWS_SHARED_CREDENTIALS_FILE", credentials_file}, {"AWS_CONFIG_FILE", config_file}};
  Result<AwsCredentials> fallback = credentials_from_profile(environment);
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->access_key_id, "AKIADEFAULT");

  environment["AWS_PROFILE"] = "work";
  Result<AwsCredentials> work = credentials_from_profile(environment);
  ASSERT_TRUE(work.ok());
  EXPECT_EQ(work->access_key_id, "AKIAWORK");
  EXPECT_EQ(work->secret_access_key, "w");
  EXPECT_EQ(work->session_token, "t");
  EXPECT_EQ(work->source, "profile work");

  environment["AWS_PROFILE"] = "only-config";
  EXPECT_EQ(credentials_from_profile(environment)->access_key_id, "AKIACONFIG");

  environment["AWS_PROFILE"] = "missing";
  EXPECT_EQ(credentials_from_profile(environment).error().code, ErrorCode::credentials_error);
}

TEST(Credentials, AssumeRoleProfileIsReportedAsUnsupported) {
  TempFiles files;
  const std::string config_file = files.write("config", "[profile admin]\nrole_arn = arn:aws:iam::1:role/x\n");
  Result<AwsCredentials> credentials = credentials_from_profile(
      {{"AWS_CONFIG_FILE", config_file}, {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"}, {"AWS_PROFILE", "admin"}});
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.error().message.find("assume-role"), std::string::npos);
}

TEST(Credentials, ContainerRelativeUriUsesTheInjectedBase) {
  FakeHttpServer server([](const FakeRequest& request) {
    return request.target == "/v2/credentials/abc" ? FakeResponse{200, kDocument} : FakeResponse{404, ""};
  });
  CurlHttpClient http;
  CredentialSourceOptions options;
  options.container_endpoint = server.base_url();
  Result<AwsCredentials> credentials =
      credentials_from_container({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"}}, http, options);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIAROLE");
  EXPECT_EQ(credentials->session_token, "role-token");
  EXPECT_EQ(credentials->source, "container");
  ASSERT_TRUE(credentials->expires_at_ms.has_value());
}

TEST(Credentials, ContainerFullUriSendsTheAuthorizationToken) {
  FakeHttpServer server([](const FakeRequest& request) {
    const auto token = request.headers.find("authorization");
    return token != request.headers.end() && token->second == "secret-token" ? FakeResponse{200, kDocument}
                                                                             : FakeResponse{401, "no"};
  });
  CurlHttpClient http;
  Result<AwsCredentials> credentials = credentials_from_container(
      {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.base_url() + "/creds"},
       {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-token"}},
      http, {});
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->secret_access_key, "role-secret");
}

TEST(Credentials, BrokenContainerEndpointStopsTheChain) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{500, "boom"}; });
  CurlHttpClient http;
  FakeClock clock;
  CredentialSourceOptions options;
  options.container_endpoint = server.base_url();
  DefaultCredentialsChain chain({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/x"}, {"HOME", "/nonexistent"}}, http,
                                clock, options);
  Result<AwsCredentials> credentials = chain.get();
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.error().message.find("HTTP 500"), std::string::npos);
}

FakeResponse imds(const FakeRequest& request) {
  if (request.method == "PUT" && request.target == "/latest/api/token") {
    return request.headers.contains("x-aws-ec2-metadata-token-ttl-seconds") ? FakeResponse{200, "imds-token"}
                                                                             : FakeResponse{400, ""};
  }
  const auto token = request.headers.find("x-aws-ec2-metadata-token");
  if (token == request.headers.end() || token->second != "imds-token") return {401, ""};
  if (request.target == "/latest/meta-data/iam/security-credentials/") return {200, "live2-role\n"};
  if (request.target == "/latest/meta-data/iam/security-credentials/live2-role") {
    return {200, R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"t",)"
                 R"("Expiration":"2026-11-25T18:00:00Z"})"};
  }
  return {404, ""};
}

TEST(Credentials, InstanceMetadataV2TokenThenRoleThenDocument) {
  FakeHttpServer server(imds);
  CurlHttpClient http;
  CredentialSourceOptions options;
  options.imds_endpoint = server.base_url();
  Result<AwsCredentials> credentials = credentials_from_instance_metadata({}, http, options);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIAIMDS");
  EXPECT_EQ(credentials->source, "instance metadata");
  EXPECT_EQ(server.requests().front().method, "PUT");
}

TEST(Credentials, MetadataDisabledOrUnreachableMeansNotConfigured) {
  CurlHttpClient http;
  CredentialSourceOptions options;
  options.imds_endpoint = "http://127.0.0.1:1";  // nothing listens on port 1
  EXPECT_EQ(credentials_from_instance_metadata({}, http, options).error().code, ErrorCode::credentials_not_configured);
  EXPECT_EQ(credentials_from_instance_metadata({{"AWS_EC2_METADATA_DISABLED", "true"}}, http, options).error().code,
            ErrorCode::credentials_not_configured);
}

TEST(Credentials, ChainRefreshesShortlyBeforeExpiry) {
  int served = 0;
  FakeHttpServer server([&served](const FakeRequest&) {
    ++served;
    const std::string key = "ASIA" + std::to_string(served);
    return FakeResponse{200, R"({"AccessKeyId":")" + key +
                                 R"(","SecretAccessKey":"s","Token":"t","Expiration":"2026-11-25T18:00:00Z"})"};
  });
  CurlHttpClient http;
  FakeClock clock(1'795'600'000'000);  // 2026-11-25T08:26:40Z
  CredentialSourceOptions options;
  options.container_endpoint = server.base_url();
  DefaultCredentialsChain chain({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}, {"HOME", "/nonexistent"}}, http,
                                clock, options);
  EXPECT_EQ(chain.get()->access_key_id, "ASIA1");
  EXPECT_EQ(chain.get()->access_key_id, "ASIA1");  // cached
  const int64_t expiry_ms = chain.get()->expires_at_ms.value();
  clock.set_ms(expiry_ms - options.refresh_margin_ms - 1);
  EXPECT_EQ(chain.get()->access_key_id, "ASIA1");
  clock.set_ms(expiry_ms - options.refresh_margin_ms + 1);
  EXPECT_EQ(chain.get()->access_key_id, "ASIA2");
  EXPECT_EQ(served, 2);
}

TEST(Credentials, NothingConfiguredSaysWhatToDo) {
  CurlHttpClient http;
  FakeClock clock;
  CredentialSourceOptions options;
  options.imds_endpoint = "http://127.0.0.1:1";
  DefaultCredentialsChain chain({{"HOME", "/nonexistent"}}, http, clock, options);
  Result<AwsCredentials> credentials = chain.get();
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

}  // namespace
}  // namespace live2::aws
