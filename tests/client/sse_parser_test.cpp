#include "client/sse_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace live2::client {
namespace {

std::vector<SseEvent> parse_in_pieces(std::string_view text, size_t piece_size) {
  SseParser parser;
  std::vector<SseEvent> events;
  for (size_t at = 0; at < text.size(); at += piece_size) {
    parser.feed(text.substr(at, piece_size), [&](const SseEvent& event) {
      events.push_back(event);
      return true;
    });
  }
  return events;
}

TEST(SseParser, ParsesEventsSplitAnywhere) {
  const std::string stream =
      ": heartbeat\n\nevent: job\ndata: {\"a\":1}\n\r\nevent: job\r\nid: 7\r\ndata: line one\r\ndata: line two\r\n\r\n"
      "data: plain\r\r";
  for (size_t piece : {1u, 2u, 5u, 1000u}) {
    const auto events = parse_in_pieces(stream, piece);
    ASSERT_EQ(events.size(), 3u) << "piece size " << piece;
    EXPECT_EQ(events[0].event, "job");
    EXPECT_EQ(events[0].data, "{\"a\":1}");
    EXPECT_EQ(events[1].data, "line one\nline two");
    EXPECT_EQ(events[1].id, "7");
    EXPECT_EQ(events[2].event, "message");
    EXPECT_EQ(events[2].data, "plain");
  }
}

TEST(SseParser, HoldsAnIncompleteEventAndStopsWhenAsked) {
  SseParser parser;
  int seen = 0;
  auto count = [&](const SseEvent&) { return ++seen < 1; };
  EXPECT_TRUE(parser.feed("event: job\ndata: x\n", count));
  EXPECT_EQ(seen, 0);
  EXPECT_FALSE(parser.feed("\nevent: job\ndata: y\n\n", count));
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace live2::client
