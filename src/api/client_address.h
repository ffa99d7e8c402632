// Who a request comes from, for per-address limits and the access log. It is the TCP peer (Request::remote_address)
// unless the peer is a trusted proxy (LIVE2_TRUSTED_PROXIES). Then X-Forwarded-For is read from the right, since
// each proxy appends the address it saw, and the first entry that is not itself a trusted proxy is the client.
// Entries left of it are whatever the client wrote and are never believed. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/http_message.h"
#include "base/ip_network.h"

namespace live2::api {

// The client's address as text (IPv4 as a dotted quad, also when the peer was reported IPv4-mapped); the peer text
// unchanged when it is not an address (empty in handler tests without sockets).
std::string client_address(const Request& request, const std::vector<IpNetwork>& trusted_proxies);

// The name per-address limits count under: an IPv4 address itself, an IPv6 address's /64 (a host commonly holds a
// whole /64, so counting single IPv6 addresses would let one client rotate through 2^64 of them).
std::string address_limit_key(std::string_view address);

}  // namespace live2::api
