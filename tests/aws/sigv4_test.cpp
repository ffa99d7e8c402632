// SigV4 against the official AWS signing test suite (every case, header and query mode) and the Amazon S3
// documentation examples in tests/aws/testdata/sigv4. The files are read at test time; see that folder's README.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "aws/sigv4.h"
#include "base/hashing.h"
#include "base/time_format.h"

namespace live2::aws {
namespace {

namespace fs = std::filesystem;

const fs::path kTestData = LIVE2_SIGV4_TESTDATA;

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

QueryParameters parse_query(std::string_view query) {
  QueryParameters parameters;
  while (!query.empty()) {
    const size_t amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    const size_t equals = std::min(pair.find('='), pair.size());
    parameters.emplace_back(percent_decode(pair.substr(0, equals)),
                            equals < pair.size() ? percent_decode(pair.substr(equals + 1)) : "");
    query.remove_prefix(std::min(amp + 1, query.size()));
  }
  return parameters;
}

struct ParsedRequest {
  SignableRequest request;
  std::string body;
};

// request.txt: "METHOD target HTTP/1.1", "Name:value" lines (a line starting with whitespace continues the
// previous value), a blank line, the body. The target is raw (spaces and UTF-8 occur).
ParsedRequest parse_request_text(const std::string& text) {
  ParsedRequest parsed;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  const size_t first_space = line.find(' ');
  parsed.request.method = line.substr(0, first_space);
  const std::string target = line.substr(first_space + 1, line.rfind(" HTTP/") - first_space - 1);
  const size_t question = target.find('?');
  parsed.request.path = target.substr(0, question);
  if (question != std::string::npos) parsed.request.query = parse_query(std::string_view(target).substr(question + 1));
  while (std::getline(lines, line) && !line.empty()) {
    if (line[0] == ' ' || line[0] == '\t') {
      parsed.request.headers.back().value += "\n" + line;
      continue;
    }
    const size_t colon = line.find(':');
    parsed.request.headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
  }
  std::stringstream rest;
  rest << lines.rdbuf();
  parsed.body = rest.str();
  return parsed;
}

struct SuiteCase {
  ParsedRequest parsed;
  AwsCredentials credentials;
  SigningOptions options;
  bool sign_body = false;
  int64_t expires_s = 0;
};

SuiteCase load_case(const fs::path& folder) {
  SuiteCase suite_case;
  suite_case.parsed = parse_request_text(read_file(folder / "request.txt"));
  const boost::json::object context = boost::json::parse(read_file(folder / "context.json")).as_object();
  const boost::json::object& credentials = context.at("credentials").as_object();
  suite_case.credentials.access_key_id = credentials.at("access_key_id").as_string().c_str();
  suite_case.credentials.secret_access_key = credentials.at("secret_access_key").as_string().c_str();
  if (const auto* token = credentials.if_contains("token")) suite_case.credentials.session_token = token->as_string().c_str();
  suite_case.options.region = context.at("region").as_string().c_str();
  suite_case.options.service = context.at("service").as_string().c_str();
  suite_case.options.time_ms = parse_iso8601_ms(context.at("timestamp").as_string().c_str()).value();
  suite_case.options.normalize_path = context.at("normalize").as_bool();
  if (const auto* omit = context.if_contains("omit_session_token")) suite_case.options.omit_session_token = omit->as_bool();
  suite_case.sign_body = context.at("sign_body").as_bool();
  suite_case.expires_s = context.at("expiration_in_seconds").as_int64();
  suite_case.parsed.request.payload_sha256 = sha256_hex(suite_case.sign_body ? suite_case.parsed.body : "");
  return suite_case;
}

std::string header_line(const std::string& signed_request_text, std::string_view name) {
  std::istringstream lines(signed_request_text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with(std::string(name) + ":")) return line.substr(name.size() + 1);
  }
  return {};
}

std::vector<fs::path> suite_cases() {
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(kTestData / "aws-signing-test-suite" / "v4")) {
    if (entry.is_directory()) folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

// The vectors live in the repository: a missing folder is a broken checkout and fails, it never skips.
class SigV4Suite : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fs::is_directory(kTestData)) << "SigV4 test vectors missing at " << kTestData; }
};

TEST_F(SigV4Suite, EveryCaseSignsWithHeadersByteForByte) {
  const std::vector<fs::path> folders = suite_cases();
  ASSERT_EQ(folders.size(), 38u);
  for (const fs::path& folder : folders) {
    SCOPED_TRACE(folder.filename().string());
    SuiteCase suite_case = load_case(folder);
    suite_case.options.add_content_sha256_header = suite_case.sign_body;
    SignableRequest request = suite_case.parsed.request;
    const SignatureParts parts = sign_request_headers(request, suite_case.credentials, suite_case.options);
    EXPECT_EQ(parts.canonical_request, read_file(folder / "header-canonical-request.txt"));
    EXPECT_EQ(parts.string_to_sign, read_file(folder / "header-string-to-sign.txt"));
    EXPECT_EQ(parts.signature, read_file(folder / "header-signature.txt"));
    const std::string expected_signed = read_file(folder / "header-signed-request.txt");
    const auto authorization = std::find_if(request.headers.begin(), request.headers.end(),
                                            [](const HttpHeader& header) { return header.name == "Authorization"; });
    ASSERT_NE(authorization, request.headers.end());
    EXPECT_EQ(authorization->value, header_line(expected_signed, "Authorization"));
    if (!suite_case.credentials.session_token.empty()) {
      EXPECT_NE(header_line(expected_signed, "X-Amz-Security-Token"), "");
    }
  }
}

