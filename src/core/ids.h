// Identifiers and secrets (hashing itself is in base/hashing.h). Job ids are `job_` + 9 base36 characters of the
// creation time in milliseconds (so ids sort by creation time) + 16 base36 random characters (82 random bits:
// unguessable). API keys are `sk_live_` + 32 lowercase hex characters (128 random bits); only their SHA-256 is ever
// stored. Thread-safe when the RandomSource is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/random_source.h"

namespace live2 {

// The base36 characters after "job_" in the ids new_job_id makes (is_valid_job_id also accepts 20 to 64).
inline constexpr size_t kJobIdChars = 25;

std::string new_job_id(int64_t now_ms, RandomSource& random);
bool is_valid_job_id(std::string_view text);
// Whether `text` can be the start of a job id: "job_" and fewer than kJobIdChars base36 characters, at least one
// (the CLI resolves such a prefix to the one job it names, like git does commits).
bool is_job_id_prefix(std::string_view text);

std::string new_api_key(RandomSource& random);
bool looks_like_api_key(std::string_view text);

// Short random identifier with a prefix, e.g. "key_" or "dlv_" + 20 base36 characters.
std::string new_random_id(std::string_view prefix, RandomSource& random);

}  // namespace live2
