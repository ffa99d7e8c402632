#include "client/api_client.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <chrono>
#include <fstream>
#include <system_error>
#include <thread>

#include "client/sse_parser.h"
#include "core/ids.h"

namespace live2::client {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

constexpr int kMaxStreamReopens = 3;
constexpr int kPrefixPageSize = 100;
// A prefix is looked up in the newest jobs only: the list is read newest first, and ids sort by creation time.
constexpr int kMaxPrefixPages = 10;
constexpr size_t kMaxPrefixMatchesShown = 5;
constexpr int64_t kStreamIdleTimeoutMs = 45'000;  // the server sends a heartbeat every 15 s

std::string encode(std::string_view text) { return boost::urls::encode(text, boost::urls::unreserved_chars); }

Error bad_response(const std::string& what) {
  return Error::make(ErrorCode::invalid_response, "unexpected answer: " + what);
}

Error not_a_job_id(const std::string& text) {
  return Error::make(ErrorCode::invalid_job_id,
                     "\"" + text + "\" is not a job id: ids are job_ followed by " + std::to_string(kJobIdChars) +
                         " lowercase letters and digits; a unique prefix of one (job_0mxa6) also works");
}

Status check_job_id(const std::string& job_id) {
  if (is_valid_job_id(job_id)) return Status::success();
  return not_a_job_id(job_id);
}

std::optional<std::string> optional_string(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->get_string());
}

std::optional<double> optional_number(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->to_number<double>();
}

Result<json::object> parse_object(const std::string& text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error || !value.is_object()) return bad_response("the body is not a JSON object");
  return std::move(value.get_object());
}

bool is_success(int status) { return status >= 200 && status < 300; }

// Whether `name` stays inside the download folder: relative, without `..` or `.` segments.
bool is_safe_relative_name(const fs::path& name) {
  if (name.empty() || name.is_absolute() || name.has_root_name() || name.has_root_directory()) return false;
  for (const fs::path& part : name) {
    if (part.empty() || part == ".." || part == ".") return false;
  }
  return true;
}

}  // namespace

Result<JobView> job_from_json(const json::object& object) {
  JobView job;
  auto job_id = optional_string(object, "job_id");
  auto status = optional_string(object, "status");
  if (!job_id || !status) return bad_response("a job object without job_id or status");
  job.job_id = *job_id;
  job.status = *status;
  job.progress = optional_number(object, "progress").value_or(0);
  job.eta_seconds = optional_number(object, "eta_seconds");
  job.error = optional_string(object, "error");
  const json::value* cancel = object.if_contains("cancel_requested");
  job.cancel_requested = cancel != nullptr && cancel->is_bool() && cancel->get_bool();
  job.json = object;
  return job;
}

Error error_from_response(const HttpResponse& response) {
  Error error = Error::from_service("http_" + std::to_string(response.status),
                                    "the server answered HTTP " + std::to_string(response.status));
  error.http_status = response.status;
  error.request_id = response.header("x-request-id");
  boost::system::error_code parse_error;
  json::value body = json::parse(response.body, parse_error);
  const json::value* inner = !parse_error && body.is_object() ? body.get_object().if_contains("error") : nullptr;
  if (inner != nullptr && inner->is_object()) {
    const json::object& object = inner->get_object();
    if (auto code = optional_string(object, "code")) {
      // A code this version does not know (a newer server) stays readable as the provider's code.
      const std::optional<ErrorCode> known = error_code_from_string(*code);
      error.code = known.value_or(ErrorCode::service_error);
      error.provider_code = known ? "" : *code;
    }
    if (auto message = optional_string(object, "message")) error.message = *message;
    if (const json::value* details = object.if_contains("details"); details && details->is_array()) {
      for (const json::value& detail : details->get_array()) {
        if (!detail.is_object()) continue;
        error.details.push_back({optional_string(detail.get_object(), "field").value_or(""),
                                 optional_string(detail.get_object(), "message").value_or("")});
      }
    }
  }
  if (const std::string retry_after = response.header("retry-after"); !retry_after.empty()) {
    error.message += " (retry after " + retry_after + " s)";
  }
  return error;
}

ApiClient::ApiClient(ClientConfig config, HttpTransport& transport) : config_(std::move(config)), transport_(transport) {
  while (!config_.base_url.empty() && config_.base_url.back() == '/') config_.base_url.pop_back();
}

HttpRequest ApiClient::request(std::string method, const std::string& path_and_query,
                               const std::string& accept) const {
  HttpRequest out;
  out.method = std::move(method);
  out.url = config_.base_url + path_and_query;
  out.timeout_ms = config_.timeout_ms;
  out.headers.emplace_back("Accept", accept);
  if (!config_.api_key.empty()) out.headers.emplace_back("Authorization", "Bearer " + config_.api_key);
  return out;
}

Result<json::object> ApiClient::call_json(const HttpRequest& request) {
  Result<HttpResponse> response = transport_.send(request);
  if (!response) return response.error();
  if (!is_success(response->status)) return error_from_response(*response);
  return parse_object(response->body);
}

