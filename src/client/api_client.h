// ApiClient: typed calls to the live2 REST API (docs/api.md) for the CLI and for tests. Every call returns the
// API's own error object as an Error (code, message, per-field details, http_status, request_id from X-Request-Id);
// the transport's codes (base/http_transport.h: `connection_failed`, `dns_failed`, `timeout`, ...) when no answer
// arrived; `invalid_response` when it answered something that is not the documented JSON.
// Stateless apart from its configuration: thread-safe when the transport is.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "client/http_transport.h"

namespace live2::client {

struct ClientConfig {
  std::string base_url = "http://127.0.0.1:8080";  // LIVE2_URL
  std::string api_key;                              // LIVE2_API_KEY
  int64_t timeout_ms = 30'000;
};

// The job object with the fields the CLI reads typed; `json` is the whole object as the server sent it.
struct JobView {
  std::string job_id;
  std::string status;
  double progress = 0;
  std::optional<double> eta_seconds;
  std::optional<std::string> error;
  bool cancel_requested = false;
  boost::json::object json;

  bool terminal() const { return status == "completed" || status == "failed" || status == "cancelled"; }
};

struct JobPage {
  std::vector<JobView> jobs;
  std::optional<std::string> next_cursor;
  boost::json::object json;
};

struct JobListQuery {
  std::vector<std::string> statuses;  // empty: any
  std::optional<std::string> job_type;
  int limit = 20;
  std::optional<std::string> cursor;
};

// A page of a dataset's runs (GET /api/v1/jobs/{job_id}/runs): the run objects as the server sent them.
struct RunPage {
  boost::json::array runs;
  std::optional<std::string> next_cursor;
  boost::json::object json;
};

struct RunListQuery {
  std::optional<std::string> status;  // one run status; nullopt: any
  int limit = 20;
  std::optional<std::string> cursor;
};

struct Artifact {
  std::string key;
  std::string name;
  int64_t size = 0;
  std::string last_modified;
  std::string content_type;
  std::string url;  // signed: downloads without the API key until it expires
};

struct ArtifactListing {
  std::string job_id;
  int64_t expires_in_s = 0;
  std::vector<Artifact> artifacts;
  boost::json::object json;
};

class ApiClient {
 public:
  ApiClient(ClientConfig config, HttpTransport& transport);

  // `body` is the POST /api/v1/jobs request ({"job_type", "params", ...}).
  Result<JobView> submit_job(const boost::json::object& body, const std::optional<std::string>& idempotency_key);
  Result<JobView> get_job(const std::string& job_id);
  // The job id a user typed: a whole id as it is; a prefix ("job_0mxa6", or without "job_") as the one job among the
  // newest 1,000 whose id starts with it. Errors: `invalid_job_id` (not an id or a prefix; a prefix of several
  // jobs, listed), `not_found` (no such job), or the list call's error.
  Result<std::string> resolve_job_id(const std::string& text);
  Result<JobPage> list_jobs(const JobListQuery& query);
  Result<JobView> cancel_job(const std::string& job_id);
  Result<RunPage> list_runs(const std::string& job_id, const RunListQuery& query);
  // A job's artifacts; with `prefix` ("runs/3/") only those in that folder (a dataset lists a run's so).
  Result<ArtifactListing> list_artifacts(const std::string& job_id, const std::string& prefix = "");
  Result<std::string> logs(const std::string& job_id, int tail_lines);

  // Reads GET /jobs/{id}/events and calls `on_job` with every job object until the job is terminal (returns it),
  // or `on_job` returns false (returns the last job seen). A stream that breaks before that is reopened (the server
  // starts every stream with the current job), up to a few times in a row without progress.
  Result<JobView> follow_events(const std::string& job_id, const std::function<bool(const JobView&)>& on_job);

  // Downloads one artifact to `directory`/`name` (sub-folders created) through a temporary file, and checks the size
  // against the listing. The API key is not sent: the URL is signed and may point at another host (S3).
  // Errors: `unsafe_name` for names that would leave `directory`, `size_mismatch`, `io_error`.
  Result<std::filesystem::path> download_artifact(const Artifact& artifact, const std::filesystem::path& directory);

 private:
  HttpRequest request(std::string method, const std::string& path_and_query,
                      const std::string& accept = "application/json") const;
  Result<boost::json::object> call_json(const HttpRequest& request);
  Result<JobView> job_call(const HttpRequest& request);

  ClientConfig config_;
  HttpTransport& transport_;
};

// Reads the fields of JobView from a job object; `bad_response` when job_id or status is missing.
Result<JobView> job_from_json(const boost::json::object& object);

// The Error for a non-2xx response: the API's error object when the body has one, else `http_<status>`; a
// Retry-After header (429, 503) is added to the message.
Error error_from_response(const HttpResponse& response);

}  // namespace live2::client
