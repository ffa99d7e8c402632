#include "base/ip_network.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace live2 {
namespace {

constexpr int kMappedV4PrefixBits = 96;  // ::ffff:0:0/96

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

bool is_mapped_v4(const IpBytes& address) {
  static constexpr uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(address.data(), kPrefix, sizeof kPrefix) == 0;
}

IpBytes mapped(const in_addr& v4) {
  IpBytes out{};
  out[10] = out[11] = 0xff;
  std::memcpy(out.data() + 12, &v4, 4);
  return out;
}

// The bits of `address` past the first `prefix_bits` are all zero.
bool host_bits_zero(const IpBytes& address, int prefix_bits) {
  for (int bit = prefix_bits; bit < 128; ++bit) {
    if (address[bit / 8] & (0x80 >> (bit % 8))) return false;
  }
  return true;
}

}  // namespace

std::optional<IpBytes> parse_ip_address(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  char buffer[INET6_ADDRSTRLEN + 1];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  if (text.find(':') == std::string_view::npos) {
    // inet_pton accepts only the dotted quad (never 127.1, 0x7f.0.0.1 or 2130706433).
    in_addr v4{};
    if (inet_pton(AF_INET, buffer, &v4) != 1) return std::nullopt;
    return mapped(v4);
  }
  IpBytes out{};
  if (inet_pton(AF_INET6, buffer, out.data()) != 1) return std::nullopt;
  return out;
}

std::optional<IpBytes> ip_address_of(const sockaddr& address) {
  if (address.sa_family == AF_INET) return mapped(reinterpret_cast<const sockaddr_in&>(address).sin_addr);
  if (address.sa_family != AF_INET6) return std::nullopt;
  IpBytes out{};
  std::memcpy(out.data(), &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, 16);
  return out;
}

std::string ip_address_text(const IpBytes& address) {
  char buffer[INET6_ADDRSTRLEN];
  if (is_mapped_v4(address)) return inet_ntop(AF_INET, address.data() + 12, buffer, sizeof buffer);
  return inet_ntop(AF_INET6, address.data(), buffer, sizeof buffer);
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  text = trim(text);
  const size_t slash = text.find('/');
  auto address = parse_ip_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  const bool v4 = is_mapped_v4(*address) && text.substr(0, slash).find(':') == std::string_view::npos;
  const int width = v4 ? 32 : 128;
  int prefix = width;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > width) {
      return std::nullopt;
    }
  }
  IpNetwork network{*address, v4 ? kMappedV4PrefixBits + prefix : prefix};
  if (!host_bits_zero(network.address, network.prefix_bits)) return std::nullopt;
  return network;
}

bool IpNetwork::contains(const IpBytes& candidate) const {
  for (int bit = 0; bit < prefix_bits; ++bit) {
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    if ((candidate[bit / 8] & mask) != (address[bit / 8] & mask)) return false;
  }
  return true;
}

bool is_loopback(const IpBytes& address) {
  static const IpNetwork ipv4_loopback = *IpNetwork::parse("127.0.0.0/8");
  static const IpNetwork ipv6_loopback = *IpNetwork::parse("::1");
  return ipv4_loopback.contains(address) || ipv6_loopback.contains(address);
}

}  // namespace live2
