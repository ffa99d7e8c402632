#include "core/job_request.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "base/hashing.h"
#include "base/json_text.h"

namespace live2 {
namespace {

namespace json = boost::json;

constexpr size_t kMaxIdempotencyKeyChars = 128;
constexpr size_t kMaxWebhookUrlChars = 2048;

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

void check_idempotency_key(std::string_view key, const std::string& field, std::vector<FieldError>& errors) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyChars || !is_printable_ascii(key)) {
    errors.push_back({field, "must be 1 to 128 printable ASCII characters"});
  }
}

void check_webhook_url(std::string_view text, const JobRequestPolicy& policy, std::vector<FieldError>& errors) {
  const std::string field = "webhook_url";
  if (text.size() > kMaxWebhookUrlChars) {
    errors.push_back({field, "must be at most 2048 characters"});
    return;
  }
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url || !url->has_authority() || url->host().empty()) {
    errors.push_back({field, "must be an absolute URL such as https://example.com/hook"});
    return;
  }
  const auto scheme = url->scheme();
  const bool secure = scheme == "https";
  if (!secure && !(policy.allow_insecure_webhooks && scheme == "http")) {
    errors.push_back({field, policy.allow_insecure_webhooks ? "must use http or https"
                                                            : "must use https (http is allowed only when the operator "
                                                              "sets LIVE2_WEBHOOK_ALLOW_INSECURE)"});
  }
  if (url->has_userinfo()) errors.push_back({field, "must not contain credentials"});
}

void read_name(const json::value* name, JobRequest& request, std::vector<FieldError>& errors) {
  if (!name || name->is_null()) return;
  if (!name->is_string()) {
    errors.push_back({"name", "must be a string"});
    return;
  }
  if (auto problem = job_name_problem(name->get_string())) {
    errors.push_back({"name", std::move(*problem)});
    return;
  }
  request.name = std::string(name->get_string());
}

void read_tags(const json::value* tags, JobRequest& request, std::vector<FieldError>& errors) {
  if (!tags || tags->is_null()) return;
  if (!tags->is_object()) {
    errors.push_back({"tags", "must be an object of strings"});
    return;
  }
  const json::object& object = tags->get_object();
  if (object.size() > kMaxJobTags) {
    errors.push_back({"tags", "must have at most 16 entries"});
    return;
  }
  for (const auto& member : object) {
    const std::string field = "tags." + std::string(member.key());
    if (auto problem = tag_key_problem(member.key())) {
      errors.push_back({"tags", std::move(*problem)});
    } else if (!member.value().is_string()) {
      errors.push_back({field, "must be a string"});
    } else if (auto value_problem = tag_value_problem(member.value().get_string())) {
      errors.push_back({field, std::move(*value_problem)});
    } else {
      request.tags.emplace(std::string(member.key()), std::string(member.value().get_string()));
    }
  }
}

// A dataset's size as one job's: the runs' sums, and as wall time the runs `parallel_runs` at a time (never less
// than its longest run).
ParamsAssessment dataset_size(const DatasetPlan& plan, int64_t parallel_runs) {
  ParamsAssessment size;
  size.size_field = "simulation_config.config";
  size.particle_steps = plan.particle_steps;
  size.output_bytes = plan.output_bytes;
  size.output_field = plan.output_field;
  size.output_hint = fmt::format(" over its {} runs: lower {} or run fewer", plan.runs.size(), plan.output_field);
  size.estimated_time_s = std::ceil(
      std::max(plan.longest_run_time_s, plan.run_time_s / static_cast<double>(std::max<int64_t>(1, parallel_runs))));
  return size;
}

}  // namespace

Status check_job_size(const JobRequest& request, const TierLimits& limits, Tier tier) {
  const std::string tier_name(to_string(tier));
  const ParamsAssessment& size = request.size;
  if (size.particle_steps > limits.particle_steps_per_job) {
    Error error = Error::make(ErrorCode::validation_failed, "the simulation is larger than your tier allows");
    error.details.push_back({"params." + size.size_field,
                             fmt::format("num_particles x steps is {}{}, more than the {} particle-steps per job of the "
                                         "{} tier",
                                         size.particle_steps, request.dataset ? " over the dataset's runs" : "",
                                         limits.particle_steps_per_job, tier_name)});
    return error;
  }
  if (size.output_bytes > limits.output_bytes_per_job) {
    Error error = Error::make(ErrorCode::validation_failed, "the simulation's output is larger than your tier allows");
    error.details.push_back({"params." + size.size_field + "." + size.output_field,
                             fmt::format("the artifacts are estimated at {} bytes, more than the {} bytes per job of "
                                         "the {} tier{}",
                                         size.output_bytes, limits.output_bytes_per_job, tier_name, size.output_hint)});
    return error;
  }
  return {};
}

