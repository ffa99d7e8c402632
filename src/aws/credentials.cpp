#include "aws/credentials.h"

#include <boost/json.hpp>

#include <fstream>
#include <functional>
#include <sstream>

#include <pugixml.hpp>

#include "aws/aws_error.h"
#include "aws/endpoints.h"
#include "aws/http_client.h"
#include "aws/protocols.h"
#include "base/time_format.h"

namespace live2::aws {
namespace {

namespace json = boost::json;

Error not_configured(std::string message) {
  return Error::make(ErrorCode::credentials_not_configured, std::move(message));
}

Error credentials_error(std::string message) { return Error::make(ErrorCode::credentials_error, std::move(message)); }

std::string lookup(const Environment& environment, const std::string& name) {
  return environment_value(environment, name).value_or("");
}

std::string trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

using IniSection = std::map<std::string, std::string>;

// The subset of INI the AWS files use: [section] headers, key = value lines, '#' and ';' comments.
std::map<std::string, IniSection> parse_ini_file(const std::string& path) {
  std::map<std::string, IniSection> sections;
  std::ifstream file(path);
  std::string line;
  IniSection* current = nullptr;
  while (std::getline(file, line)) {
    const std::string text = trim(line);
    if (text.empty() || text[0] == '#' || text[0] == ';') continue;
    if (text.front() == '[' && text.back() == ']') {
      current = &sections[trim(std::string_view(text).substr(1, text.size() - 2))];
      continue;
    }
    const size_t equals = text.find('=');
    if (current != nullptr && equals != std::string::npos) {
      (*current)[trim(std::string_view(text).substr(0, equals))] = trim(std::string_view(text).substr(equals + 1));
    }
  }
  return sections;
}

std::string home_file(const Environment& environment, const std::string& override_variable, const char* name) {
  const std::string explicit_path = lookup(environment, override_variable);
  if (!explicit_path.empty()) return explicit_path;
  return lookup(environment, "HOME") + "/.aws/" + name;
}

// The JSON both the container endpoint and IMDS return: AccessKeyId, SecretAccessKey, Token, Expiration.
Result<AwsCredentials> parse_credentials_document(const std::string& body, const std::string& source) {
  boost::system::error_code parse_error;
  const json::value document = json::parse(body, parse_error);
  if (parse_error || !document.is_object()) return credentials_error(source + " returned a body that is not JSON");
  const json::object& object = document.as_object();
  const auto text = [&](const char* key) -> std::string {
    const json::value* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
  };
  if (const std::string code = text("Code"); !code.empty() && code != "Success") {
    return credentials_error(source + " answered Code " + code + ": " + text("Message"));
  }
  AwsCredentials credentials{text("AccessKeyId"), text("SecretAccessKey"), text("Token"), std::nullopt, source};
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return credentials_error(source + " returned no AccessKeyId/SecretAccessKey");
  }
  if (const std::string expiration = text("Expiration"); !expiration.empty()) {
    credentials.expires_at_ms = parse_iso8601_ms(expiration);
    if (!credentials.expires_at_ms) return credentials_error(source + " returned an unreadable Expiration " + expiration);
  }
  return credentials;
}

Result<HttpResponse> expect_ok(Result<HttpResponse> response, const std::string& what) {
  if (!response.ok()) return credentials_error(what + " could not be reached: " + response.error().message);
  if (response->status != 200) {
    return credentials_error(what + " answered HTTP " + std::to_string(response->status) + ": " + response->body);
  }
  return response;
}

std::string read_token_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  return trim(content.str());
}

}  // namespace

