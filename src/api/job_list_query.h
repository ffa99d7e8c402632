// The query of GET /api/v1/jobs (status, job_type, name, tag (repeatable), limit, cursor) as a JobFilter, and the opaque cursor format:
// "c1_" + base64url of the last job id of the previous page (job ids sort by creation time, so "older than the
// cursor" is stable while new jobs arrive). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/api_call.h"
#include "base/result.h"
#include "store/job_store.h"

namespace live2::api {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

// Errors: `bad_request` naming the parameter (unknown status or job_type, a name or tag outside job_labels.h's
// bounds, more than kMaxTagFilters tags, limit outside 1..100, bad cursor).
// The filter's user_id is left unset: the caller decides whose jobs are visible.
Result<JobFilter> parse_job_list_query(const ApiCall& call);

// GET /api/v1/jobs/{job_id}/runs: `limit` (1..100, default 20), `cursor` ("r1_" + the index of the first run of
// the next page) and `status` (one run status). Errors: `bad_request` naming the parameter.
struct RunPageQuery {
  int64_t from_index = 0;
  int limit = kDefaultPageSize;
  std::optional<JobStatus> status;
};
Result<RunPageQuery> parse_run_page_query(const ApiCall& call);
std::string encode_run_cursor(int64_t next_index);

std::string encode_job_cursor(std::string_view last_job_id);
std::optional<std::string> decode_job_cursor(std::string_view cursor);

}  // namespace live2::api
