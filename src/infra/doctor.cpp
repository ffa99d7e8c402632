#include "infra/doctor.h"

#include <algorithm>

#include "infra/access_denied.h"
#include "infra/deployment_config.h"
#include "infra/policy_documents.h"

namespace live2::infra {
namespace {

constexpr std::string_view kIdentity = "Identity";
constexpr std::string_view kComputeEnvironment = "Compute environment";
constexpr std::string_view kJobQueue = "Job queue";
constexpr std::string_view kJobDefinition = "Job definition";
constexpr std::string_view kImage = "Image";
constexpr std::string_view kPermissions = "Permissions";
constexpr std::string_view kBucket = "Bucket";
constexpr std::string_view kConfiguration = "Backend configuration";
constexpr std::string_view kProbe = "Probe";

// An ARN's parts: arn:partition:service:region:account:resource.
struct Arn {
  std::string service, region, account, resource;
};

std::optional<Arn> parse_arn(const std::string& text) {
  if (!text.starts_with("arn:")) return std::nullopt;
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const size_t colon = text.find(':', start);
    if (colon == std::string::npos) return std::nullopt;
    parts.push_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  return Arn{parts[2], parts[3], parts[4], text.substr(start)};
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

// The IAM principal SimulatePrincipalPolicy accepts for a caller (an assumed-role session becomes its role).
std::string principal_for(const CallerIdentity& identity) {
  auto arn = parse_arn(identity.arn);
  if (arn && arn->service == "sts" && arn->resource.starts_with("assumed-role/")) {
    const std::string rest = arn->resource.substr(std::string("assumed-role/").size());
    return "arn:aws:iam::" + arn->account + ":role/" + rest.substr(0, rest.find('/'));
  }
  return identity.arn;
}

class Review {
 public:
  Review(DoctorReport& report, std::string doctor_policy_name)
      : report_(report), doctor_policy_name_(std::move(doctor_policy_name)) {}

  void pass(std::string_view group, std::string id, std::string title, std::string observed) {
    add(group, std::move(id), std::move(title), CheckStatus::pass, std::move(observed), "");
  }
  void warn(std::string_view group, std::string id, std::string title, std::string observed, std::string fix) {
    add(group, std::move(id), std::move(title), CheckStatus::warn, std::move(observed), std::move(fix));
  }
  void fail(std::string_view group, std::string id, std::string title, std::string observed, std::string fix) {
    add(group, std::move(id), std::move(title), CheckStatus::fail, std::move(observed), std::move(fix));
  }
  // pass when `good`, else fail with `fix`.
  void expect(bool good, std::string_view group, std::string id, std::string title, std::string observed,
              std::string fix) {
    good ? pass(group, std::move(id), std::move(title), std::move(observed))
         : fail(group, std::move(id), std::move(title), std::move(observed), std::move(fix));
  }
  void unreadable(std::string_view group, std::string id, std::string title, const Error& error) {
    const std::string action = required_action(error);
    fail(group, std::move(id), std::move(title),
         "could not read it: " + std::string(error.code_name()) + ": " + error.message,
         action.empty()
             ? "doctor could not read it (not a permission refusal): check the endpoint and network, then run "
               "doctor again"
             : "grant " + action + " to this identity: attach the policy " + doctor_policy_name_ +
                   " (deploy/iam/doctor-policy.json, created by `live2 infra apply`), then run doctor again");
  }

 private:
  void add(std::string_view group, std::string id, std::string title, CheckStatus status, std::string observed,
           std::string fix) {
    report_.checks.push_back(
        {std::move(id), std::string(group), std::move(title), status, std::move(observed), std::move(fix)});
  }
  DoctorReport& report_;
  std::string doctor_policy_name_;
};

// Jobs are sized up to their tier's ceiling (docs/aws.md, "Right-sized jobs"): an invalid one is cut to the largest
// valid pair under it, so the operator's setting would silently not mean what it says.
void review_tier_ceilings(const DoctorInputs& inputs, Review& review) {
  std::vector<std::string> invalid, all;
  for (const auto& [tier, ceiling] : inputs.tier_ceilings) {
    const std::string pair = tier + " " + aws::format_vcpus(ceiling.vcpus) + " vCPU / " +
                             std::to_string(ceiling.memory_mib) + " MiB";
    all.push_back(pair);
    if (!aws::is_valid_fargate_pair(ceiling.vcpus, ceiling.memory_mib)) invalid.push_back(pair);
  }
  review.expect(invalid.empty(), kConfiguration, "config.tier_ceilings", "Every tier's job ceiling is a Fargate pair",
                invalid.empty() ? join(all) : "not Fargate pairs: " + join(invalid),
                "set LIVE2_TIER_<TIER>_MAX_VCPUS and LIVE2_TIER_<TIER>_MAX_MEMORY_MIB to a pair of Fargate's task size "
                "table (docs/aws.md, \"Right-sized jobs\"), e.g. 4 vCPU with 8192-30720 MiB in 1024 steps");
}

double largest_ceiling_vcpus(const DoctorInputs& inputs) {
  double vcpus = 0;
  for (const auto& [tier, ceiling] : inputs.tier_ceilings) vcpus = std::max(vcpus, ceiling.vcpus);
  return vcpus;
}

void review_configuration(const DoctorInputs& inputs, Review& review) {
  std::vector<std::string> missing;
  for (const char* name : {"AWS_REGION", "AWS_BATCH_JOB_QUEUE", "AWS_BATCH_JOB_DEFINITION", "AWS_S3_BUCKET"}) {
    auto it = inputs.variables.find(name);
    if (it == inputs.variables.end() || it->second.empty()) missing.emplace_back(name);
  }
  if (missing.empty()) {
    review.pass(kConfiguration, "config.variables", "Every AWS setting is set explicitly",
                "AWS_REGION=" + inputs.region + ", AWS_BATCH_JOB_QUEUE=" + inputs.job_queue +
                    ", AWS_BATCH_JOB_DEFINITION=" + inputs.job_definition + ", AWS_S3_BUCKET=" + inputs.bucket);
  } else {
    review.warn(kConfiguration, "config.variables", "Every AWS setting is set explicitly",
                "using defaults for " + join(missing),
                "set them in .env or the environment so the server and doctor cannot disagree (deploy/.env.example)");
  }
  review.expect(inputs.executor == "aws_batch", kConfiguration, "config.executor", "The server sends jobs to Batch",
                "LIVE2_EXECUTOR=" + inputs.executor,
                "set LIVE2_EXECUTOR=aws_batch for the server that should use this deployment");
  review.expect(!inputs.credentials_source.empty(), kConfiguration, "config.credentials", "Credentials were found",
                inputs.credentials_source.empty() ? "no credentials" : "from " + inputs.credentials_source,
                "provide credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or an instance role)");
  review_tier_ceilings(inputs, review);
}

void review_arn_accounts(const DoctorInputs& inputs, const CallerIdentity& identity, Review& review) {
  std::vector<std::string> problems;
  for (const std::string* configured : {&inputs.job_queue, &inputs.job_definition}) {
    auto arn = parse_arn(*configured);
    if (!arn) continue;
    if (arn->account != identity.account_id) {
      problems.push_back(*configured + " is in account " + arn->account);
    }
    if (arn->region != inputs.region) problems.push_back(*configured + " is in region " + arn->region);
  }
  review.expect(problems.empty(), kIdentity, "identity.arns", "Configured ARNs match the account and region",
                problems.empty() ? "account " + identity.account_id + ", region " + inputs.region : join(problems),
                "use ARNs of account " + identity.account_id + " in " + inputs.region +
                    ", or credentials/AWS_REGION of the account that owns them");
}

std::optional<ComputeEnvironmentState> review_queue(DeploymentApi& api, const DoctorInputs& inputs,
                                                    const CallerIdentity& identity, Review& review) {
  Result<JobQueueState> queue = api.describe_job_queue(inputs.job_queue);
  if (!queue.ok()) {
    review.unreadable(kJobQueue, "job_queue.exists", "The job queue exists", queue.error());
    return std::nullopt;
  }
  if (!queue->exists) {
    review.fail(kJobQueue, "job_queue.exists", "The job queue exists",
                "JobQueue " + inputs.job_queue + " not found in account " + identity.account_id + ", region " +
                    inputs.region,
                "If the queue exists, these credentials or AWS_REGION point at another account or region: AWS "
                "answers \"not found\" for resources it cannot see. Check AWS_PROFILE/AWS_ACCESS_KEY_ID and "
                "AWS_REGION. Otherwise create it with `live2 infra apply`.");
    return std::nullopt;
  }
  review.pass(kJobQueue, "job_queue.exists", "The job queue exists", queue->arn);
  review.expect(queue->status == "VALID", kJobQueue, "job_queue.status", "The job queue is VALID",
                "status " + queue->status, "inspect the queue's statusReason; `live2 infra apply` re-creates it");
  review.expect(queue->state == "ENABLED", kJobQueue, "job_queue.state", "The job queue is ENABLED",
                "state " + queue->state, "enable it: `live2 infra apply` (or aws batch update-job-queue --state ENABLED)");
  if (queue->compute_environments.empty()) {
    review.fail(kJobQueue, "job_queue.compute_environment", "The queue is connected to a compute environment",
                "no compute environment", "`live2 infra apply` connects it");
    return std::nullopt;
  }
  review.pass(kJobQueue, "job_queue.compute_environment", "The queue is connected to a compute environment",
              join(queue->compute_environments));
  Result<ComputeEnvironmentState> environment = api.describe_compute_environment(queue->compute_environments.front());
  if (!environment.ok()) {
    review.unreadable(kComputeEnvironment, "compute_environment.exists", "The compute environment exists",
                      environment.error());
    return std::nullopt;
  }
  if (!environment->exists) {
    review.fail(kComputeEnvironment, "compute_environment.exists", "The compute environment exists",
                queue->compute_environments.front() + " not found", "`live2 infra apply` creates it");
    return std::nullopt;
  }
  return *environment;
}

void review_compute_environment(DeploymentApi& api, const ComputeEnvironmentState& environment, double job_vcpus,
                                Review& review) {
  review.expect(environment.status == "VALID", kComputeEnvironment, "compute_environment.status",
                "The compute environment is VALID",
                "status " + environment.status +
                    (environment.status_reason.empty() ? "" : " (" + environment.status_reason + ")"),
                "read the status reason; usually a missing service role or subnet; `live2 infra apply`");
  review.expect(environment.state == "ENABLED", kComputeEnvironment, "compute_environment.state",
                "The compute environment is ENABLED", "state " + environment.state, "`live2 infra apply` enables it");
  review.expect(environment.type == "MANAGED" && environment.resource_type.starts_with("FARGATE"),
                kComputeEnvironment, "compute_environment.type", "It is a managed Fargate environment",
                environment.type + " " + environment.resource_type,
                "live2 runs on FARGATE_SPOT: `live2 infra destroy` and `apply` re-create it");
  if (environment.resource_type != "FARGATE_SPOT" && environment.resource_type == "FARGATE") {
    review.warn(kComputeEnvironment, "compute_environment.spot", "It uses Spot capacity", "FARGATE (on-demand)",
                "FARGATE_SPOT costs about 70% less; live2 resumes reclaimed jobs from their checkpoints");
  }
  review.expect(environment.min_vcpus == 0, kComputeEnvironment, "compute_environment.scale_to_zero",
                "minvCpus is 0 (scale to zero)", "minvCpus " + std::to_string(environment.min_vcpus),
                "set minvCpus to 0 (`live2 infra apply`), or you pay for idle capacity");
  review.expect(environment.max_vcpus >= job_vcpus, kComputeEnvironment, "compute_environment.max_vcpus",
                "maxvCpus fits at least one job", "maxvCpus " + std::to_string(environment.max_vcpus) + ", job " +
                                                      std::to_string(static_cast<int>(job_vcpus)) + " vCPU",
                "raise maxvCpus (`live2 infra apply --max-vcpus N`)");
  Result<NetworkState> network = api.describe_network(environment.subnets, environment.security_groups);
  if (!network.ok()) {
    review.unreadable(kComputeEnvironment, "compute_environment.network", "Subnets and security groups exist",
                      network.error());
    return;
  }
  const bool found = network->missing_subnets.empty() && network->missing_security_groups.empty() &&
                     !environment.subnets.empty();
  review.expect(found, kComputeEnvironment, "compute_environment.network", "Subnets and security groups exist",
                "subnets " + join(environment.subnets) + "; security groups " + join(environment.security_groups) +
                    (found ? "" : "; missing: " + join(network->missing_subnets) + " " +
                                      join(network->missing_security_groups)),
                "point the compute environment at existing ones: `live2 infra apply --subnets ... --security-groups ...`");
  if (network->subnets_have_internet_route) {
    review.pass(kComputeEnvironment, "compute_environment.egress", "Tasks can reach ECR and S3",
                "every subnet routes to an internet or NAT gateway");
  } else {
    review.warn(kComputeEnvironment, "compute_environment.egress", "Tasks can reach ECR and S3",
                "no internet or NAT gateway route found on the subnets",
                "unless VPC endpoints for ECR, S3 and Logs exist, add a route to an internet gateway (with "
                "assignPublicIp) or a NAT gateway, or tasks will fail with CannotPullContainerError");
  }
}

void review_job_definition(DeploymentApi& api, const DoctorInputs& inputs, const CallerIdentity& identity,
                           std::optional<JobDefinitionState>& found, Review& review) {
  Result<JobDefinitionState> definition = api.describe_job_definition(inputs.job_definition);
  if (!definition.ok()) {
    review.unreadable(kJobDefinition, "job_definition.active", "The job definition is ACTIVE", definition.error());
    return;
  }
  if (!definition->exists) {
    review.fail(kJobDefinition, "job_definition.active", "The job definition is ACTIVE",
                inputs.job_definition + " has no ACTIVE revision in account " + identity.account_id + ", region " +
                    inputs.region,
                "`live2 infra apply` registers it (or check AWS_REGION and the credentials' account)");
    return;
  }
  found = *definition;
  const JobDefinitionState& jd = *definition;
  review.pass(kJobDefinition, "job_definition.active", "The job definition is ACTIVE",
              jd.arn + " (revision " + std::to_string(jd.revision) + "), image " + jd.image);
  const bool fargate = std::find(jd.platform_capabilities.begin(), jd.platform_capabilities.end(), "FARGATE") !=
                       jd.platform_capabilities.end();
  review.expect(fargate, kJobDefinition, "job_definition.platform", "Platform capability FARGATE",
                join(jd.platform_capabilities), "register a FARGATE revision: `live2 infra apply`");
  review.expect(is_valid_fargate_pair(jd.vcpus, jd.memory_mib), kJobDefinition, "job_definition.resources",
                "vCPU and memory are a valid Fargate pair",
                std::to_string(jd.vcpus).substr(0, 4) + " vCPU / " + std::to_string(jd.memory_mib) + " MiB",
                "use a valid pair, e.g. 8 vCPU with 16384 MiB: `live2 infra apply`");
  review.expect(!jd.execution_role_arn.empty(), kJobDefinition, "job_definition.execution_role",
                "Execution role present", jd.execution_role_arn.empty() ? "none" : jd.execution_role_arn,
                "Fargate needs an execution role to pull the image and write logs: `live2 infra apply`");
  review.expect(!jd.job_role_arn.empty(), kJobDefinition, "job_definition.job_role", "Job role present",
                jd.job_role_arn.empty() ? "none" : jd.job_role_arn,
                "the worker needs a job role to upload artifacts to S3: `live2 infra apply`");
  auto bucket = jd.environment.find("S3_BUCKET");
  review.expect(bucket != jd.environment.end() && bucket->second == inputs.bucket, kJobDefinition,
                "job_definition.bucket", "The container's S3_BUCKET is the configured bucket",
                bucket == jd.environment.end() ? "S3_BUCKET not set" : "S3_BUCKET=" + bucket->second,
                "set S3_BUCKET=" + inputs.bucket + " in the job definition (`live2 infra apply`); the server also "
                "passes it per job");
  const bool retries_spot = std::any_of(jd.retry_conditions.begin(), jd.retry_conditions.end(), [](auto& c) {
    return c.action == "RETRY" && c.on_status_reason.starts_with("Your Spot Task was interrupted");
  });
  const bool catch_all = !jd.retry_conditions.empty() && jd.retry_conditions.back().action == "EXIT";
  review.expect(jd.retry_attempts >= 2 && retries_spot && catch_all, kJobDefinition, "job_definition.retry",
                "Retry strategy retries Spot reclaims and exits otherwise",
                std::to_string(jd.retry_attempts) + " attempts, " + std::to_string(jd.retry_conditions.size()) +
                    " conditions" + (retries_spot ? "" : ", Fargate Spot reclaims not retried") +
                    (catch_all ? "" : ", no catch-all EXIT"),
                "`live2 infra apply` sets attempts 3 with RETRY on 'Your Spot Task was interrupted*', 'Host EC2*' "
                "and exit code 75, then a catch-all EXIT");
  review.expect(jd.attempt_timeout_s > 0, kJobDefinition, "job_definition.timeout", "Attempt timeout set",
                jd.attempt_timeout_s > 0 ? std::to_string(jd.attempt_timeout_s) + " s" : "none",
                "set a timeout so a stuck job cannot run (and bill) forever: `live2 infra apply`");
}

void review_image(DeploymentApi& api, const JobDefinitionState& definition, Review& review) {
  // <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>
  const std::string& image = definition.image;
  const size_t slash = image.find('/');
  if (image.find(".dkr.ecr.") == std::string::npos || slash == std::string::npos) {
    review.warn(kImage, "image.repository", "The image is in ECR", image,
                "images outside ECR cannot be checked here; make sure Fargate can pull it");
    return;
  }
  std::string repository = image.substr(slash + 1);
  std::string tag = "latest";
  std::string digest;  // "sha256:...": the job definition is pinned
  if (const size_t at = repository.find('@'); at != std::string::npos) {
    digest = repository.substr(at + 1);
    repository = repository.substr(0, at);
  } else if (const size_t colon = repository.rfind(':'); colon != std::string::npos) {
    tag = repository.substr(colon + 1);
    repository = repository.substr(0, colon);
  }
  Result<RepositoryState> state = api.describe_repository(repository);
  if (!state.ok()) {
    review.unreadable(kImage, "image.repository", "The ECR repository exists", state.error());
    return;
  }
  review.expect(state->exists, kImage, "image.repository", "The ECR repository exists",
                state->exists ? state->uri : repository + " not found", "`live2 infra apply` creates it");
  if (!state->exists) return;
  if (!digest.empty()) {
    const bool present = std::any_of(state->image_digests.begin(), state->image_digests.end(),
                                     [&](const auto& tagged) { return tagged.second == digest; });
    review.expect(present, kImage, "image.tag", "The pinned image is pushed",
                  present ? repository + "@" + digest : digest + " is no tagged image of " + repository,
                  "push the worker image and run `live2 infra apply`, which pins the job definition to its digest");
    return;
  }
  review.warn(kImage, "image.pinned", "The job definition names a digest", repository + ":" + tag,
                 "a retried attempt pulls the tag again and may run a newer image than the one that wrote its "
                 "checkpoint: run `live2 infra apply` after the push to pin the job definition to the digest");
  const bool pushed = std::find(state->image_tags.begin(), state->image_tags.end(), tag) != state->image_tags.end();
  review.expect(pushed, kImage, "image.tag", "The image tag is pushed",
                pushed ? repository + ":" + tag : "tag " + tag + " not in " + repository + " (tags: " +
                                                      join(state->image_tags) + ")",
                "build and push the worker image (docs/deploy.md: docker build -f deploy/worker.Dockerfile ...)");
}

void review_permissions(DeploymentApi& api, const DoctorInputs& inputs, const CallerIdentity& identity,
                        const std::optional<JobDefinitionState>& definition, Review& review) {
  DeploymentConfig config;
  config.region = inputs.region;
  config.bucket = inputs.bucket;
  config.prefix = inputs.prefix;
  config.environment = inputs.environment;
  const PolicyDocuments documents = policy_documents(config, identity.account_id);
  // One simulation per statement of the policy, with its resources and conditions (docs/deploy.md).
  auto simulate = [&](const std::string& id, const std::string& title, const std::string& principal,
                      const std::string& document, const std::string& fix) {
    std::vector<std::string> denied;
    for (const PermissionCheck& check : permission_checks(document)) {
      Result<std::vector<std::string>> refused = api.denied_actions(principal, check);
      if (!refused.ok()) {
        review.unreadable(kPermissions, id, title, refused.error());
        return;
      }
      denied.insert(denied.end(), refused->begin(), refused->end());
    }
    const std::vector<std::string> actions = allowed_actions(document);
    review.expect(denied.empty(), kPermissions, id, title,
                  denied.empty() ? principal + " may " + join(actions) : principal + " may not " + join(denied), fix);
  };
  simulate("permissions.orchestrator", "The server's identity may run and watch jobs", principal_for(identity),
           documents.orchestrator_policy,
           "attach deploy/iam/orchestrator-policy.json (created by `live2 infra apply` as " +
               config.orchestrator_policy_name() + ") to this user or role");
  if (definition && !definition->job_role_arn.empty()) {
    simulate("permissions.job_role", "The job role may read and write the bucket", definition->job_role_arn,
             documents.job_role_policy, "`live2 infra apply` puts deploy/iam/job-role-policy.json on the job role");
  }
}

void review_bucket(DeploymentApi& api, const DoctorInputs& inputs, Review& review) {
  Result<BucketState> bucket = api.describe_bucket(inputs.bucket);
  if (!bucket.ok()) {
    review.unreadable(kBucket, "bucket.exists", "The bucket exists in the region", bucket.error());
    return;
  }
  if (!bucket->exists) {
    review.fail(kBucket, "bucket.exists", "The bucket exists in the region", inputs.bucket + " not found",
                "`live2 infra apply` creates it (or set AWS_S3_BUCKET to the right bucket)");
    return;
  }
  review.expect(bucket->region == inputs.region, kBucket, "bucket.exists", "The bucket exists in the region",
                inputs.bucket + " in " + bucket->region,
                "keep the bucket in AWS_REGION (" + inputs.region + ") to avoid cross-region cost and latency");
  review.expect(bucket->public_access_blocked, kBucket, "bucket.public_access", "Public access is blocked",
                bucket->public_access_blocked ? "all four settings on" : "not fully blocked",
                "`live2 infra apply` blocks it; artifacts are shared through presigned URLs only");
  review.expect(bucket->encrypted, kBucket, "bucket.encryption", "Default encryption is on",
                bucket->encrypted ? "on" : "off", "`live2 infra apply` turns on SSE-S3");
  if (bucket->expiration_days) {
    review.pass(kBucket, "bucket.lifecycle", "A lifecycle rule expires artifacts",
                "after " + std::to_string(*bucket->expiration_days) + " days");
  } else {
    review.warn(kBucket, "bucket.lifecycle", "A lifecycle rule expires artifacts", "none",
                "`live2 infra apply` adds a 90-day expiration so storage does not grow forever");
  }
}

}  // namespace

std::string_view to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::pass: return "pass";
    case CheckStatus::warn: return "warn";
    case CheckStatus::fail: return "fail";
  }
  return "fail";
}

