#include "webhooks/webhook_address_policy.h"

#include <gtest/gtest.h>

#include "webhook_fakes.h"

namespace live2::webhooks {
namespace {

struct AddressCase {
  const char* address;
  bool allowed;
};

class AddressPolicyTable : public ::testing::TestWithParam<AddressCase> {};

TEST_P(AddressPolicyTable, ClassifiesAddress) {
  const auto parsed = IpAddress::parse(GetParam().address);
  ASSERT_TRUE(parsed) << GetParam().address;
  const auto reason = refusal_reason(*parsed);
  EXPECT_EQ(!reason.has_value(), GetParam().allowed)
      << GetParam().address << " reason: " << reason.value_or("(allowed)");
}

INSTANTIATE_TEST_SUITE_P(
    Addresses, AddressPolicyTable,
    ::testing::Values(
        // public IPv4
        AddressCase{"93.184.216.34", true}, AddressCase{"8.8.8.8", true}, AddressCase{"1.1.1.1", true},
        AddressCase{"172.15.255.255", true}, AddressCase{"172.32.0.1", true}, AddressCase{"100.63.255.255", true},
        AddressCase{"100.128.0.1", true}, AddressCase{"169.253.255.255", true}, AddressCase{"11.0.0.1", true},
        AddressCase{"223.255.255.254", true},
        // refused IPv4
        AddressCase{"0.0.0.0", false}, AddressCase{"0.1.2.3", false}, AddressCase{"127.0.0.1", false},
        AddressCase{"127.255.255.254", false}, AddressCase{"10.0.0.1", false}, AddressCase{"10.255.255.255", false},
        AddressCase{"172.16.0.1", false}, AddressCase{"172.31.255.255", false}, AddressCase{"192.168.1.1", false},
        AddressCase{"100.64.0.1", false}, AddressCase{"100.127.255.255", false}, AddressCase{"169.254.0.1", false},
        AddressCase{"169.254.169.254", false}, AddressCase{"224.0.0.1", false}, AddressCase{"239.255.255.250", false},
        AddressCase{"240.0.0.1", false}, AddressCase{"255.255.255.255", false}, AddressCase{"192.0.0.8", false},
        AddressCase{"198.18.0.1", false},
        // public IPv6
        AddressCase{"2606:4700:4700::1111", true}, AddressCase{"2001:4860:4860::8888", true},
        AddressCase{"::ffff:8.8.8.8", true}, AddressCase{"64:ff9b::808:808", true},
        AddressCase{"2002:808:808::1", true},
        // refused IPv6
        AddressCase{"::", false}, AddressCase{"::1", false}, AddressCase{"fc00::1", false},
        AddressCase{"fd00:ec2::254", false}, AddressCase{"fdff:ffff::1", false}, AddressCase{"fe80::1", false},
        AddressCase{"febf:ffff::1", false}, AddressCase{"fec0::1", false}, AddressCase{"ff02::1", false},
        AddressCase{"ff05::1:3", false},
        // IPv4 hidden in IPv6
        AddressCase{"::ffff:127.0.0.1", false}, AddressCase{"::ffff:7f00:1", false},
        AddressCase{"::ffff:10.1.2.3", false}, AddressCase{"::ffff:169.254.169.254", false},
        AddressCase{"::ffff:192.168.0.1", false}, AddressCase{"::ffff:0.0.0.0", false},
        AddressCase{"::127.0.0.1", false}, AddressCase{"64:ff9b::a9fe:a9fe", false},
        AddressCase{"64:ff9b::7f00:1", false}, AddressCase{"2002:7f00:1::", false},
        AddressCase{"2002:a9fe:a9fe::1", false}));

TEST(IpAddress, ParsesAndPrintsBothFamilies) {
  EXPECT_EQ(IpAddress::parse("10.0.0.1")->to_string(), "10.0.0.1");
  EXPECT_EQ(IpAddress::parse("FE80::0001")->to_string(), "fe80::1");
  EXPECT_FALSE(IpAddress::parse("example.com"));
  EXPECT_FALSE(IpAddress::parse("[::1]"));
  EXPECT_FALSE(IpAddress::parse("1.2.3"));
}

TEST(PinWebhookTarget, PinsThePublicAddressWithDefaultPort) {
  FixedResolver dns;
  dns.records["hooks.example.com"] = {"93.184.216.34"};
  auto target = pin_webhook_target("https://Hooks.Example.com/a/b?c=d", dns, {});
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->host, "hooks.example.com");
  EXPECT_EQ(target->port, 443);
  EXPECT_EQ(target->address.to_string(), "93.184.216.34");
  EXPECT_EQ(target->url, "https://Hooks.Example.com/a/b?c=d");
}

TEST(PinWebhookTarget, RefusesWhenAnyRecordIsPrivate) {
  FixedResolver dns;
  dns.records["mixed.example.com"] = {"93.184.216.34", "10.0.0.5"};
  auto target = pin_webhook_target("https://mixed.example.com:8443/", dns, {});
  ASSERT_FALSE(target);
  EXPECT_EQ(target.error().code, ErrorCode::address_refused);
  EXPECT_NE(target.error().message.find("10.0.0.5"), std::string::npos);
}

TEST(PinWebhookTarget, ChecksLiteralAddressesIncludingBracketedIpv6WithoutDns) {
  FixedResolver dns;  // knows no names: a literal must not need one
  auto v6 = pin_webhook_target("https://[::1]:9000/hook", dns, {});
  ASSERT_FALSE(v6);
  EXPECT_EQ(v6.error().code, ErrorCode::address_refused);
  auto metadata = pin_webhook_target("https://169.254.169.254/latest/meta-data", dns, {});
  ASSERT_FALSE(metadata);
  EXPECT_EQ(metadata.error().code, ErrorCode::address_refused);
  EXPECT_TRUE(dns.asked.empty());
  auto public_v6 = pin_webhook_target("https://[2606:4700:4700::1111]:8443/", dns, {});
  ASSERT_TRUE(public_v6) << public_v6.error().message;
  EXPECT_EQ(public_v6->host, "2606:4700:4700::1111");
  EXPECT_EQ(public_v6->address.to_string(), "2606:4700:4700::1111");
  EXPECT_EQ(public_v6->port, 8443);
}

// Every spelling of an internal address that needs no DNS, as curl (and inet_aton) would read it: refused before
// any lookup, at submit as at delivery.
class InternalWithoutDns : public ::testing::TestWithParam<const char*> {};

TEST_P(InternalWithoutDns, IsRefusedWithoutAskingDns) {
  FixedResolver dns;
  for (const char* name : {"localhost", "app.localhost", "Foo.LocalHost."}) dns.records[name] = {"93.184.216.34"};
  const std::string url = std::string("https://") + GetParam() + "/hook";
  Status checked = check_webhook_url_without_dns(url, {});
  ASSERT_FALSE(checked) << url;
  EXPECT_EQ(checked.error().code, ErrorCode::address_refused) << url << ": " << checked.error().message;
  auto pinned = pin_webhook_target(url, dns, {});
  ASSERT_FALSE(pinned) << url;
  EXPECT_EQ(pinned.error().code, ErrorCode::address_refused) << url;
  EXPECT_TRUE(dns.asked.empty()) << url << " went to DNS as " << dns.asked.front();
}

INSTANTIATE_TEST_SUITE_P(
    Spellings, InternalWithoutDns,
    ::testing::Values("2130706433", "0x7f000001", "0X7F000001", "127.1", "127.0.1", "0", "0.0.0.0", "0177.0.0.1",
                      "0177.1", "0x7f.1", "017700000001", "0177.0.0.1.", "%31%32%37.0.0.1", "3232235777",
                      "0xa9.0xfe.0xa9.0xfe", "2852039166", "10.1", "localhost", "LOCALHOST", "localhost.",
                      "app.localhost", "Foo.LocalHost.", "localhost:8443", "[::1]", "[0:0:0:0:0:0:0:1]", "[::]",
                      "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]",
                      "[0:0:0:0:0:ffff:7f00:0001]", "[::127.0.0.1]", "[64:ff9b::7f00:1]", "[fe80::1]", "[fd00::1]"));

TEST(CheckWebhookUrlWithoutDns, AcceptsPublicAddressesAndLeavesNamesToDelivery) {
  for (const char* url : {"https://hooks.example.com/x", "https://93.184.216.34/x", "https://1572395042/x",
                          "https://0x5db8d822/x", "https://[2606:4700:4700::1111]/x", "https://localhost.example.com/",
                          "https://mylocalhost/", "https://example.com:65535/", "https://example.com:1/",
                          "https://example.com:/"}) {
    Status checked = check_webhook_url_without_dns(url, {});
    EXPECT_TRUE(checked) << url << ": " << checked.error().message;
  }
}

TEST(CheckWebhookUrlWithoutDns, RefusesPortsOutside1To65535AndHostsThatEndInABadNumber) {
  for (const char* url : {"https://example.com:0/", "https://example.com:65536/", "https://example.com:99999/",
                          "https://example.com:4294967297/", "https://example.com:18446744073709551617/",
                          "https://1.2.3.4.5/", "https://256.1.1.1/", "https://4294967296/", "https://08/",
                          "https://0x1.0x100.1.1/", "https://example.123/", "https://1..2/",
                          "https://127.0.0.1x/", "https://127.0.0.1./", "https://93.184.216.34.example.com/"}) {
    Status checked = check_webhook_url_without_dns(url, {});
    ASSERT_FALSE(checked) << url;
    EXPECT_EQ(checked.error().code, ErrorCode::invalid_webhook_url) << url << ": " << checked.error().message;
  }
}

TEST(CheckWebhookUrlWithoutDns, NumericHostsResolveToTheAddressCurlWouldReach) {
  FixedResolver dns;
  auto pinned = pin_webhook_target("http://2130706433:8081/hook", dns, {.allow_insecure = true});
  ASSERT_TRUE(pinned) << pinned.error().message;
  EXPECT_EQ(pinned->address.to_string(), "127.0.0.1");
  EXPECT_EQ(pinned->port, 8081);
  auto octal = pin_webhook_target("https://0300.0250.1.1/", dns, {.allow_insecure = true});
  ASSERT_TRUE(octal) << octal.error().message;
  EXPECT_EQ(octal->address.to_string(), "192.168.1.1");
  EXPECT_TRUE(dns.asked.empty());
  EXPECT_TRUE(check_webhook_url_without_dns("http://localhost:8081/", {.allow_insecure = true}));
}

TEST(PinWebhookTarget, RejectsInsecureOrMalformedUrlsPermanently) {
  FixedResolver dns;
  dns.records["example.com"] = {"93.184.216.34"};
  for (const char* url : {"http://example.com/hook", "ftp://example.com/", "https://user:pw@example.com/",
                          "not a url", "https:///nohost", "https://example.com:0/"}) {
    auto target = pin_webhook_target(url, dns, {});
    ASSERT_FALSE(target) << url;
    EXPECT_EQ(target.error().code, ErrorCode::invalid_webhook_url) << url;
  }
}

TEST(PinWebhookTarget, AllowInsecurePermitsHttpAndLoopback) {
  FixedResolver dns;
  dns.records["127.0.0.1"] = {"127.0.0.1"};
  auto target = pin_webhook_target("http://127.0.0.1:8081/hook", dns, {.allow_insecure = true});
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->port, 8081);
  EXPECT_EQ(target->address.to_string(), "127.0.0.1");
}

TEST(PinWebhookTarget, ReportsDnsFailure) {
  FixedResolver dns;
  auto target = pin_webhook_target("https://nowhere.example/", dns, {});
  ASSERT_FALSE(target);
  EXPECT_EQ(target.error().code, ErrorCode::dns_failed);
}

TEST(SystemHostResolver, ResolvesLiteralsWithoutDns) {
  SystemHostResolver dns;
  auto v4 = dns.resolve("127.0.0.1");
  ASSERT_TRUE(v4) << v4.error().message;
  EXPECT_EQ(v4->front().to_string(), "127.0.0.1");
  auto v6 = dns.resolve("::1");
  ASSERT_TRUE(v6) << v6.error().message;
  EXPECT_EQ(v6->front().to_string(), "::1");
}

}  // namespace
}  // namespace live2::webhooks
