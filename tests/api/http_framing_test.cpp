#include "api/http_framing.h"

#include <gtest/gtest.h>

namespace live2::api {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string code_of(unsigned version, const Headers& headers) {
  Status status = check_request_framing(version, headers);
  return status ? "ok" : std::string(to_string(status.error().code));
}

TEST(HttpFraming, AcceptsOneContentLengthOrChunkedAlone) {
  EXPECT_EQ(code_of(11, {}), "ok");
  EXPECT_EQ(code_of(10, {{"content-length", "12"}}), "ok");
  EXPECT_EQ(code_of(11, {{"transfer-encoding", "chunked"}}), "ok");
  EXPECT_EQ(code_of(11, {{"transfer-encoding", " Chunked "}}), "ok");
  EXPECT_EQ(code_of(11, {{"transfer-encoding", ",chunked,"}}), "ok");  // empty list elements do not count
}

TEST(HttpFraming, TransferEncodingMustEndInChunkedOnHttp11WithoutContentLength) {
  EXPECT_EQ(code_of(10, {{"transfer-encoding", "chunked"}}), "bad_request");
  EXPECT_EQ(code_of(11, {{"transfer-encoding", "chunked"}, {"content-length", "1"}}), "bad_request");
  EXPECT_EQ(code_of(11, {{"transfer-encoding", "chunked, identity"}}), "bad_request");
  EXPECT_EQ(code_of(11, {{"transfer-encoding", "gzip"}}), "bad_request");
  EXPECT_EQ(code_of(11, {{"transfer-encoding", ""}}), "bad_request");
  EXPECT_EQ(code_of(11, {{"transfer-encoding", "chunked"}, {"transfer-encoding", "chunked"}}), "bad_request");
}

TEST(HttpFraming, OtherCodingsBeforeChunkedAreNotImplemented) {
  EXPECT_EQ(code_of(11, {{"transfer-encoding", "gzip, chunked"}}), "not_implemented");
  EXPECT_EQ(code_of(11, {{"transfer-encoding", "gzip"}, {"transfer-encoding", "chunked"}}), "not_implemented");
}

TEST(HttpFraming, ContentLengthIsOnePlainNumber) {
  EXPECT_EQ(code_of(11, {{"content-length", "1"}, {"content-length", "1"}}), "bad_request");
  EXPECT_EQ(code_of(11, {{"content-length", "1, 1"}}), "bad_request");
  EXPECT_EQ(code_of(11, {{"content-length", "+1"}}), "bad_request");
  EXPECT_EQ(code_of(11, {{"content-length", ""}}), "bad_request");
}

TEST(HttpFraming, ObsFoldIsAContinuationLine) {
  EXPECT_TRUE(has_obs_fold("GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n"));
  EXPECT_TRUE(has_obs_fold("GET / HTTP/1.1\r\nX-A: a\r\n\tb\r\n\r\n"));
  EXPECT_FALSE(has_obs_fold("GET / HTTP/1.1\r\nX-A: a b\r\n\r\n"));
}

}  // namespace
}  // namespace live2::api