Result<AwsCredentials> credentials_from_environment(const Environment& environment) {
  const std::string access_key = lookup(environment, "AWS_ACCESS_KEY_ID");
  const std::string secret_key = lookup(environment, "AWS_SECRET_ACCESS_KEY");
  if (access_key.empty() && secret_key.empty()) return not_configured("AWS_ACCESS_KEY_ID is not set");
  if (access_key.empty() || secret_key.empty()) {
    return credentials_error("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
  }
  return AwsCredentials{access_key, secret_key, lookup(environment, "AWS_SESSION_TOKEN"), std::nullopt, "environment"};
}

Result<AwsCredentials> credentials_from_profile(const Environment& environment) {
  std::string profile = lookup(environment, "AWS_PROFILE");
  const bool profile_named = !profile.empty();
  if (!profile_named) profile = "default";
  const auto credentials_file = parse_ini_file(home_file(environment, "AWS_SHARED_CREDENTIALS_FILE", "credentials"));
  const auto config_file = parse_ini_file(home_file(environment, "AWS_CONFIG_FILE", "config"));

  // The credentials file names sections by profile; the config file as "profile NAME" (except "default").
  IniSection merged;
  if (const auto found = config_file.find(profile == "default" ? profile : "profile " + profile); found != config_file.end()) {
    merged = found->second;
  }
  if (const auto found = credentials_file.find(profile); found != credentials_file.end()) {
    for (const auto& [key, value] : found->second) merged[key] = value;
  }
  const std::string source = "profile " + profile;
  if (merged.contains("aws_access_key_id") && merged.contains("aws_secret_access_key")) {
    const auto token = merged.find("aws_session_token");
    return AwsCredentials{merged["aws_access_key_id"], merged["aws_secret_access_key"],
                          token == merged.end() ? std::string() : token->second, std::nullopt, source};
  }
  if (merged.contains("role_arn") || merged.contains("credential_process") || merged.contains("sso_session")) {
    return credentials_error(source + " needs assume-role, SSO or a credential process, which live2 does not "
                             "support; give it aws_access_key_id/aws_secret_access_key or use role credentials");
  }
  if (profile_named) return credentials_error("AWS_PROFILE names " + profile + ", which has no access keys");
  return not_configured("no access keys in the default profile");
}

Result<AwsCredentials> credentials_from_web_identity(const Environment& environment, HttpClient& http,
                                                     const Clock& clock) {
  const std::string token_file = lookup(environment, "AWS_WEB_IDENTITY_TOKEN_FILE");
  const std::string role_arn = lookup(environment, "AWS_ROLE_ARN");
  if (token_file.empty() && role_arn.empty()) return not_configured("AWS_WEB_IDENTITY_TOKEN_FILE is not set");
  if (token_file.empty() || role_arn.empty()) {
    return credentials_error("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN must be set together");
  }
  const std::string token = read_token_file(token_file);
  if (token.empty()) return credentials_error("the web identity token file " + token_file + " is missing or empty");
  std::string session_name = lookup(environment, "AWS_ROLE_SESSION_NAME");
  if (session_name.empty()) session_name = "live2-" + std::to_string(clock.now_ms() / 1000);
  const Result<std::string> region = resolve_region(environment);
  const ServiceEndpoint endpoint = resolve_endpoint("STS", "sts", region.ok() ? *region : "", environment);
  const std::string url = endpoint.overridden || region.ok() ? endpoint.url : "https://sts.amazonaws.com";
  HttpRequest request{"POST", url + "/",
                      {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                      form_encoded({{"Action", "AssumeRoleWithWebIdentity"},
                                    {"Version", "2011-06-15"},
                                    {"RoleArn", role_arn},
                                    {"RoleSessionName", session_name},
                                    {"WebIdentityToken", token}}),
                      std::nullopt, 5'000};
  Result<HttpResponse> response = http.send(request);
  const std::string what = "sts:AssumeRoleWithWebIdentity at " + url + " for " + role_arn;
  if (!response.ok()) return credentials_error(what + " could not be reached: " + response.error().message);
  if (response->status != 200) {
    const Error error = error_from_response(*response);
    return credentials_error(what + " failed: " + std::string(error.code_name()) + ": " + error.message);
  }
  pugi::xml_document document;
  if (!document.load_buffer(response->body.data(), response->body.size())) {
    return credentials_error(what + " answered malformed XML");
  }
  const pugi::xml_node found = document.first_element_by_path(
      "AssumeRoleWithWebIdentityResponse/AssumeRoleWithWebIdentityResult/Credentials");
  AwsCredentials credentials{found.child_value("AccessKeyId"), found.child_value("SecretAccessKey"),
                             found.child_value("SessionToken"), parse_iso8601_ms(found.child_value("Expiration")),
                             "web identity " + role_arn};
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty() || !credentials.expires_at_ms) {
    return credentials_error(what + " answered without credentials or their expiration");
  }
  return credentials;
}

Result<std::string> resolve_region(const Environment& environment) {
  for (const char* variable : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::string region = lookup(environment, variable); !region.empty()) return region;
  }
  std::string profile = lookup(environment, "AWS_PROFILE");
  if (profile.empty()) profile = "default";
  const auto config_file = parse_ini_file(home_file(environment, "AWS_CONFIG_FILE", "config"));
  if (const auto found = config_file.find(profile == "default" ? profile : "profile " + profile);
      found != config_file.end()) {
    if (const auto region = found->second.find("region"); region != found->second.end() && !region->second.empty()) {
      return region->second;
    }
  }
  return Error::make(ErrorCode::no_region,
                     "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the " + profile +
                         " profile of ~/.aws/config); live2 does not guess one, because every resource "
                         "it looks for in the wrong region reads as not found");
}

Result<AwsCredentials> credentials_from_container(const Environment& environment, HttpClient& http,
                                                  const CredentialSourceOptions& options) {
  HttpRequest request;
  request.timeout_ms = 2'000;
  if (const std::string relative = lookup(environment, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); !relative.empty()) {
    request.url = options.container_endpoint + relative;
  } else if (const std::string full = lookup(environment, "AWS_CONTAINER_CREDENTIALS_FULL_URI"); !full.empty()) {
    request.url = full;
    std::string token = lookup(environment, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    if (const std::string token_file = lookup(environment, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !token_file.empty()) {
      token = read_token_file(token_file);
    }
    if (!token.empty()) request.headers.push_back({"Authorization", token});
  } else {
    return not_configured("no container credentials URI is set");
  }
  Result<HttpResponse> response = expect_ok(http.send(request), "the container credentials endpoint " + request.url);
  if (!response.ok()) return response.error();
  return parse_credentials_document(response->body, "container");
}

Result<AwsCredentials> credentials_from_instance_metadata(const Environment& environment, HttpClient& http,
                                                          const CredentialSourceOptions& options) {
  if (lookup(environment, "AWS_EC2_METADATA_DISABLED") == "true") return not_configured("AWS_EC2_METADATA_DISABLED");
  std::string endpoint = lookup(environment, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (endpoint.empty()) endpoint = options.imds_endpoint;
  if (endpoint.ends_with('/')) endpoint.pop_back();

  HttpRequest token_request{"PUT", endpoint + "/latest/api/token",
                            {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}}, "", std::nullopt, options.imds_timeout_ms};
  Result<HttpResponse> token = http.send(token_request);
  if (!token.ok()) return not_configured("no instance metadata service answered at " + endpoint);
  if (token->status != 200) {
    return credentials_error("instance metadata refused a session token (HTTP " + std::to_string(token->status) + ")");
  }
  const std::string base = endpoint + "/latest/meta-data/iam/security-credentials/";
  const std::vector<HttpHeader> token_header{{"X-aws-ec2-metadata-token", token->body}};
  Result<HttpResponse> role =
      expect_ok(http.send({"GET", base, token_header, "", std::nullopt, options.imds_timeout_ms}), "instance metadata");
  if (!role.ok()) return role.error();
  const std::string role_name = trim(role->body.substr(0, role->body.find('\n')));
  if (role_name.empty()) return credentials_error("the instance has no IAM role attached");
  Result<HttpResponse> document = expect_ok(
      http.send({"GET", base + role_name, token_header, "", std::nullopt, options.imds_timeout_ms}), "instance metadata");
  if (!document.ok()) return document.error();
  return parse_credentials_document(document->body, "instance metadata");
}

DefaultCredentialsChain::DefaultCredentialsChain(Environment environment, HttpClient& http, const Clock& clock,
                                                 CredentialSourceOptions options)
    : environment_(std::move(environment)), http_(http), clock_(clock), options_(std::move(options)) {}

Result<AwsCredentials> DefaultCredentialsChain::get() {
  std::lock_guard lock(mutex_);
  const int64_t now_ms = clock_.now_ms();
  if (cached_ && (!cached_->expires_at_ms || now_ms < *cached_->expires_at_ms - options_.refresh_margin_ms)) {
    return *cached_;
  }
  Result<AwsCredentials> fresh = resolve();
  if (fresh.ok()) {
    cached_ = fresh.value();
    return fresh;
  }
  // A failed refresh is not fatal while the old credentials still work.
  if (cached_ && cached_->expires_at_ms && now_ms < *cached_->expires_at_ms) return *cached_;
  return fresh;
}

void DefaultCredentialsChain::invalidate() {
  std::lock_guard lock(mutex_);
  cached_.reset();
}

Result<AwsCredentials> DefaultCredentialsChain::resolve() {
  using Source = std::function<Result<AwsCredentials>()>;
  const Source sources[] = {
      [&] { return credentials_from_environment(environment_); },
      [&] { return credentials_from_web_identity(environment_, http_, clock_); },
      [&] { return credentials_from_profile(environment_); },
      [&] { return credentials_from_container(environment_, http_, options_); },
      [&] { return credentials_from_instance_metadata(environment_, http_, options_); },
  };
  for (const Source& source : sources) {
    Result<AwsCredentials> found = source();
    if (found.ok() || found.error().code != ErrorCode::credentials_not_configured) return found;
  }
  return Error::make(ErrorCode::credentials_error,
                     "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                     "AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, a profile in ~/.aws/credentials, or run with a "
                     "container or instance role");
}

}  // namespace live2::aws
