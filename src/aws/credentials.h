// AWS credentials and where they come from, in the order every AWS SDK uses: environment -> web identity
// (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN through sts:AssumeRoleWithWebIdentity) -> shared credentials/config
// files (profile) -> container credentials -> EC2 instance metadata (IMDSv2). Also the region, in the SDKs' order.
// A source that is not configured passes to the next; a source that is configured but fails stops the chain with
// its error (as the SDKs do: a broken container endpoint must not silently fall back to some other identity).
// DefaultCredentialsChain caches what it found and fetches again shortly before temporary credentials expire.
// The environment is passed in as a map and the link-local addresses are options, so every source can be tested
// against a fake endpoint on loopback. Providers are thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/environment.h"
#include "base/result.h"

namespace live2::aws {

class HttpClient;

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;             // empty for long-term keys
  std::optional<int64_t> expires_at_ms;  // temporary credentials only
  std::string source;                    // "environment", "profile default", "container", "instance metadata"
};

struct CredentialSourceOptions {
  std::string container_endpoint = "http://169.254.170.2";  // base for AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
  std::string imds_endpoint = "http://169.254.169.254";     // AWS_EC2_METADATA_SERVICE_ENDPOINT wins
  int64_t imds_timeout_ms = 1'000;                          // off EC2 the address does not answer: fail fast
  int64_t refresh_margin_ms = 5 * 60 * 1000;                // fetch again this long before expiry
};

Result<AwsCredentials> credentials_from_environment(const Environment& environment);
// AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials) and AWS_CONFIG_FILE (default ~/.aws/config), profile
// AWS_PROFILE (default "default"). Static keys only: a profile that needs assume-role is reported as unsupported.
Result<AwsCredentials> credentials_from_profile(const Environment& environment);
// AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (AWS_ROLE_SESSION_NAME optional): the token file is read on every
// call (the platform rotates it) and exchanged at STS (AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL, else the region's
// STS endpoint, else the global one). The call is unsigned, as the API defines it.
Result<AwsCredentials> credentials_from_web_identity(const Environment& environment, HttpClient& http,
                                                     const Clock& clock);
Result<AwsCredentials> credentials_from_container(const Environment& environment, HttpClient& http,
                                                  const CredentialSourceOptions& options);
Result<AwsCredentials> credentials_from_instance_metadata(const Environment& environment, HttpClient& http,
                                                          const CredentialSourceOptions& options);

// The region, as the SDKs find it: AWS_REGION, then AWS_DEFAULT_REGION, then the `region` of the profile (AWS_PROFILE
// or "default") in the config file. None of them: an error that says so (never a guessed default).
Result<std::string> resolve_region(const Environment& environment);

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  virtual Result<AwsCredentials> get() = 0;
  // A service refused the credentials get() returned as expired (its clock and ours disagree, or they were revoked):
  // the next get() fetches fresh ones. Static credentials cannot be refreshed.
  virtual void invalidate() {}
};

class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(AwsCredentials credentials) : credentials_(std::move(credentials)) {}
  Result<AwsCredentials> get() override { return credentials_; }

 private:
  AwsCredentials credentials_;
};

class DefaultCredentialsChain final : public CredentialsProvider {
 public:
  DefaultCredentialsChain(Environment environment, HttpClient& http, const Clock& clock,
                          CredentialSourceOptions options = {});
  Result<AwsCredentials> get() override;
  void invalidate() override;

 private:
  Result<AwsCredentials> resolve();

  Environment environment_;
  HttpClient& http_;
  const Clock& clock_;
  CredentialSourceOptions options_;
  std::mutex mutex_;
  std::optional<AwsCredentials> cached_;
};

}  // namespace live2::aws
