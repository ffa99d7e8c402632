// Which webhook destinations live2 may connect to (docs/api.md, Webhooks): only https, and never an address inside the
// operator's network: loopback, private (RFC 1918, CGNAT, unique-local IPv6), link-local (incl. the cloud metadata
// address 169.254.169.254), multicast, unspecified or reserved, also when written as an IPv4-mapped/-compatible or
// NAT64 IPv6 address. The host is resolved on EVERY delivery (a name may be re-pointed after the submit check: DNS
// rebinding) and the delivery connects to exactly the address that was checked (see webhook_transport.h).
// A host that is an address without any lookup is read the way curl and inet_aton read it (`2130706433`,
// `0x7f000001`, `127.1`, `0177.0.0.1` are all 127.0.0.1), and `localhost` / `*.localhost` are loopback by name
// (RFC 6761), so both are judged at submit already (check_webhook_url_without_dns).
// `allow_insecure` (LIVE2_WEBHOOK_ALLOW_INSECURE, local development only) also allows http and every address.
// Pure functions plus HostResolver (an outside effect: DNS); SystemHostResolver is thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace live2::webhooks {

struct IpAddress {
  bool is_v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4

  static std::optional<IpAddress> parse(std::string_view text);  // dotted quad or IPv6 text, no brackets
  std::string to_string() const;
  bool operator==(const IpAddress&) const = default;
};

// Why an address is refused, or nullopt when it is a public unicast address.
std::optional<std::string_view> refusal_reason(const IpAddress& address);

class HostResolver {
 public:
  virtual ~HostResolver() = default;
  // Every address the name resolves to (a literal address resolves to itself). Error code `dns_failed`.
  virtual Result<std::vector<IpAddress>> resolve(const std::string& host) = 0;
};

class SystemHostResolver final : public HostResolver {
 public:
  Result<std::vector<IpAddress>> resolve(const std::string& host) override;
};

struct WebhookAddressPolicy {
  bool allow_insecure = false;
};

// A webhook URL checked for one delivery: the address to connect to is fixed here.
struct PinnedWebhookTarget {
  std::string url;
  std::string host;  // lower-case, without brackets
  uint16_t port = 0;
  IpAddress address;  // checked; the transport must connect to this one and no other
};

// Errors: `invalid_webhook_url` (malformed, not https, credentials, a port outside 1-65535, a host that ends in a
// number but is no IPv4 address: permanent, retrying cannot help), `dns_failed`, `address_refused` (some resolved
// address is not allowed: every address must pass, otherwise a name with one public and one private record could
// still reach the private one). Literal and numeric hosts are never given to the resolver.
Result<PinnedWebhookTarget> pin_webhook_target(std::string_view url, HostResolver& resolver,
                                               const WebhookAddressPolicy& policy);

// Everything pin_webhook_target can decide without DNS (the submit-time check): the same errors except `dns_failed`.
Status check_webhook_url_without_dns(std::string_view url, const WebhookAddressPolicy& policy);

}  // namespace live2::webhooks
