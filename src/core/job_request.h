// Validation of a job submission (POST /api/v1/jobs body): every problem is reported with the field it names. The
// job type's `params` go to the ParamsValidator the caller passes (the simulation's own rules, so the API and the
// worker can never disagree). Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "base/result.h"
#include "core/dataset_plan.h"
#include "core/job_labels.h"
#include "core/params_validator.h"
#include "core/tiers.h"

namespace live2 {

struct JobRequest {
  std::string job_type;
  std::string params_json;                   // the `params` object, serialised as submitted
  std::optional<std::string> idempotency_key;
  std::optional<std::string> webhook_url;
  std::optional<std::string> name;
  JobTags tags;
  std::string fingerprint;                   // sha256 of the canonical body without the idempotency key
  ParamsAssessment size;                     // the job's size, from the params (no errors: they were refused);
                                             // a dataset's: its runs' sums, and the wall time side by side
  std::optional<DatasetPlan> dataset;        // generate_dataset: the runs
};

struct JobRequestPolicy {
  bool allow_insecure_webhooks = false;  // http:// webhook URLs (local development)
  int64_t max_dataset_runs = kMaxDatasetRuns;  // the tier's runs per dataset
  int64_t parallel_runs = 1;                   // how many of a dataset's runs may run at once (its wall time)
};

// `header_idempotency_key` is the Idempotency-Key header; when both it and the body field are present they must agree.
// Errors: `validation_failed` (422) with details for every bad field.
Result<JobRequest> parse_job_request(const boost::json::value& body,
                                     const std::optional<std::string>& header_idempotency_key,
                                     const JobRequestPolicy& policy, const ParamsValidator& params_validator);

// The tier's limits on one job's size: particle-steps (num_particles x steps) and the output budget (the estimated
// artifact bytes); for a dataset, on the sums over its runs. Errors: `validation_failed` (422) naming the field to change; nothing to retry, since the same
// request never fits.
Status check_job_size(const JobRequest& request, const TierLimits& limits, Tier tier);

}  // namespace live2