Result<JobRequest> parse_job_request(const json::value& body, const std::optional<std::string>& header_idempotency_key,
                                     const JobRequestPolicy& policy, const ParamsValidator& params_validator) {
  std::vector<FieldError> errors;
  JobRequest request;
  if (!body.is_object()) {
    Error error = Error::make(ErrorCode::validation_failed, "the request body must be a JSON object");
    error.details.push_back({"body", "must be a JSON object"});
    return error;
  }
  const auto& object = body.get_object();
  for (const auto& member : object) {
    const std::string_view key = member.key();
    if (key != "job_type" && key != "params" && key != "idempotency_key" && key != "webhook_url" && key != "name" &&
        key != "tags") {
      errors.push_back({std::string(key), "is not a known field"});
    }
  }

  const json::value* job_type = object.if_contains("job_type");
  if (!job_type) {
    errors.push_back({"job_type", "is required"});
  } else if (!job_type->is_string()) {
    errors.push_back({"job_type", "must be a string"});
  } else if (job_type->get_string() != "run_simulation" && job_type->get_string() != "generate_dataset") {
    errors.push_back({"job_type", "must be run_simulation or generate_dataset"});
  } else {
    request.job_type = job_type->get_string();
  }

  const json::value* params = object.if_contains("params");
  if (!params) {
    errors.push_back({"params", "is required"});
  } else if (!params->is_object()) {
    errors.push_back({"params", "must be an object"});
  } else if (request.job_type == "generate_dataset") {
    Result<DatasetPlan> plan = plan_dataset(*params, params_validator, policy.max_dataset_runs);
    if (!plan) {
      for (auto& problem : plan.error().details) errors.push_back(std::move(problem));
    } else {
      request.size = dataset_size(*plan, policy.parallel_runs);
      request.dataset = std::move(plan).value();
    }
    request.params_json = json::serialize(*params);
  } else if (!request.job_type.empty()) {
    request.size = params_validator.assess(*params);
    for (auto& problem : request.size.errors) errors.push_back({"params." + problem.field, std::move(problem.message)});
    request.size.errors.clear();
    request.params_json = json::serialize(*params);
  }

  if (const json::value* key = object.if_contains("idempotency_key"); key && !key->is_null()) {
    if (!key->is_string()) {
      errors.push_back({"idempotency_key", "must be a string"});
    } else {
      request.idempotency_key = std::string(key->get_string());
      check_idempotency_key(*request.idempotency_key, "idempotency_key", errors);
    }
  }
  if (header_idempotency_key) {
    check_idempotency_key(*header_idempotency_key, "Idempotency-Key", errors);
    if (request.idempotency_key && *request.idempotency_key != *header_idempotency_key) {
      errors.push_back({"idempotency_key", "differs from the Idempotency-Key header"});
    }
    request.idempotency_key = header_idempotency_key;
  }

  if (const json::value* url = object.if_contains("webhook_url"); url && !url->is_null()) {
    if (!url->is_string()) {
      errors.push_back({"webhook_url", "must be a string"});
    } else {
      request.webhook_url = std::string(url->get_string());
      check_webhook_url(*request.webhook_url, policy, errors);
    }
  }

  read_name(object.if_contains("name"), request, errors);
  read_tags(object.if_contains("tags"), request, errors);

  if (!errors.empty()) {
    Error error =
        Error::make(ErrorCode::validation_failed,
                    errors.size() == 1 ? "1 field is invalid" : std::to_string(errors.size()) + " fields are invalid");
    error.details = std::move(errors);
    return error;
  }

  json::object fingerprint_source;
  fingerprint_source["job_type"] = request.job_type;
  fingerprint_source["params"] = *params;
  fingerprint_source["webhook_url"] = request.webhook_url ? json::value(*request.webhook_url) : json::value(nullptr);
  // Only when given, so that requests without labels keep the fingerprints they had before labels existed.
  if (request.name) fingerprint_source["name"] = *request.name;
  if (!request.tags.empty()) {
    json::object tags;
    for (const auto& [key, value] : request.tags) tags[key] = value;
    fingerprint_source["tags"] = std::move(tags);
  }
  request.fingerprint = sha256_hex(canonical_json(fingerprint_source));
  return request;
}

}  // namespace live2
