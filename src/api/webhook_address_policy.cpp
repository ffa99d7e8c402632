#include "api/webhook_address_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>
#include <cstring>

namespace live2::api {
namespace {

struct Prefix {
  std::array<uint8_t, 16> bytes;
  int length_bits;
  std::string_view reason;
};

bool matches(const std::array<uint8_t, 16>& bytes, const Prefix& prefix) {
  for (int bit = 0; bit < prefix.length_bits; ++bit) {
    const int index = bit / 8;
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    if ((bytes[index] & mask) != (prefix.bytes[index] & mask)) return false;
  }
  return true;
}

// IANA special-purpose ranges a webhook must never reach.
const Prefix kRefusedV4[] = {
    {{0}, 8, "unspecified"},
    {{10}, 8, "private"},
    {{100, 64}, 10, "private (carrier-grade NAT)"},
    {{127}, 8, "loopback"},
    {{169, 254}, 16, "link-local (includes the cloud metadata address)"},
    {{172, 16}, 12, "private"},
    {{192, 0, 0}, 24, "reserved"},
    {{192, 168}, 16, "private"},
    {{198, 18}, 15, "reserved"},
    {{224}, 4, "multicast"},
    {{240}, 4, "reserved"},
};

const Prefix kRefusedV6[] = {
    {{0xfc}, 7, "private (unique local)"},
    {{0xfe, 0x80}, 10, "link-local"},
    {{0xfe, 0xc0}, 10, "private (site local)"},
    {{0xff}, 8, "multicast"},
};

// IPv6 forms that carry an IPv4 address, and where its 4 bytes start: the embedded address is what gets reached.
struct EmbeddedV4 {
  Prefix prefix;
  int offset;
};
const EmbeddedV4 kEmbeddingV6[] = {
    {{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96, "IPv4-mapped"}, 12},
    {{{0, 0x64, 0xff, 0x9b}, 96, "NAT64"}, 12},
    {{{0x20, 0x02}, 16, "6to4"}, 2},
    {{{0}, 96, "IPv4-compatible"}, 12},
};

std::optional<std::string_view> refusal_reason_v4(const std::array<uint8_t, 16>& bytes) {
  for (const Prefix& prefix : kRefusedV4) {
    if (matches(bytes, prefix)) return prefix.reason;
  }
  return std::nullopt;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Error invalid_url(std::string message) { return Error::make("invalid_webhook_url", std::move(message)); }

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  const std::string terminated(text);
  IpAddress address;
  if (inet_pton(AF_INET, terminated.c_str(), address.bytes.data()) == 1) return address;
  address.is_v6 = true;
  if (inet_pton(AF_INET6, terminated.c_str(), address.bytes.data()) == 1) return address;
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_v6 ? AF_INET6 : AF_INET, bytes.data(), text, sizeof text);
  return text;
}

std::optional<std::string_view> refusal_reason(const IpAddress& address) {
  if (!address.is_v6) return refusal_reason_v4(address.bytes);
  const std::array<uint8_t, 16> zero{};
  std::array<uint8_t, 16> loopback{};
  loopback[15] = 1;
  if (address.bytes == zero) return "unspecified";
  if (address.bytes == loopback) return "loopback";
  for (const Prefix& prefix : kRefusedV6) {
    if (matches(address.bytes, prefix)) return prefix.reason;
  }
  for (const EmbeddedV4& form : kEmbeddingV6) {
    if (!matches(address.bytes, form.prefix)) continue;
    std::array<uint8_t, 16> v4{};
    std::copy_n(address.bytes.begin() + form.offset, 4, v4.begin());
    return refusal_reason_v4(v4);
  }
  return std::nullopt;
}

Result<std::vector<IpAddress>> SystemHostResolver::resolve(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int code = getaddrinfo(host.c_str(), nullptr, &hints, &found); code != 0) {
    return Error::make("dns_failed", "cannot resolve " + host + ": " + gai_strerror(code));
  }
  std::vector<IpAddress> addresses;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    IpAddress address;
    if (entry->ai_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(entry->ai_addr);
      std::memcpy(address.bytes.data(), &v4->sin_addr, 4);
    } else if (entry->ai_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(entry->ai_addr);
      address.is_v6 = true;
      std::memcpy(address.bytes.data(), &v6->sin6_addr, 16);
    } else {
      continue;
    }
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) addresses.push_back(address);
  }
  freeaddrinfo(found);
  if (addresses.empty()) return Error::make("dns_failed", "no IPv4 or IPv6 address for " + host);
  return addresses;
}

Result<PinnedWebhookTarget> pin_webhook_target(std::string_view url, HostResolver& resolver,
                                               const WebhookAddressPolicy& policy) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority()) return invalid_url("not an absolute URL");
  const std::string scheme = lower(parsed->scheme());
  if (scheme != "https" && !(policy.allow_insecure && scheme == "http")) {
    return invalid_url("scheme " + scheme + " is not allowed (https only)");
  }
  if (parsed->has_userinfo()) return invalid_url("credentials in the URL are not allowed");

  PinnedWebhookTarget target;
  target.url = std::string(url);
  switch (parsed->host_type()) {
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::name:
      target.host = lower(parsed->host());
      break;
    case boost::urls::host_type::ipv6:
      target.host = lower(parsed->host_address());
      break;
    default:
      return invalid_url("unsupported host");
  }
  if (target.host.empty()) return invalid_url("the URL has no host");
  if (parsed->has_port()) {
    if (parsed->port_number() == 0) return invalid_url("invalid port");
    target.port = parsed->port_number();
  } else {
    target.port = scheme == "https" ? 443 : 80;
  }

  Result<std::vector<IpAddress>> addresses = resolver.resolve(target.host);
  if (!addresses) return addresses.error();
  if (!policy.allow_insecure) {
    for (const IpAddress& address : *addresses) {
      if (auto reason = refusal_reason(address)) {
        return Error::make("address_refused", target.host + " resolves to " + address.to_string() + ", a " +
                                                  std::string(*reason) + " address");
      }
    }
  }
  target.address = addresses->front();
  return target;
}

}  // namespace live2::api