Result<JobView> ApiClient::job_call(const HttpRequest& request) {
  Result<json::object> object = call_json(request);
  if (!object) return object.error();
  return job_from_json(*object);
}

Result<JobView> ApiClient::submit_job(const json::object& body, const std::optional<std::string>& idempotency_key) {
  HttpRequest post = request("POST", "/api/v1/jobs");
  post.headers.emplace_back("Content-Type", "application/json");
  if (idempotency_key) post.headers.emplace_back("Idempotency-Key", *idempotency_key);
  post.body = json::serialize(body);
  return job_call(post);
}

Result<JobView> ApiClient::get_job(const std::string& job_id) {
  if (Status valid = check_job_id(job_id); !valid) return valid.error();
  return job_call(request("GET", "/api/v1/jobs/" + job_id));
}

Result<std::string> ApiClient::resolve_job_id(const std::string& text) {
  if (is_valid_job_id(text)) return text;
  const std::string prefix = text.starts_with("job_") ? text : "job_" + text;
  if (!is_job_id_prefix(prefix)) return not_a_job_id(text);
  JobListQuery query;
  query.limit = kPrefixPageSize;
  std::vector<std::string> matches;
  for (int page_number = 0; page_number < kMaxPrefixPages; ++page_number) {
    Result<JobPage> page = list_jobs(query);
    if (!page) return page.error();
    for (const JobView& job : page->jobs) {
      if (job.job_id.starts_with(prefix)) {
        matches.push_back(job.job_id);
      } else if (job.job_id < prefix) {
        page->next_cursor.reset();  // newest first: every later id is smaller, none can match
        break;
      }
    }
    if (!page->next_cursor || matches.size() > 1) break;
    query.cursor = page->next_cursor;
  }
  if (matches.size() == 1) return matches.front();
  if (matches.empty()) {
    return Error::make(ErrorCode::not_found, "no job id starts with " + prefix + " (among the newest " +
                                                 std::to_string(kMaxPrefixPages * kPrefixPageSize) + " jobs)");
  }
  std::string listed;
  for (size_t i = 0; i < std::min(matches.size(), kMaxPrefixMatchesShown); ++i) listed += " " + matches[i];
  return Error::make(ErrorCode::invalid_job_id,
                     "\"" + text + "\" is the start of more than one job id:" + listed + "; give more characters");
}

Result<JobView> ApiClient::cancel_job(const std::string& job_id) {
  if (Status valid = check_job_id(job_id); !valid) return valid.error();
  return job_call(request("POST", "/api/v1/jobs/" + job_id + "/cancel"));
}

Result<JobPage> ApiClient::list_jobs(const JobListQuery& query) {
  std::string path = "/api/v1/jobs?limit=" + std::to_string(query.limit);
  if (!query.statuses.empty()) {
    std::string statuses;
    for (const auto& status : query.statuses) statuses += (statuses.empty() ? "" : ",") + status;
    path += "&status=" + encode(statuses);
  }
  if (query.job_type) path += "&job_type=" + encode(*query.job_type);
  if (query.cursor) path += "&cursor=" + encode(*query.cursor);
  Result<json::object> object = call_json(request("GET", path));
  if (!object) return object.error();
  JobPage page;
  const json::value* jobs = object->if_contains("jobs");
  if (jobs == nullptr || !jobs->is_array()) return bad_response("a job list without `jobs`");
  for (const json::value& item : jobs->get_array()) {
    if (!item.is_object()) return bad_response("a job list entry that is not an object");
    Result<JobView> job = job_from_json(item.get_object());
    if (!job) return job.error();
    page.jobs.push_back(std::move(job).value());
  }
  page.next_cursor = optional_string(*object, "next_cursor");
  page.json = std::move(object).value();
  return page;
}

Result<RunPage> ApiClient::list_runs(const std::string& job_id, const RunListQuery& query) {
  if (Status valid = check_job_id(job_id); !valid) return valid.error();
  std::string path = "/api/v1/jobs/" + job_id + "/runs?limit=" + std::to_string(query.limit);
  if (query.status) path += "&status=" + encode(*query.status);
  if (query.cursor) path += "&cursor=" + encode(*query.cursor);
  Result<json::object> object = call_json(request("GET", path));
  if (!object) return object.error();
  RunPage page;
  const json::value* runs = object->if_contains("runs");
  if (runs == nullptr || !runs->is_array()) return bad_response("a run list without `runs`");
  for (const json::value& item : runs->get_array()) {
    if (!item.is_object()) return bad_response("a run list entry that is not an object");
  }
  page.runs = runs->get_array();
  page.next_cursor = optional_string(*object, "next_cursor");
  page.json = std::move(object).value();
  return page;
}

