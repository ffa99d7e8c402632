// A job's `name` and `tags`: labels its submitter attaches to find it again (GET /api/v1/jobs?name=&tag=). Both job
// types carry them. Bounded so that a job row, a listing and the tag index stay small whatever a client sends:
// a name of at most 200 bytes, at most 16 tags of a key (1-64 of [A-Za-z0-9_.-]) and a value (at most 256 bytes).
// Names and values may be any UTF-8 text without control characters. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace live2 {

inline constexpr size_t kMaxJobNameBytes = 200;
inline constexpr size_t kMaxJobTags = 16;
inline constexpr size_t kMaxTagKeyBytes = 64;
inline constexpr size_t kMaxTagValueBytes = 256;

// Sorted by key, so a job's tags render in one order.
using JobTags = std::map<std::string, std::string>;

// Each answers what is wrong, in words that follow the field's name ("must be ..."), or nullopt when it is fine.
std::optional<std::string> job_name_problem(std::string_view name);
std::optional<std::string> tag_key_problem(std::string_view key);
std::optional<std::string> tag_value_problem(std::string_view value);

// The tags as a JSON object text ({"k":"v",...}) and back; parsing fails (`unavailable`) only on text that
// tags_to_json did not write, i.e. a corrupt store.
std::string tags_to_json(const JobTags& tags);
Result<JobTags> tags_from_json(std::string_view text);

}  // namespace live2