bool DoctorReport::ok() const {
  return std::none_of(checks.begin(), checks.end(), [](const Check& c) { return c.status == CheckStatus::fail; });
}

const std::vector<std::string>& doctor_groups() {
  static const std::vector<std::string> groups{
      std::string(kIdentity), std::string(kComputeEnvironment), std::string(kJobQueue),
      std::string(kJobDefinition), std::string(kImage), std::string(kPermissions),
      std::string(kBucket), std::string(kConfiguration), std::string(kProbe), std::string(kSlurmGroup)};
  return groups;
}

DoctorReport run_doctor(DeploymentApi& api, const DoctorInputs& inputs) {
  DoctorReport report;
  DeploymentConfig names;
  names.prefix = inputs.prefix;
  Review review(report, names.doctor_policy_name());
  Result<CallerIdentity> identity = api.caller_identity();
  if (!identity.ok()) {
    review.fail(kIdentity, "identity.caller", "Credentials are valid (sts:GetCallerIdentity)",
                std::string(identity.error().code_name()) + ": " + identity.error().message,
                "fix the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the instance role); "
                "nothing else can be checked without them");
    review_configuration(inputs, review);
    return report;
  }
  review.pass(kIdentity, "identity.caller", "Credentials are valid (sts:GetCallerIdentity)",
              identity->arn + " in account " + identity->account_id);
  review_arn_accounts(inputs, *identity, review);

  std::optional<JobDefinitionState> definition;
  std::optional<ComputeEnvironmentState> environment = review_queue(api, inputs, *identity, review);
  review_job_definition(api, inputs, *identity, definition, review);
  if (environment) {
    // The largest job: the job definition's size, or a tier's ceiling that SubmitJob's override may ask for.
    review_compute_environment(api, *environment,
                               std::max(definition ? definition->vcpus : 1, largest_ceiling_vcpus(inputs)), review);
  }
  if (definition) review_image(api, *definition, review);
  review_permissions(api, inputs, *identity, definition, review);
  review_bucket(api, inputs, review);
  review_configuration(inputs, review);
  if (inputs.probe) report.checks.push_back(inputs.probe());

  // Present the checks in docs/aws-contract.md's group order, keeping each group's own order.
  const auto& groups = doctor_groups();
  std::stable_sort(report.checks.begin(), report.checks.end(), [&](const Check& a, const Check& b) {
    return std::find(groups.begin(), groups.end(), a.group) < std::find(groups.begin(), groups.end(), b.group);
  });
  return report;
}

}  // namespace live2::infra
