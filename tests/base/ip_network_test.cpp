#include "base/ip_network.h"

#include <gtest/gtest.h>

namespace live2 {
namespace {

IpBytes address(const char* text) { return parse_ip_address(text).value(); }

TEST(IpNetwork, ParsesAddressesAndBlocksOfBothFamilies) {
  auto block = IpNetwork::parse(" 10.0.0.0/8 ");
  ASSERT_TRUE(block);
  EXPECT_TRUE(block->contains(address("10.200.3.4")));
  EXPECT_FALSE(block->contains(address("11.0.0.1")));
  auto one = IpNetwork::parse("192.0.2.7");
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->contains(address("192.0.2.7")));
  EXPECT_FALSE(one->contains(address("192.0.2.8")));
  auto v6 = IpNetwork::parse("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(address("2001:db8:ffff::1")));
  EXPECT_FALSE(v6->contains(address("2001:db9::1")));
  EXPECT_TRUE(IpNetwork::parse("0.0.0.0/0")->contains(address("203.0.113.9")));
}

// A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; they are the same address.
TEST(IpNetwork, IPv4MappedPeersMatchIPv4Blocks) {
  EXPECT_TRUE(IpNetwork::parse("127.0.0.1")->contains(address("::ffff:127.0.0.1")));
  EXPECT_EQ(ip_address_text(address("::ffff:198.51.100.4")), "198.51.100.4");
  EXPECT_EQ(ip_address_text(address("2001:db8::1")), "2001:db8::1");
}

// What `live2 serve` checks before warning that its plain-HTTP listener is reachable from other machines.
TEST(IpNetwork, LoopbackIsOnly127Slash8AndColonColon1) {
  for (const char* text : {"127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1"}) EXPECT_TRUE(is_loopback(address(text))) << text;
  for (const char* text : {"0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "203.0.113.9", "::2", "2001:db8::1"}) {
    EXPECT_FALSE(is_loopback(address(text))) << text;
  }
}

TEST(IpNetwork, RefusesWhatIsNotAnAddressOrBlock) {
  for (const char* text : {"", "localhost", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "10.1.0.0/8", "127.1",
                           "2130706433", "0x7f000001", "::1/129", "[::1]", "10.0.0.1:80", "10.0.0.0/8 junk"}) {
    EXPECT_FALSE(IpNetwork::parse(text)) << text;
  }
}

}  // namespace
}  // namespace live2
