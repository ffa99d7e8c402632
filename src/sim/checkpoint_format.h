// The checkpoint container: "LIVE2CKP", a format version, the payload, then the SHA-256 of everything before it.
// seal() wraps a payload; open_sealed() verifies and unwraps one, naming the problem on failure. Thread safe.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace live2::sim {

inline constexpr uint32_t kCheckpointVersion = 1;

std::string seal_checkpoint(const std::string& payload);
// The payload, or an error message (truncated, wrong magic, unsupported version, checksum mismatch).
std::variant<std::string, std::string> open_checkpoint(const std::string& file_bytes);

}  // namespace live2::sim