TEST_F(SigV4Suite, EveryCasePresignsByteForByte) {
  for (const fs::path& folder : suite_cases()) {
    SCOPED_TRACE(folder.filename().string());
    SuiteCase suite_case = load_case(folder);
    SignableRequest request = suite_case.parsed.request;
    const SignatureParts parts =
        presign_request_query(request, suite_case.credentials, suite_case.options, suite_case.expires_s);
    EXPECT_EQ(parts.canonical_request, read_file(folder / "query-canonical-request.txt"));
    EXPECT_EQ(parts.string_to_sign, read_file(folder / "query-string-to-sign.txt"));
    EXPECT_EQ(parts.signature, read_file(folder / "query-signature.txt"));
    const std::string signed_line = read_file(folder / "query-signed-request.txt");
    EXPECT_NE(signed_line.find("X-Amz-Signature=" + parts.signature), std::string::npos);
  }
}

// The S3 examples' own small format: "[example NAME]" sections, "name: value" lines, BEGIN/END blocks.
using ExampleFields = std::map<std::string, std::string>;

std::map<std::string, ExampleFields> parse_examples(const std::string& text) {
  std::map<std::string, ExampleFields> examples;
  std::string current = "";
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("#")) continue;
    if (line.starts_with("[example ")) {
      current = line.substr(9, line.size() - 10);
    } else if (line.starts_with("-----BEGIN ")) {
      const std::string name = line.substr(11, line.size() - 16);
      std::string block;
      while (std::getline(lines, line) && line != "-----END " + name + "-----") block += (block.empty() ? "" : "\n") + line;
      examples[current][name] = block;
    } else if (const size_t colon = line.find(": "); colon != std::string::npos) {
      examples[current][line.substr(0, colon)] = line.substr(colon + 2);
    }
  }
  return examples;
}

AwsCredentials s3_example_credentials() {
  return {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", std::nullopt, "test"};
}

SigningOptions s3_example_options() {
  SigningOptions options;
  options.region = "us-east-1";
  options.service = "s3";
  options.time_ms = parse_iso8601_ms("2013-05-24T00:00:00Z").value();
  options.normalize_path = false;
  options.add_content_sha256_header = true;
  return options;
}

TEST_F(SigV4Suite, AmazonS3HeaderExamples) {
  const auto examples = parse_examples(read_file(kTestData / "s3-header-examples.txt"));
  ASSERT_EQ(examples.size(), 4u);
  for (const auto& [name, fields] : examples) {
    SCOPED_TRACE(name);
    ParsedRequest parsed = parse_request_text(fields.at("request") + "\n\n");
    const auto payload = fields.find("payload");
    parsed.request.payload_sha256 = sha256_hex(payload == fields.end() ? "" : payload->second);
    EXPECT_EQ(parsed.request.payload_sha256, fields.at("payload_hash"));
    const SignatureParts parts = sign_request_headers(parsed.request, s3_example_credentials(), s3_example_options());
    EXPECT_EQ(parts.canonical_request, fields.at("canonical-request"));
    EXPECT_EQ(parts.string_to_sign, fields.at("string-to-sign"));
    EXPECT_EQ(parts.signature, fields.at("signature"));
    EXPECT_EQ(parsed.request.headers.back().value, fields.at("authorization"));
  }
}

TEST_F(SigV4Suite, AmazonS3PresignedUrlExample) {
  const ExampleFields fields = parse_examples(read_file(kTestData / "s3-presign-example.txt")).at("");
  SignableRequest request{"GET", fields.at("path"), {}, {{"Host", fields.at("host")}}, std::string(kUnsignedPayload)};
  SigningOptions options = s3_example_options();
  options.add_content_sha256_header = false;
  const SignatureParts parts =
      presign_request_query(request, s3_example_credentials(), options, std::stoll(fields.at("expires_seconds")));
  EXPECT_EQ(parts.canonical_request, fields.at("canonical-request"));
  EXPECT_EQ(parts.string_to_sign, fields.at("string-to-sign"));
  EXPECT_EQ(parts.signature, fields.at("signature"));
  EXPECT_EQ(presigned_url("https://" + fields.at("host"), request, parts, false), fields.at("presigned-url"));
}

TEST(SigV4, SessionTokenIsSignedInBothModes) {
  AwsCredentials credentials = s3_example_credentials();
  credentials.session_token = "token/with+chars";
  SignableRequest header_request{"GET", "/k", {}, {{"Host", "h"}}, std::string(kUnsignedPayload)};
  const SignatureParts header_parts = sign_request_headers(header_request, credentials, s3_example_options());
  EXPECT_NE(header_parts.canonical_request.find("x-amz-security-token:token/with+chars\n"), std::string::npos);
  SignableRequest query_request{"GET", "/k", {}, {{"Host", "h"}}, std::string(kUnsignedPayload)};
  const SignatureParts query_parts = presign_request_query(query_request, credentials, s3_example_options(), 60);
  EXPECT_NE(query_parts.canonical_request.find("X-Amz-Security-Token=token%2Fwith%2Bchars"), std::string::npos);
}

TEST(SigV4, S3KeysKeepTheirDotSegmentsAndAreEncodedOnce) {
  EXPECT_EQ(canonical_path("/bucket/a b/../c%.txt", false), "/bucket/a%20b/../c%25.txt");
  EXPECT_EQ(canonical_path("/a//b/./c/", true), "/a/b/c/");
}

}  // namespace
}  // namespace live2::aws
