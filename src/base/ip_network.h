// IP addresses and networks (CIDR blocks) as settings name them, e.g. LIVE2_TRUSTED_PROXIES. An IPv4 address is
// held as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so one comparison covers a peer reported either way (a dual-
// stack listener reports IPv4 clients mapped). Pure; thread-safe.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace live2 {

using IpBytes = std::array<uint8_t, 16>;

// A literal IPv4 (dotted quad) or IPv6 address; nullopt for anything else (names, ports, brackets, zones).
std::optional<IpBytes> parse_ip_address(std::string_view text);

// The address of a socket address (IPv4 mapped); nullopt for other families.
std::optional<IpBytes> ip_address_of(const sockaddr& address);

// The address as text: dotted quad for IPv4 (also when it arrived mapped), else IPv6 text.
std::string ip_address_text(const IpBytes& address);

// 127.0.0.0/8 (also IPv4-mapped) or ::1: reachable from this machine only.
bool is_loopback(const IpBytes& address);

struct IpNetwork {
  IpBytes address{};
  int prefix_bits = 128;  // of the 128-bit (mapped) form

  // "10.0.0.0/8", "192.0.2.7" (one address), "2001:db8::/32", "::1". Host bits must be zero ("10.1.0.0/8" is
  // refused: it is probably a typo). Spaces around the text are allowed.
  static std::optional<IpNetwork> parse(std::string_view text);
  bool contains(const IpBytes& candidate) const;
};

}  // namespace live2