Result<ArtifactListing> ApiClient::list_artifacts(const std::string& job_id, const std::string& prefix) {
  if (Status valid = check_job_id(job_id); !valid) return valid.error();
  std::string path = "/api/v1/jobs/" + job_id + "/artifacts";
  if (!prefix.empty()) path += "?prefix=" + encode(prefix);
  Result<json::object> object = call_json(request("GET", path));
  if (!object) return object.error();
  ArtifactListing listing;
  listing.job_id = optional_string(*object, "job_id").value_or(job_id);
  listing.expires_in_s = static_cast<int64_t>(optional_number(*object, "expires_in").value_or(0));
  const json::value* artifacts = object->if_contains("artifacts");
  if (artifacts == nullptr || !artifacts->is_array()) return bad_response("an artifact list without `artifacts`");
  for (const json::value& item : artifacts->get_array()) {
    if (!item.is_object()) return bad_response("an artifact entry that is not an object");
    const json::object& entry = item.get_object();
    Artifact artifact;
    artifact.key = optional_string(entry, "key").value_or("");
    artifact.name = optional_string(entry, "name").value_or("");
    artifact.size = static_cast<int64_t>(optional_number(entry, "size").value_or(-1));
    artifact.last_modified = optional_string(entry, "last_modified").value_or("");
    artifact.content_type = optional_string(entry, "content_type").value_or("");
    artifact.url = optional_string(entry, "url").value_or("");
    if (artifact.name.empty() || artifact.url.empty() || artifact.size < 0) {
      return bad_response("an artifact without name, size or url");
    }
    listing.artifacts.push_back(std::move(artifact));
  }
  listing.json = std::move(object).value();
  return listing;
}

Result<std::string> ApiClient::logs(const std::string& job_id, int tail_lines) {
  if (Status valid = check_job_id(job_id); !valid) return valid.error();
  Result<HttpResponse> response =
      transport_.send(request("GET", "/api/v1/jobs/" + job_id + "/logs?tail=" + std::to_string(tail_lines), "text/plain"));
  if (!response) return response.error();
  if (!is_success(response->status)) return error_from_response(*response);
  return std::move(response->body);
}

Result<JobView> ApiClient::follow_events(const std::string& job_id,
                                         const std::function<bool(const JobView&)>& on_job) {
  if (Status valid = check_job_id(job_id); !valid) return valid.error();
  std::optional<JobView> last;
  int reopens_without_events = 0;
  while (true) {
    HttpRequest get = request("GET", "/api/v1/jobs/" + job_id + "/events", "text/event-stream");
    get.timeout_ms = 0;
    get.idle_timeout_ms = kStreamIdleTimeoutMs;
    SseParser parser;
    bool finished = false;
    std::optional<Error> malformed;
    Result<HttpResponse> response = transport_.stream(get, [&](std::string_view chunk) {
      return parser.feed(chunk, [&](const SseEvent& event) {
        if (event.event != "job") return true;
        Result<json::object> object = parse_object(event.data);
        Result<JobView> job = object ? job_from_json(*object) : Result<JobView>(object.error());
        if (!job) {
          malformed = job.error();
          return false;
        }
        reopens_without_events = 0;
        last = std::move(job).value();
        finished = !on_job(*last) || last->terminal();
        return !finished;
      });
    });
    if (malformed) return *malformed;
    if (finished) return *last;
    if (response && !is_success(response->status)) return error_from_response(*response);
    if (++reopens_without_events > kMaxStreamReopens) {
      if (!response) return response.error();
      return Error::make(ErrorCode::stream_ended, "the event stream of " + job_id + " ended before the job finished");
    }
    std::this_thread::sleep_for(std::chrono::seconds(reopens_without_events));
  }
}

Result<fs::path> ApiClient::download_artifact(const Artifact& artifact, const fs::path& directory) {
  const fs::path name(artifact.name);
  if (!is_safe_relative_name(name)) {
    return Error::make(ErrorCode::unsafe_name,
                       "refusing to write artifact \"" + artifact.name + "\" outside the folder");
  }
  const fs::path target = directory / name;
  fs::path partial = target;
  partial += ".part";
  std::error_code io;
  fs::create_directories(target.parent_path(), io);
  if (io)
    return Error::make(ErrorCode::io_error, "cannot create " + target.parent_path().string() + ": " + io.message());

  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  if (!out) return Error::make(ErrorCode::io_error, "cannot write " + partial.string());
  HttpRequest get;
  get.url = artifact.url.starts_with("/") ? config_.base_url + artifact.url : artifact.url;
  get.timeout_ms = 0;
  Result<HttpResponse> response = transport_.stream(get, [&](std::string_view chunk) {
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    return static_cast<bool>(out);
  });
  out.close();
  auto fail = [&](Error error) {
    fs::remove(partial, io);
    return error;
  };
  if (!response) return fail(response.error());
  if (!is_success(response->status)) return fail(error_from_response(*response));
  if (!out) return fail(Error::make(ErrorCode::io_error, "cannot write " + partial.string()));
  const auto written = static_cast<int64_t>(fs::file_size(partial, io));
  if (io || written != artifact.size) {
    return fail(Error::make(ErrorCode::size_mismatch, artifact.name + ": expected " + std::to_string(artifact.size) +
                                                          " bytes, received " + std::to_string(written)));
  }
  fs::rename(partial, target, io);
  if (io) return fail(Error::make(ErrorCode::io_error, "cannot rename to " + target.string() + ": " + io.message()));
  return target;
}

}  // namespace live2::client
