#include "webhooks/webhook_address_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <cstring>

namespace live2::webhooks {
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

Error invalid_url(std::string message) { return Error::make(ErrorCode::invalid_webhook_url, std::move(message)); }

// One part of a numeric IPv4 host as inet_aton and curl read it: 0x... hexadecimal, a leading 0 octal, else
// decimal. nullopt when the text is not such a number (or would overflow 32 bits).
std::optional<uint64_t> parse_ipv4_part(std::string_view part) {
  int base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
    if (part.empty()) return 0;  // "0x" alone is 0, as inet_aton and WHATWG URL read it
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  if (part.empty() || part.size() > 11) return std::nullopt;
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value, base);
  if (error != std::errc() || end != part.data() + part.size() || value > 0xffffffffULL) return std::nullopt;
  return value;
}

// `a`, `a.b`, `a.b.c` or `a.b.c.d`, the last part filling the remaining bytes (inet_aton); one trailing dot is the
// DNS root and ignored.
std::optional<IpAddress> parse_numeric_ipv4(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::vector<uint64_t> parts;
  while (parts.size() < 5) {
    const size_t dot = host.find('.');
    auto part = parse_ipv4_part(host.substr(0, dot));
    if (!part) return std::nullopt;
    parts.push_back(*part);
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  if (parts.size() > 4) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] > 255) return std::nullopt;
    value |= parts[i] << (8 * (3 - i));
  }
  const int last_bits = 8 * static_cast<int>(5 - parts.size());
  if (parts.back() >= (uint64_t{1} << last_bits)) return std::nullopt;
  value |= parts.back();
  IpAddress address;
  for (int i = 0; i < 4; ++i) address.bytes[i] = static_cast<uint8_t>(value >> (8 * (3 - i)));
  return address;
}

// A host whose last label is a number is meant as an IPv4 address (WHATWG URL's "ends in a number"): when it is not
// a valid one it must not go to DNS as a name.
bool ends_in_a_number(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  const size_t dot = host.rfind('.');
  std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
    last.remove_prefix(2);
    return std::all_of(last.begin(), last.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  }
  return !last.empty() &&
         std::all_of(last.begin(), last.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// RFC 6761: `localhost` and every name under it are loopback, whatever DNS says.
bool is_localhost_name(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  constexpr std::string_view kLocalhost = "localhost";
  if (host == kLocalhost) return true;
  return host.size() > kLocalhost.size() && host.ends_with(kLocalhost) &&
         host[host.size() - kLocalhost.size() - 1] == '.';
}

Error address_refused(const std::string& host, const IpAddress& address, std::string_view reason) {
  const std::string shown = address.to_string();
  return Error::make(ErrorCode::address_refused,
                     (host == shown ? host : host + " is " + shown) + ", a " + std::string(reason) + " address");
}

Error localhost_refused(const std::string& host) {
  return Error::make(ErrorCode::address_refused, host + " is a loopback name");
}

// The parts of a webhook URL the policy judges. `host` is lower-case and percent-decoded, without brackets;
// `literal` is set when the host is an address without any lookup (IPv6, dotted quad or another numeric form).
struct WebhookUrl {
  std::string host;
  uint16_t port = 0;
  std::optional<IpAddress> literal;
};

Result<uint16_t> parse_port(const boost::urls::url_view& url, std::string_view scheme) {
  if (!url.has_port() || url.port().empty()) return static_cast<uint16_t>(scheme == "https" ? 443 : 80);
  const std::string_view text = url.port();
  uint32_t port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) {
    return invalid_url("the port must be between 1 and 65535");
  }
  return static_cast<uint16_t>(port);
}

Result<WebhookUrl> parse_webhook_url(std::string_view text, const WebhookAddressPolicy& policy) {
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url || !url->has_authority()) return invalid_url("not an absolute URL");
  const std::string scheme = lower(url->scheme());
  if (scheme != "https" && !(policy.allow_insecure && scheme == "http")) {
    return invalid_url("scheme " + scheme + " is not allowed (https only)");
  }
  if (url->has_userinfo()) return invalid_url("credentials in the URL are not allowed");
  // After an authority the path is empty or starts with '/' (RFC 3986). Boost.URL 1.81 ends an IPv4 host early
  // ("1.2.3.4.5" reads as host 1.2.3.4 and path ".5"), where curl would read another host: refuse what the two would
  // read differently.
  if (!url->encoded_path().empty() && !url->encoded_path().starts_with('/')) {
    return invalid_url("the host cannot be read unambiguously");
  }
  WebhookUrl out;
  switch (url->host_type()) {
    case boost::urls::host_type::ipv4: {
      IpAddress address;
      const auto bytes = url->host_ipv4_address().to_bytes();
      std::copy(bytes.begin(), bytes.end(), address.bytes.begin());
      out.literal = address;
      out.host = address.to_string();
      break;
    }
    case boost::urls::host_type::ipv6: {
      IpAddress address;
      address.is_v6 = true;
      const auto bytes = url->host_ipv6_address().to_bytes();
      std::copy(bytes.begin(), bytes.end(), address.bytes.begin());
      out.literal = address;
      out.host = address.to_string();
      break;
    }
    case boost::urls::host_type::name:
      out.host = lower(url->host_name());
      if (auto numeric = parse_numeric_ipv4(out.host)) {
        out.literal = numeric;
      } else if (ends_in_a_number(out.host)) {
        return invalid_url("the host " + out.host + " is neither a name nor a valid IPv4 address");
      }
      break;
    default:
      return invalid_url("unsupported host");
  }
  if (out.host.empty()) return invalid_url("the URL has no host");
  Result<uint16_t> port = parse_port(*url, scheme);
  if (!port) return port.error();
  out.port = *port;
  return out;
}

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
    return Error::make(ErrorCode::dns_failed, "cannot resolve " + host + ": " + gai_strerror(code));
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
  if (addresses.empty()) return Error::make(ErrorCode::dns_failed, "no IPv4 or IPv6 address for " + host);
  return addresses;
}

Result<PinnedWebhookTarget> pin_webhook_target(std::string_view url, HostResolver& resolver,
                                               const WebhookAddressPolicy& policy) {
  Result<WebhookUrl> parsed = parse_webhook_url(url, policy);
  if (!parsed) return parsed.error();
  PinnedWebhookTarget target;
  target.url = std::string(url);
  target.host = parsed->host;
  target.port = parsed->port;
  std::vector<IpAddress> addresses;
  if (parsed->literal) {
    addresses.push_back(*parsed->literal);
  } else {
    if (!policy.allow_insecure && is_localhost_name(parsed->host)) return localhost_refused(parsed->host);
    Result<std::vector<IpAddress>> resolved = resolver.resolve(target.host);
    if (!resolved) return resolved.error();
    addresses = std::move(resolved).value();
  }
  if (!policy.allow_insecure) {
    for (const IpAddress& address : addresses) {
      if (auto reason = refusal_reason(address)) return address_refused(target.host, address, *reason);
    }
  }
  target.address = addresses.front();
  return target;
}

Status check_webhook_url_without_dns(std::string_view url, const WebhookAddressPolicy& policy) {
  Result<WebhookUrl> parsed = parse_webhook_url(url, policy);
  if (!parsed) return parsed.error();
  if (policy.allow_insecure) return {};
  if (!parsed->literal) {
    if (is_localhost_name(parsed->host)) return localhost_refused(parsed->host);
    return {};
  }
  if (auto reason = refusal_reason(*parsed->literal)) return address_refused(parsed->host, *parsed->literal, *reason);
  return {};
}

}  // namespace live2::webhooks
