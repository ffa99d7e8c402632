#include "core/job_labels.h"

#include <algorithm>
#include <boost/json.hpp>

namespace live2 {
namespace {

namespace json = boost::json;

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

bool is_tag_key_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-';
}

}  // namespace

std::optional<std::string> job_name_problem(std::string_view name) {
  if (name.empty() || name.size() > kMaxJobNameBytes) return "must be 1 to 200 bytes of text";
  if (has_control_character(name)) return "must not contain control characters";
  return std::nullopt;
}

std::optional<std::string> tag_key_problem(std::string_view key) {
  if (key.empty() || key.size() > kMaxTagKeyBytes || !std::all_of(key.begin(), key.end(), is_tag_key_character)) {
    return "tag keys must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'";
  }
  return std::nullopt;
}

std::optional<std::string> tag_value_problem(std::string_view value) {
  if (value.size() > kMaxTagValueBytes) return "must be at most 256 bytes";
  if (has_control_character(value)) return "must not contain control characters";
  return std::nullopt;
}

std::string tags_to_json(const JobTags& tags) {
  json::object object;
  for (const auto& [key, value] : tags) object[key] = value;
  return json::serialize(object);
}

Result<JobTags> tags_from_json(std::string_view text) {
  boost::system::error_code error;
  const json::value parsed = json::parse(text, error);
  if (error || !parsed.is_object()) return Error::make(ErrorCode::unavailable, "the tags are not a JSON object");
  JobTags tags;
  for (const auto& member : parsed.get_object()) {
    if (!member.value().is_string()) return Error::make(ErrorCode::unavailable, "a tag's value is not a string");
    tags.emplace(std::string(member.key()), std::string(member.value().get_string()));
  }
  return tags;
}

}  // namespace live2
