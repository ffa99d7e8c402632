#include "core/ids.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace live2 {
namespace {

constexpr std::string_view kBase36 = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kHex = "0123456789abcdef";
constexpr std::string_view kJobPrefix = "job_";
constexpr std::string_view kKeyPrefix = "sk_live_";
constexpr size_t kTimeChars = 9;     // 36^9 ms is about 3,200 years after 1970
constexpr size_t kRandomChars = 16;  // 36^16 is about 2^82
constexpr size_t kKeyHexChars = 32;

std::string random_base36(size_t count, RandomSource& random) {
  std::string out;
  out.reserve(count);
  // Rejection sampling keeps every character uniform: 252 = 7 x 36.
  while (out.size() < count) {
    std::array<uint8_t, 32> bytes{};
    random.fill(bytes.data(), bytes.size());
    for (uint8_t byte : bytes) {
      if (byte < 252 && out.size() < count) out.push_back(kBase36[byte % 36]);
    }
  }
  return out;
}

std::string to_hex(const unsigned char* data, size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0x0f]);
  }
  return out;
}

bool all_of_alphabet(std::string_view text, std::string_view alphabet) {
  return text.find_first_not_of(alphabet) == std::string_view::npos;
}

}  // namespace

SeededRandomSource::SeededRandomSource(RandomSource& seed_source) {
  seed_source.fill(reinterpret_cast<uint8_t*>(&state_), sizeof state_);
}

void SeededRandomSource::fill(uint8_t* out, size_t size) {
  for (size_t offset = 0; offset < size; offset += sizeof(uint64_t)) {
    // SplitMix64 (Steele, Lea, Flood 2014): a Weyl sequence through a bijective mixer, so no value repeats
    // within 2^64 draws.
    uint64_t mixed = (state_ += 0x9e3779b97f4a7c15ULL);
    mixed = (mixed ^ (mixed >> 30)) * 0xbf58476d1ce4e5b9ULL;
    mixed = (mixed ^ (mixed >> 27)) * 0x94d049bb133111ebULL;
    mixed ^= mixed >> 31;
    std::memcpy(out + offset, &mixed, std::min(sizeof mixed, size - offset));
  }
}

void OsRandomSource::fill(uint8_t* out, size_t size) {
  if (RAND_bytes(out, static_cast<int>(size)) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
}

std::string new_job_id(int64_t now_ms, RandomSource& random) {
  std::string time_part(kTimeChars, '0');
  auto remaining = static_cast<uint64_t>(now_ms < 0 ? 0 : now_ms);
  for (size_t i = kTimeChars; i-- > 0 && remaining > 0;) {
    time_part[i] = kBase36[remaining % 36];
    remaining /= 36;
  }
  return std::string(kJobPrefix) + time_part + random_base36(kRandomChars, random);
}

bool is_valid_job_id(std::string_view text) {
  if (!text.starts_with(kJobPrefix)) return false;
  std::string_view rest = text.substr(kJobPrefix.size());
  return rest.size() >= 20 && rest.size() <= 64 && all_of_alphabet(rest, kBase36);
}

std::string new_api_key(RandomSource& random) {
  std::array<uint8_t, kKeyHexChars / 2> bytes{};
  random.fill(bytes.data(), bytes.size());
  return std::string(kKeyPrefix) + to_hex(bytes.data(), bytes.size());
}

bool looks_like_api_key(std::string_view text) {
  return text.size() == kKeyPrefix.size() + kKeyHexChars && text.starts_with(kKeyPrefix) &&
         all_of_alphabet(text.substr(kKeyPrefix.size()), kHex);
}

std::string new_random_id(std::string_view prefix, RandomSource& random) {
  return std::string(prefix) + random_base36(20, random);
}

std::string hex_encode(std::string_view bytes) {
  return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

namespace {

// OpenSSL 3 resolves EVP_sha256() in its provider registry at every use (locks and a lookup): fetched once, a
// digest of an API key takes 123 ns instead of 332 ns (build/bin/live2-bench-core). Kept for the life of the process.
const EVP_MD* sha256_method() {
  static EVP_MD* const method = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return method;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, sha256_method(), nullptr);
  return to_hex(digest.data(), length);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(sha256_method(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest.data(), &length);
  return to_hex(digest.data(), length);
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace live2
