#include "checkpoint_format.h"

#include <array>
#include <cstring>

#include <openssl/evp.h>

namespace live2::sim {
namespace {

constexpr std::string_view kMagic = "LIVE2CKP";
constexpr size_t kDigestBytes = 32;

std::array<unsigned char, kDigestBytes> sha256(const char* data, size_t size) {
  std::array<unsigned char, kDigestBytes> digest{};
  unsigned int length = 0;
  EVP_Digest(data, size, digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

}  // namespace

std::string seal_checkpoint(const std::string& payload) {
  std::string file(kMagic);
  const uint32_t version = kCheckpointVersion;
  file.append(reinterpret_cast<const char*>(&version), sizeof version);
  file += payload;
  const auto digest = sha256(file.data(), file.size());
  file.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return file;
}

Result<std::string> open_checkpoint(const std::string& file) {
  const size_t header = kMagic.size() + sizeof(uint32_t);
  if (file.size() < header + kDigestBytes) return Error::make(ErrorCode::corrupt_payload, "checkpoint is truncated");
  if (file.compare(0, kMagic.size(), kMagic) != 0) {
    return Error::make(ErrorCode::corrupt_payload, "not a live2 checkpoint (bad magic)");
  }
  uint32_t version = 0;
  std::memcpy(&version, file.data() + kMagic.size(), sizeof version);
  if (version != kCheckpointVersion) {
    return Error::make(ErrorCode::corrupt_payload, "unsupported checkpoint version " + std::to_string(version) +
                                                          " (this build reads version " +
                                                          std::to_string(kCheckpointVersion) + ")");
  }
  const size_t body = file.size() - kDigestBytes;
  const auto digest = sha256(file.data(), body);
  if (std::memcmp(digest.data(), file.data() + body, kDigestBytes) != 0) {
    return Error::make(ErrorCode::corrupt_payload, "checkpoint checksum mismatch (corrupt or truncated)");
  }
  return file.substr(header, body - header);
}

}  // namespace live2::sim
