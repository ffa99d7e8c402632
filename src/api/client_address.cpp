#include "api/client_address.h"

#include <algorithm>
#include <optional>

namespace live2::api {
namespace {

bool is_trusted(const IpBytes& address, const std::vector<IpNetwork>& trusted_proxies) {
  for (const IpNetwork& network : trusted_proxies) {
    if (network.contains(address)) return true;
  }
  return false;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// One X-Forwarded-For entry: an address, also "[v6]", "[v6]:port" or "v4:port" as some proxies write them.
std::optional<IpBytes> forwarded_address(std::string_view entry) {
  entry = trim(entry);
  if (entry.starts_with('[')) {
    const size_t close = entry.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return parse_ip_address(entry.substr(1, close - 1));
  }
  const size_t colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    entry = entry.substr(0, colon);  // v4:port (an IPv6 address has at least two colons)
  }
  return parse_ip_address(entry);
}

// Every X-Forwarded-For entry, in order, across repeated headers (a list split over several lines is one list).
std::vector<std::string_view> forwarded_entries(const Request& request) {
  std::vector<std::string_view> entries;
  for (const auto& [name, value] : request.headers) {
    if (name != "x-forwarded-for") continue;
    std::string_view rest = value;
    while (true) {
      const size_t comma = rest.find(',');
      entries.push_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return entries;
}

}  // namespace

std::string client_address(const Request& request, const std::vector<IpNetwork>& trusted_proxies) {
  auto peer = parse_ip_address(request.remote_address);
  if (!peer) return request.remote_address;
  IpBytes client = *peer;
  if (!is_trusted(client, trusted_proxies)) return ip_address_text(client);
  const auto entries = forwarded_entries(request);
  for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {
    auto hop = forwarded_address(*entry);
    // A trusted proxy wrote something that is not an address: believe nothing further left, the proxy is the client.
    if (!hop) break;
    client = *hop;
    if (!is_trusted(client, trusted_proxies)) break;
  }
  return ip_address_text(client);
}

std::string address_limit_key(std::string_view address) {
  auto bytes = parse_ip_address(address);
  if (!bytes) return std::string(address);
  const std::string text = ip_address_text(*bytes);
  if (text.find(':') == std::string::npos) return text;
  IpBytes prefix{};
  std::copy(bytes->begin(), bytes->begin() + 8, prefix.begin());
  return ip_address_text(prefix) + "/64";
}

}  // namespace live2::api
