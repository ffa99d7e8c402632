#include "api/job_list_query.h"

#include <charconv>

#include "core/ids.h"
#include "core/job_labels.h"

namespace live2::api {
namespace {

constexpr std::string_view kCursorPrefix = "c1_";
constexpr std::string_view kRunCursorPrefix = "r1_";
constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

Error bad_query(std::string message) { return Error::make(ErrorCode::bad_request, std::move(message)); }

Result<int> parse_limit(const ApiCall& call) {
  auto limit = call.query_value("limit");
  if (!limit) return kDefaultPageSize;
  int value = 0;
  auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
  if (ec != std::errc() || end != limit->data() + limit->size() || value < 1 || value > kMaxPageSize) {
    return bad_query("limit must be an integer from 1 to " + std::to_string(kMaxPageSize));
  }
  return value;
}

}  // namespace

std::string encode_job_cursor(std::string_view last_job_id) {
  std::string out(kCursorPrefix);
  uint32_t bits = 0;
  int bit_count = 0;
  for (unsigned char c : last_job_id) {
    bits = (bits << 8) | c;
    bit_count += 8;
    while (bit_count >= 6) {
      bit_count -= 6;
      out.push_back(kBase64Url[(bits >> bit_count) & 0x3f]);
    }
  }
  if (bit_count > 0) out.push_back(kBase64Url[(bits << (6 - bit_count)) & 0x3f]);
  return out;
}

std::optional<std::string> decode_job_cursor(std::string_view cursor) {
  if (!cursor.starts_with(kCursorPrefix)) return std::nullopt;
  cursor.remove_prefix(kCursorPrefix.size());
  std::string out;
  uint32_t bits = 0;
  int bit_count = 0;
  for (char c : cursor) {
    const size_t value = kBase64Url.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xff));
    }
  }
  if (!is_valid_job_id(out)) return std::nullopt;
  return out;
}

std::string encode_run_cursor(int64_t next_index) { return std::string(kRunCursorPrefix) + std::to_string(next_index); }

Result<RunPageQuery> parse_run_page_query(const ApiCall& call) {
  RunPageQuery query;
  Result<int> limit = parse_limit(call);
  if (!limit) return limit.error();
  query.limit = *limit;
  if (auto cursor = call.query_value("cursor")) {
    const std::string_view digits = cursor->substr(std::min(cursor->size(), kRunCursorPrefix.size()));
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), query.from_index);
    if (!cursor->starts_with(kRunCursorPrefix) || ec != std::errc() || end != digits.data() + digits.size() ||
        query.from_index < 0) {
      return bad_query("cursor is not one this API returned");
    }
  }
  if (auto status = call.query_value("status")) {
    query.status = parse_job_status(*status);
    if (!query.status) {
      return bad_query("status \"" + std::string(*status) +
                       "\" is not one of queued, running, completed, failed, cancelled");
    }
  }
  return query;
}

Result<JobFilter> parse_job_list_query(const ApiCall& call) {
  JobFilter filter;
  filter.limit = kDefaultPageSize;
  if (auto statuses = call.query_value("status")) {
    size_t start = 0;
    while (start <= statuses->size()) {
      const size_t comma = statuses->find(',', start);
      const std::string_view name =
          statuses->substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      auto status = parse_job_status(name);
      if (!status) {
        return bad_query("status \"" + std::string(name) +
                         "\" is not one of queued, running, completed, failed, cancelled");
      }
      filter.statuses.push_back(*status);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  if (auto job_type = call.query_value("job_type")) {
    if (*job_type != "run_simulation" && *job_type != "generate_dataset") {
      return bad_query("job_type must be run_simulation or generate_dataset");
    }
    filter.job_type = std::string(*job_type);
  }
  if (auto name = call.query_value("name")) {
    if (auto problem = job_name_problem(*name)) return bad_query("name " + *problem);
    filter.name_contains = std::string(*name);
  }
  for (const auto& [key, value] : call.query) {
    if (key != "tag") continue;
    if (filter.tags.size() == kMaxTagFilters) return bad_query("tag may be given at most 4 times");
    // Tag keys hold no ':', so the first one ends the key.
    const size_t colon = value.find(':');
    const std::string tag_key = value.substr(0, colon);
    if (auto problem = tag_key_problem(tag_key)) return bad_query("tag must be KEY or KEY:VALUE; " + *problem);
    std::optional<std::string> tag_value;
    if (colon != std::string::npos) {
      tag_value = value.substr(colon + 1);
      if (auto problem = tag_value_problem(*tag_value)) return bad_query("tag value " + *problem);
    }
    filter.tags.emplace_back(tag_key, std::move(tag_value));
  }
  Result<int> limit = parse_limit(call);
  if (!limit) return limit.error();
  filter.limit = *limit;
  if (auto cursor = call.query_value("cursor")) {
    auto last_job_id = decode_job_cursor(*cursor);
    if (!last_job_id) return bad_query("cursor is not one this API returned");
    filter.before_job_id = std::move(last_job_id);
  }
  return filter;
}

}  // namespace live2::api
