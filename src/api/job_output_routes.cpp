// What a job produced: GET /api/v1/jobs/{job_id}/artifacts, /logs, /events (SSE) and /metrics.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/artifact_listing_json.h"
#include "api/job_event_stream.h"
#include "api/json_responses.h"
#include "api/metrics_table.h"
#include "api/query_numbers.h"
#include "api/routes.h"
#include "base/time_format.h"

namespace live2::api {
namespace {

constexpr int64_t kDefaultLogTailLines = 200;
constexpr int64_t kMaxLogTailLines = 10'000;
// A refused event stream waits for one of the user's other streams to close, which nobody can predict.
constexpr int kEventStreamRetryAfterSeconds = 30;

// What retention deleted is gone for good: 410 with when and why, rather than a 404 that reads like a mistake.
std::optional<Response> artifacts_deleted(const ApiContext& context, const Job& job) {
  if (!job.artifacts_deleted_at_ms) return std::nullopt;
  return error_response(410, ErrorCode::gone,
                        "the artifacts and logs of job " + job.job_id + " were deleted at " +
                            format_iso8601_ms(*job.artifacts_deleted_at_ms) +
                            " by the server's retention policy, which keeps them " +
                            std::to_string(context.parts.settings.retention_days) +
                            " days after a job finishes (LIVE2_RETENTION_DAYS); the job record is kept");
}

Response list_artifacts(ApiContext& context, ApiCall& call) {
  auto expires_in = integer_query(call, "expires_in", kDefaultUrlExpirySeconds, kMinUrlExpirySeconds,
                                  kMaxUrlExpirySeconds);
  if (!expires_in) return error_response(expires_in.error());
  const std::optional<std::string_view> prefix = call.query_value("prefix");
  Result<ArtifactScope> scope = prefix ? scope_under(*prefix) : Result<ArtifactScope>(ArtifactScope{});
  if (!scope) return error_response(scope.error());
  auto job = find_visible_job(context, call);
  if (!job) return error_response(job.error());
  if (auto gone = artifacts_deleted(context, *job)) return std::move(*gone);
  auto listing = context.parts.artifacts.list(*job, prefix ? *scope : default_scope_for(*job), *expires_in);
  if (!listing) {
    spdlog::error(R"({{"event":"artifact_list_failed","job_id":"{}","code":"{}","message":"{}"}})", job->job_id,
                  listing.error().code_name(), listing.error().message);
    return error_response(503, ErrorCode::unavailable, "the artifact store is not available");
  }
  return json_response(200, artifact_listing_to_json(job->job_id, *listing));
}

Response read_logs(ApiContext& context, ApiCall& call) {
  auto tail = integer_query(call, "tail", kDefaultLogTailLines, 1, kMaxLogTailLines);
  if (!tail) return error_response(tail.error());
  auto job = find_visible_job(context, call);
  if (!job) return error_response(job.error());
  if (auto gone = artifacts_deleted(context, *job)) return std::move(*gone);
  auto text = context.executor.read_log_tail(*job, static_cast<int>(*tail));
  if (!text) {
    const bool missing = text.error().code == ErrorCode::not_found;
    return error_response(missing ? 404 : 503, missing ? ErrorCode::not_found : ErrorCode::unavailable,
                          text.error().message);
  }
  Response response;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(text).value();
  return response;
}

Response stream_events(ApiContext& context, ApiCall& call) {
  auto job = find_visible_job(context, call);
  if (!job) return error_response(job.error());
  auto stream = JobEventStream::admit(job->job_id, call.principal->user_id,
                                      {context.parts.jobs, context.events, context.job_outputs},
                                      context.event_streams, context.sse_heartbeat_interval_ms);
  if (!stream) {
    Response refused = error_response(429, ErrorCode::quota_exceeded,
                                      "you have " + std::to_string(context.event_streams.max_per_user()) +
                                          " event streams open, the most one user may; close one, or poll the job");
    refused.set_header("Retry-After", std::to_string(kEventStreamRetryAfterSeconds));
    return refused;
  }
  Response response;
  response.content_type = "text/event-stream";
  response.set_header("Cache-Control", "no-cache");
  response.set_header("X-Accel-Buffering", "no");  // nginx in front must not buffer the stream
  response.event_stream = std::move(stream);
  return response;
}

Response read_metrics(ApiContext& context, ApiCall& call) {
  auto job = find_visible_job(context, call);
  if (!job) return error_response(job.error());
  if (auto gone = artifacts_deleted(context, *job)) return std::move(*gone);
  auto csv = context.parts.artifacts.read(*job, "metrics.csv");
  if (!csv) {
    if (csv.error().code == ErrorCode::not_found) {
      return error_response(404, ErrorCode::not_found,
                            "the job has no metrics yet (the first row appears once the simulation has started)");
    }
    return error_response(503, ErrorCode::unavailable, "the artifact store is not available");
  }
  auto table = metrics_csv_to_json(job->job_id, *csv);
  if (!table) return error_response(500, ErrorCode::internal, table.error().message);
  return json_response(200, *table);
}

}  // namespace

void add_job_output_routes(Router& router, ApiContext& context) {
  ApiContext* shared = &context;
  router.add("GET", "/api/v1/jobs/{job_id}/artifacts", Access::authenticated,
             [shared](ApiCall& call) { return list_artifacts(*shared, call); });
  router.add("GET", "/api/v1/jobs/{job_id}/logs", Access::authenticated,
             [shared](ApiCall& call) { return read_logs(*shared, call); });
  router.add("GET", "/api/v1/jobs/{job_id}/events", Access::authenticated,
             [shared](ApiCall& call) { return stream_events(*shared, call); });
  router.add("GET", "/api/v1/jobs/{job_id}/metrics", Access::authenticated,
             [shared](ApiCall& call) { return read_metrics(*shared, call); });
}

}  // namespace live2::api
