// Hex encoding, SHA-256, HMAC-SHA-256 (OpenSSL) and a timing-safe comparison: what API keys, webhook signatures,
// job fingerprints and SigV4 are built from. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace live2 {

// Lowercase hex of raw bytes.
std::string hex_encode(std::string_view bytes);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Compares in time independent of where the first difference is.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace live2
