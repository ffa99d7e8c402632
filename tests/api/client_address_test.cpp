#include "api/client_address.h"

#include <gtest/gtest.h>

namespace live2::api {
namespace {

Request from(std::string peer, std::vector<std::string> forwarded = {}) {
  Request request;
  request.remote_address = std::move(peer);
  for (auto& value : forwarded) request.headers.emplace_back("x-forwarded-for", std::move(value));
  return request;
}

std::vector<IpNetwork> networks(std::initializer_list<const char*> texts) {
  std::vector<IpNetwork> out;
  for (const char* text : texts) out.push_back(IpNetwork::parse(text).value());
  return out;
}

TEST(ClientAddress, WithoutTrustedProxiesForwardedForIsIgnored) {
  EXPECT_EQ(client_address(from("198.51.100.4", {"203.0.113.9"}), {}), "198.51.100.4");
  EXPECT_EQ(client_address(from("::ffff:198.51.100.4"), {}), "198.51.100.4");
}

TEST(ClientAddress, AnUntrustedPeerIsTheClientWhateverItForwards) {
  EXPECT_EQ(client_address(from("198.51.100.4", {"203.0.113.9"}), networks({"10.0.0.0/8"})), "198.51.100.4");
}

TEST(ClientAddress, BehindTrustedProxiesTheRightMostUntrustedEntryIsTheClient) {
  const auto trusted = networks({"10.0.0.0/8", "fd00::/8"});
  // The client forged the first entry; the edge proxy appended the address it saw; an inner proxy appended the edge.
  EXPECT_EQ(client_address(from("10.0.0.2", {"1.1.1.1, 203.0.113.9, 10.0.0.1"}), trusted), "203.0.113.9");
  // Repeated headers are one list, in order.
  EXPECT_EQ(client_address(from("10.0.0.2", {"1.1.1.1", "203.0.113.9 , 10.0.0.1"}), trusted), "203.0.113.9");
  EXPECT_EQ(client_address(from("fd00::2", {"2001:db8::7"}), trusted), "2001:db8::7");
  EXPECT_EQ(client_address(from("10.0.0.2", {"[2001:db8::7]:4711"}), trusted), "2001:db8::7");
  EXPECT_EQ(client_address(from("10.0.0.2", {"203.0.113.9:4711"}), trusted), "203.0.113.9");
}

TEST(ClientAddress, ATrustedPeerWithoutUsableForwardingIsItselfOrItsLastTrustedHop) {
  const auto trusted = networks({"10.0.0.0/8"});
  EXPECT_EQ(client_address(from("10.0.0.2"), trusted), "10.0.0.2");
  EXPECT_EQ(client_address(from("10.0.0.2", {"10.0.0.1"}), trusted), "10.0.0.1");
  EXPECT_EQ(client_address(from("10.0.0.2", {"203.0.113.9, garbage"}), trusted), "10.0.0.2");
  EXPECT_EQ(client_address(from("10.0.0.2", {"203.0.113.9, unknown, 10.0.0.1"}), trusted), "10.0.0.1");
}

TEST(ClientAddress, LimitKeysAreTheIPv4AddressOrTheIPv6Slash64) {
  EXPECT_EQ(address_limit_key("198.51.100.4"), "198.51.100.4");
  EXPECT_EQ(address_limit_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(address_limit_key("2001:db8:1:2:bbbb::9"), address_limit_key("2001:db8:1:2:aaaa::1"));
  EXPECT_NE(address_limit_key("2001:db8:1:3::1"), address_limit_key("2001:db8:1:2::1"));
  EXPECT_EQ(address_limit_key(""), "");
}

}  // namespace
}  // namespace live2::api
