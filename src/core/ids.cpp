#include "core/ids.h"

#include "base/hashing.h"

#include <array>

namespace live2 {
namespace {

constexpr std::string_view kBase36 = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kHex = "0123456789abcdef";
constexpr std::string_view kJobPrefix = "job_";
constexpr std::string_view kKeyPrefix = "sk_live_";
constexpr size_t kTimeChars = 9;     // 36^9 ms is about 3,200 years after 1970
constexpr size_t kRandomChars = 16;  // 36^16 is about 2^82
constexpr size_t kKeyHexChars = 32;
static_assert(kTimeChars + kRandomChars == kJobIdChars);

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

bool all_of_alphabet(std::string_view text, std::string_view alphabet) {
  return text.find_first_not_of(alphabet) == std::string_view::npos;
}

}  // namespace

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

bool is_job_id_prefix(std::string_view text) {
  if (!text.starts_with(kJobPrefix)) return false;
  std::string_view rest = text.substr(kJobPrefix.size());
  return !rest.empty() && rest.size() < kJobIdChars && all_of_alphabet(rest, kBase36);
}

std::string new_api_key(RandomSource& random) {
  std::array<uint8_t, kKeyHexChars / 2> bytes{};
  random.fill(bytes.data(), bytes.size());
  return std::string(kKeyPrefix) +
         hex_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

bool looks_like_api_key(std::string_view text) {
  return text.size() == kKeyPrefix.size() + kKeyHexChars && text.starts_with(kKeyPrefix) &&
         all_of_alphabet(text.substr(kKeyPrefix.size()), kHex);
}

std::string new_random_id(std::string_view prefix, RandomSource& random) {
  return std::string(prefix) + random_base36(20, random);
}

}  // namespace live2
