// POST /api/v1/jobs, GET /api/v1/jobs/{job_id}, GET /api/v1/jobs, GET /api/v1/jobs/{job_id}/runs,
// POST /api/v1/jobs/{job_id}/cancel.
#include <strings.h>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/job_list_query.h"
#include "api/json_responses.h"
#include "api/routes.h"
#include "artifacts/free_space.h"
#include "artifacts/local_artifact_store.h"
#include "core/ids.h"
#include "core/job_json.h"
#include "core/job_request.h"
#include "core/run_json.h"
#include "core/status_machine.h"
#include "webhooks/webhook_address_policy.h"
#include "worker/simulation_params_validator.h"

namespace live2::api {
namespace {

namespace json = boost::json;

// How long a client is told to wait when a quota (active jobs, jobs per day) refuses a submission: long enough to
// not hammer the server, short enough to notice a job finishing.
constexpr int kQuotaRetryAfterSeconds = 30;

bool is_json_content_type(std::optional<std::string_view> content_type) {
  if (!content_type) return false;
  std::string_view media = content_type->substr(0, content_type->find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return media.size() == 16 && strncasecmp(media.data(), "application/json", 16) == 0;
}

// Inserts the dataset's job with its runs, all queued.
Result<CreateJobOutcome> create_dataset(ApiContext& context, Job& job, const DatasetPlan& plan, const JobQuota& quota,
                                        int64_t now_ms) {
  job.runs.total = job.runs.queued = static_cast<int64_t>(plan.runs.size());
  job.estimated_run_time_s = plan.run_time_s;
  job.estimated_output_bytes = plan.output_bytes;
  return context.parts.runs.create_dataset(job, queued_runs(plan, job.job_id, now_ms), quota, now_ms);
}

Response submit_job(ApiContext& context, ApiCall& call) {
  const Principal& caller = *call.principal;
  if (!is_json_content_type(call.request.header("content-type"))) {
    return error_response(400, ErrorCode::bad_request, "Content-Type must be application/json");
  }
  boost::system::error_code parse_error;
  const json::value body = json::parse(call.request.body, parse_error);
  if (parse_error)
    return error_response(400, ErrorCode::bad_request, "the body is not valid JSON: " + parse_error.message());

  std::optional<std::string> header_key;
  if (auto key = call.request.header("idempotency-key")) header_key = std::string(*key);
  const TierLimits limits = context.parts.settings.limits_for(caller.tier);
  JobRequestPolicy policy;
  policy.allow_insecure_webhooks = context.parts.settings.webhook_allow_insecure;
  policy.max_dataset_runs = limits.runs_per_dataset;
  policy.parallel_runs = std::min(limits.running_runs, context.parts.settings.max_concurrent_jobs);
  const worker::SimulationParamsValidator params_validator(
      static_cast<int>(std::max<int64_t>(1, context.parts.settings.worker_threads)));
  auto parsed = parse_job_request(body, header_key, policy, params_validator);
  if (!parsed) return error_response(parsed.error());
  const JobRequest& request = *parsed;
  if (request.dataset && !context.executor.runs_datasets()) {
    return error_response(422, ErrorCode::validation_failed, "1 field is invalid",
                          {{"job_type", "generate_dataset is not available with this server's executor (" +
                                            std::string(context.executor.kind()) + ") yet"}});
  }

  // An address inside the operator's network, written in any form, can never be delivered: refused now. Names are
  // judged at each delivery (DNS may change in between).
  if (request.webhook_url) {
    Status url_allowed = webhooks::check_webhook_url_without_dns(
        *request.webhook_url, webhooks::WebhookAddressPolicy{policy.allow_insecure_webhooks});
    if (!url_allowed) {
      return error_response(422, ErrorCode::validation_failed, "1 field is invalid",
                            {{"webhook_url", url_allowed.error().message}});
    }
  }

  // A full disk would fail the job half way (or the insert itself): refuse it now, while nothing has changed.
  std::vector<std::filesystem::path> written_directories{context.parts.settings.data_dir};
  if (context.parts.local_downloads) written_directories.push_back(context.parts.local_downloads->root());
  if (Status space = check_free_space(written_directories, context.parts.settings.min_free_disk_bytes); !space) {
    spdlog::warn("refusing a job submission: {}", space.error().message);
    return error_response(space.error());
  }

  // A 422, not a 429: the same request will never be accepted later, so there is nothing to retry.
  if (Status fits = check_job_size(request, limits, caller.tier); !fits) return error_response(fits.error());

  const int64_t now_ms = context.parts.clock.now_ms();
  Job job;
  job.job_id = new_job_id(now_ms, context.parts.random);
  job.user_id = caller.user_id;
  job.job_type = request.job_type;
  job.params_json = request.params_json;
  job.created_at_ms = now_ms;
  job.updated_at_ms = now_ms;
  job.estimated_time_s = request.size.estimated_time_s;
  job.webhook_url = request.webhook_url;
  job.name = request.name;
  job.tags = request.tags;
  job.idempotency_key = request.idempotency_key;
  job.request_fingerprint = request.fingerprint;
  job.particle_steps = request.size.particle_steps;
  job.output_budget_bytes = limits.output_bytes_per_job;
  job.tier = caller.tier;

  const JobQuota quota{limits.concurrent_jobs, limits.jobs_per_day};
  auto outcome = request.dataset ? create_dataset(context, job, *request.dataset, quota, now_ms)
                                 : context.parts.jobs.create_job(job, quota, now_ms);
  if (!outcome) {
    Response refused = error_response(outcome.error());
    if (refused.status == 429) refused.set_header("Retry-After", std::to_string(kQuotaRetryAfterSeconds));
    return refused;
  }
  if (outcome->created) context.executor.wake();
  Response response = json_response(outcome->created ? 202 : 200, job_to_json(outcome->job));
  response.set_header("Location", "/api/v1/jobs/" + outcome->job.job_id);
  return response;
}

Response get_job(ApiContext& context, ApiCall& call) {
  auto job = find_visible_job(context, call);
  if (!job) return error_response(job.error());
  // The object lives only until it is serialized: a stack arena saves GET, the busiest call, its many small
  // allocations.
  unsigned char arena_buffer[4096];
  json::monotonic_resource arena(arena_buffer, sizeof arena_buffer);
  return json_response(200, job_to_json(*job, &arena));
}

Response list_jobs(ApiContext& context, ApiCall& call) {
  auto query = parse_job_list_query(call);
  if (!query) return error_response(query.error());
  JobFilter filter = std::move(query).value();
  if (!call.principal->admin) filter.user_id = call.principal->user_id;
  const int page_size = filter.limit;
  filter.limit = page_size + 1;  // one more tells whether another page exists
  auto jobs = context.parts.jobs.list_jobs(filter);
  if (!jobs) return error_response(jobs.error());
  json::array items;
  json::value next_cursor = nullptr;
  for (size_t i = 0; i < jobs->size(); ++i) {
    if (static_cast<int>(i) == page_size) {
      next_cursor = json::string(encode_job_cursor((*jobs)[i - 1].job_id));
      break;
    }
    items.push_back(job_to_json((*jobs)[i]));
  }
  return json_response(200, json::object{{"jobs", std::move(items)}, {"next_cursor", std::move(next_cursor)}});
}

Response list_runs(ApiContext& context, ApiCall& call) {
  auto job = find_visible_job(context, call);
  if (!job) return error_response(job.error());
  if (job->job_type != kDatasetJobType) {
    return error_response(404, ErrorCode::not_found, "job " + job->job_id + " is not a dataset: it has no runs");
  }
  auto page = parse_run_page_query(call);
  if (!page) return error_response(page.error());
  auto runs = context.parts.runs.list_runs(job->job_id, page->from_index, page->limit + 1, page->status);
  if (!runs) return error_response(runs.error());
  json::array items;
  json::value next_cursor = nullptr;
  for (size_t i = 0; i < runs->size(); ++i) {
    if (static_cast<int>(i) == page->limit) {
      next_cursor = json::string(encode_run_cursor((*runs)[i].index));
      break;
    }
    items.push_back(run_to_json((*runs)[i]));
  }
  return json_response(200, json::object{{"job_id", job->job_id},
                                         {"runs", std::move(items)},
                                         {"next_cursor", std::move(next_cursor)}});
}

Response cancel_job(ApiContext& context, ApiCall& call) {
  auto visible = find_visible_job(context, call);
  if (!visible) return error_response(visible.error());
  const int64_t now_ms = context.parts.clock.now_ms();
  bool already_finished = false;
  auto updated = context.parts.jobs.update_job(visible->job_id, [&](Job& job) {
    if (is_terminal(job.status)) {
      already_finished = true;
      return false;
    }
    if (job.status == JobStatus::queued && job.executor.submit_state == SubmitState::not_submitted) {
      job.updated_at_ms = now_ms;
      return transition(job, JobStatus::cancelled, now_ms).ok();
    }
    if (job.cancel_requested) return false;  // cancelling twice is not an error
    job.cancel_requested = true;
    job.updated_at_ms = now_ms;
    return true;
  });
  if (!updated) return error_response(updated.error());
  if (already_finished) {
    return error_response(409, ErrorCode::conflict,
                          "the job already finished as " + std::string(to_string(updated->status)));
  }
  if (!is_terminal(updated->status)) context.executor.wake();
  return json_response(200, job_to_json(*updated));
}

}  // namespace

void add_job_routes(Router& router, ApiContext& context) {
  ApiContext* shared = &context;
  router.add("POST", "/api/v1/jobs", Access::authenticated, [shared](ApiCall& call) { return submit_job(*shared, call); });
  router.add("GET", "/api/v1/jobs", Access::authenticated, [shared](ApiCall& call) { return list_jobs(*shared, call); });
  router.add("GET", "/api/v1/jobs/{job_id}", Access::authenticated,
             [shared](ApiCall& call) { return get_job(*shared, call); });
  router.add("GET", "/api/v1/jobs/{job_id}/runs", Access::authenticated,
             [shared](ApiCall& call) { return list_runs(*shared, call); });
  router.add("POST", "/api/v1/jobs/{job_id}/cancel", Access::authenticated,
             [shared](ApiCall& call) { return cancel_job(*shared, call); });
}

}  // namespace live2::api
