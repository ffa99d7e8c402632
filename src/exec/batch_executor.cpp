#include "exec/batch_executor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "aws/aws_error.h"
#include "core/status_machine.h"
#include "exec/batch_cost.h"
#include "exec/batch_dataset_phase.h"
#include "exec/batch_job_size.h"
#include "exec/batch_status.h"
#include "exec/worker_progress.h"
#include "worker/worker_contract.h"

namespace live2 {
namespace {

constexpr std::string_view kKind = "aws_batch";
constexpr const char* kCancelReason = "cancelled through live2";

bool handed_to_batch(const Job& job) { return job.executor.kind == kKind; }

// SubmitJob may have created the job although no answer came back: the request reached Batch and then the
// connection broke, timed out or Batch answered 5xx.
bool submit_may_have_run(const Error& error) {
  return error.code == ErrorCode::network_error || error.code == ErrorCode::timeout || error.http_status >= 500;
}

// Batch's own times replace the moments a cycle noticed the change (up to an interval later): started_at is the
// earliest startedAt seen (a retried attempt reports its own), completed_at is stoppedAt once the job has finished.
bool record_batch_times(Job& job, const aws::BatchJob& batch_job) {
  bool changed = false;
  if (batch_job.started_at_ms && (!job.started_at_ms || *batch_job.started_at_ms < *job.started_at_ms)) {
    job.started_at_ms = batch_job.started_at_ms;
    changed = true;
  }
  if (batch_job.stopped_at_ms && is_terminal(job.status) && job.completed_at_ms != batch_job.stopped_at_ms) {
    job.completed_at_ms = batch_job.stopped_at_ms;
    changed = true;
  }
  return changed;
}

// What Fargate bills: every attempt that ran, from its startedAt to its stoppedAt, at its environment's rate.
std::vector<BilledAttempt> billed_attempts(const aws::BatchJob& batch_job, const std::string& on_demand_environment) {
  std::vector<BilledAttempt> billed;
  for (const aws::BatchAttempt& attempt : batch_job.attempts) {
    if (!attempt.started_at_ms || !attempt.stopped_at_ms) continue;
    const bool on_demand = compute_environment_of_task(attempt.task_arn) == on_demand_environment;
    billed.push_back({*attempt.started_at_ms, *attempt.stopped_at_ms,
                      on_demand ? FargateCapacity::on_demand : FargateCapacity::spot});
  }
  return billed;
}

// The CloudWatch Logs console's page of one stream. The console's fragment wants each name URL-encoded twice with
// '%' then written as '$' ("/" -> "$252F").
std::string log_console_url(const std::string& region, const std::string& group, const std::string& stream) {
  const auto encoded = [](const std::string& name) {
    std::string out;
    for (const unsigned char c : name) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out.push_back(static_cast<char>(c));
      } else {
        out += fmt::format("$25{:02X}", c);
      }
    }
    return out;
  };
  return "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region +
         "#logsV2:log-groups/log-group/" + encoded(group) + "/log-events/" + encoded(stream);
}

template <typename T>
bool assign_if_different(T& field, const T& value) {
  if (field == value) return false;
  field = value;
  return true;
}

}  // namespace

std::map<Tier, aws::FargateSize> default_fargate_ceilings() {
  std::map<Tier, aws::FargateSize> ceilings;
  for (const Tier tier : kAllTiers) ceilings[tier] = fargate_ceiling(default_limits(tier));
  return ceilings;
}

BatchExecutor::BatchExecutor(JobStore& store, RunStore& runs, aws::BatchApi& batch, aws::LogsApi& logs,
                             ArtifactStore& artifacts, aws::S3Client& s3, const Clock& clock,
                             BatchExecutorOptions options)
    : store_(store), runs_(runs), batch_(batch), logs_(logs), artifacts_(artifacts), s3_(s3), clock_(clock),
      options_(std::move(options)),
      loop_(std::string(kKind), options_.cadence, [this] { return run_cycle_steps(); }) {}

BatchExecutor::~BatchExecutor() { stop(); }

void BatchExecutor::start() { loop_.start(); }

void BatchExecutor::stop() { loop_.stop(); }

void BatchExecutor::wake() { loop_.wake(); }

Status BatchExecutor::readiness() { return loop_.readiness("AWS Batch"); }

BatchExecutorCounters BatchExecutor::counters() const {
  BatchExecutorCounters counters;
  {
    std::lock_guard lock(mutex_);
    counters = counters_;
  }
  counters.cycles = loop_.cycles();
  return counters;
}

ExecutorActivity BatchExecutor::activity() const {
  const int64_t cycles = loop_.cycles();
  std::lock_guard lock(mutex_);
  return {cycles,
          {{"DescribeJobs", counters_.describe_calls},
           {"SubmitJob", counters_.submit_calls},
           {"ListJobs", counters_.list_calls}},
          cost_by_tier_};
}

Result<std::string> BatchExecutor::read_log_tail(const Job& job, int lines) {
  if (job.executor.log_stream.empty()) return std::string();
  Result<std::vector<std::string>> events = logs_.tail_log_events(options_.log_group, job.executor.log_stream, lines);
  if (!events.ok()) return events.error();
  std::string text;
  for (const std::string& line : *events) text += line + (line.ends_with('\n') ? "" : "\n");
  return text;
}

bool BatchExecutor::run_cycle_steps() {
  bool changed = submit_queued_jobs();
  // Only jobs already handed over: queued ones may be many and are not Batch's yet.
  Result<std::vector<Job>> unfinished = store_.list_handed_over_jobs();
  if (!unfinished.ok()) {
    loop_.record_failure(unfinished.error());
    return changed;
  }
  changed = recover_submitting_jobs(*unfinished) || changed;
  std::vector<Job> handed_over;
  for (const Job& job : *unfinished) {
    if (handed_to_batch(job) && job.executor.submit_state == SubmitState::submitted) handed_over.push_back(job);
  }
  send_cancels(handed_over);
  return reconcile(handed_over) || changed;
}

bool BatchExecutor::submit_queued_jobs() {
  Result<std::vector<Job>> unfinished = store_.list_jobs_awaiting_executor(options_.max_submits_per_cycle);
  if (!unfinished.ok()) {
    loop_.record_failure(unfinished.error());
    return false;
  }
  bool changed = false;
  int submitted = 0;
  for (const Job& job : *unfinished) {
    if (submitted >= options_.max_submits_per_cycle) break;
    // A dataset whose runs have all ended waits here for its combine job (or its end, after a cancel).
    const bool combine = in_combine_phase(job);
    if (combine && job.cancel_requested) {
      changed = finish_dataset(job, JobStatus::cancelled, std::nullopt) || changed;
      continue;
    }
    if ((job.status != JobStatus::queued && !combine) || job.executor.submit_state != SubmitState::not_submitted ||
        job.cancel_requested) {
      continue;
    }
    // The intent, recorded before SubmitJob: a crash from here on is recovered by looking the job up by name.
    // Every run of a dataset gets its largest run's size (an array's children share one size); its combine job
    // keeps that size on record (cost is per attempt) and asks for its own.
    std::optional<BatchJobSize> size;
    if (!combine) size = is_dataset(job) ? size_dataset(job) : size_batch_job(job, ceiling_for(job));
    Result<Job> claimed = store_.update_job(job.job_id, [&](Job& current) {
      if ((current.status != JobStatus::queued && !in_combine_phase(current)) ||
          current.executor.submit_state != SubmitState::not_submitted || current.cancel_requested ||
          in_combine_phase(current) != combine) {
        return false;
      }
      current.executor.kind = std::string(kKind);
      current.executor.submit_state = SubmitState::submitting;
      if (size) {
        current.executor.vcpus = size->fargate.vcpus;
        current.executor.memory_mib = size->fargate.memory_mib;
      }
      return true;
    });
    if (!claimed.ok() || claimed->executor.submit_state != SubmitState::submitting) continue;
    ++submitted;
    changed = submit(*claimed) || changed;
  }
  return changed;
}

aws::FargateSize BatchExecutor::ceiling_for(const Job& job) const {
  const auto found = options_.fargate_ceilings.find(job.tier.value_or(Tier::hobby));
  return found != options_.fargate_ceilings.end() ? found->second : fargate_ceiling(default_limits(Tier::hobby));
}

bool BatchExecutor::submit(const Job& job) {
  const std::string prefix = artifacts_.prefix_for(job);
  aws::BatchSubmitRequest request;
  request.job_name = batch_job_name(job);
  request.job_queue = options_.job_queue;
  request.job_definition = options_.job_definition;
  request.environment = {{worker::env::kJobId, job.job_id},
                         {worker::env::kUserId, job.user_id},
                         {worker::env::kS3Bucket, options_.s3_bucket},
                         {worker::env::kEnv, options_.env},
                         {worker::env::kArtifactPrefix, prefix}};
  if (job.output_budget_bytes > 0) {
    request.environment.emplace_back(worker::env::kOutputBudgetBytes, std::to_string(job.output_budget_bytes));
  }
  // The size recorded at the claim, so a resubmission after a crash asks for the same task.
  request.resources = aws::FargateSize{job.executor.vcpus, job.executor.memory_mib};
  Status prepared = Status::success();
  if (is_dataset(job)) request = dataset_request(job, std::move(request), prepared);
  request.environment.emplace_back(worker::env::kWorkerThreads,
                                   std::to_string(std::max(1, static_cast<int>(request.resources->vcpus))));
  if (!prepared.ok()) {
    loop_.record_failure(prepared.error());
    (void)store_.update_job(job.job_id, [](Job& current) {
      current.executor.submit_state = SubmitState::not_submitted;
      return true;
    });
    return false;
  }
  if (job.params_json.size() <= options_.max_params_env_bytes) {
    request.environment.emplace_back(worker::env::kJobParams, job.params_json);
  } else {
    // Too large for SubmitJob's body: the worker reads params.json from its prefix instead of JOB_PARAMS.
    Status stored =
        s3_.put_object(options_.s3_bucket, prefix + worker::artifact::kParams, job.params_json, "application/json");
    if (!stored.ok()) {
      loop_.record_failure(stored.error());
      (void)store_.update_job(job.job_id, [](Job& current) {
        current.executor.submit_state = SubmitState::not_submitted;
        return true;
      });
      return false;
    }
  }
  // Cost-allocation tags (activated once in the Billing console), propagated to the Fargate task.
  request.tags = {{"live2:job-id", job.job_id},
                  {"live2:user-id", job.user_id},
                  {"live2:tier", job.tier ? std::string(to_string(*job.tier)) : std::string("unknown")}};
  request.propagate_tags = true;

  Result<aws::BatchSubmitted> submitted = batch_.submit_job(request);
  {
    std::lock_guard lock(mutex_);
    ++counters_.submit_calls;
  }
  const int64_t now_ms = clock_.now_ms();
  if (submitted.ok()) {
    const Result<Job> updated = store_.update_job(job.job_id, [&](Job& current) {
      current.executor.submit_state = SubmitState::submitted;
      current.executor.external_id = submitted->job_id;
      current.executor.external_status = "SUBMITTED";
      current.executor.status_since_ms = now_ms;
      return true;
    });
    if (!updated.ok()) loop_.record_failure(updated.error());
    return true;
  }
  const Error& error = submitted.error();
  loop_.record_failure(error);
  // Whether Batch has it is unknown: the job stays `submitting`, and recovery looks it up by name once ListJobs
  // can be trusted to show it.
  if (submit_may_have_run(error)) return true;
  const bool refused = !aws::is_retryable(error, false);
  (void)store_.update_job(job.job_id, [&](Job& current) {
    current.executor.submit_state = SubmitState::not_submitted;
    if (refused) {
      current.error = "AWS Batch refused the job: " + std::string(error.code_name()) + ": " + error.message;
      (void)transition(current, JobStatus::failed, now_ms);
    }
    return true;
  });
  return refused;
}

std::optional<bool> BatchExecutor::adopt_existing_batch_job(const Job& job) {
  Result<std::vector<aws::BatchJobSummary>> found = batch_.list_jobs_by_name(options_.job_queue, batch_job_name(job));
  {
    std::lock_guard lock(mutex_);
    ++counters_.list_calls;
  }
  if (!found.ok()) {
    loop_.record_failure(found.error());
    return std::nullopt;
  }
  if (found->empty()) return false;
  const aws::BatchJobSummary newest = *std::max_element(
      found->begin(), found->end(),
      [](const aws::BatchJobSummary& a, const aws::BatchJobSummary& b) { return a.created_at_ms < b.created_at_ms; });
  const int64_t now_ms = clock_.now_ms();
  const Result<Job> adopted = store_.update_job(job.job_id, [&](Job& current) {
    if (current.executor.submit_state != SubmitState::submitting) return false;
    current.executor.submit_state = SubmitState::submitted;
    current.executor.external_id = newest.job_id;
    current.executor.external_status = newest.status;
    current.executor.status_since_ms = now_ms;
    return true;
  });
  if (!adopted.ok()) loop_.record_failure(adopted.error());
  spdlog::info("aws_batch: job {} was already submitted as Batch job {}; adopted it", job.job_id, newest.job_id);
  return true;
}

bool BatchExecutor::recover_submitting_jobs(const std::vector<Job>& unfinished) {
  bool changed = false;
  for (const Job& job : unfinished) {
    if (!handed_to_batch(job) || job.executor.submit_state != SubmitState::submitting) continue;
    // updated_at_ms is when the intent was recorded (nothing else touches a `submitting` job).
    if (clock_.now_ms() - job.updated_at_ms < options_.list_settle_ms) continue;
    const std::optional<bool> adopted = adopt_existing_batch_job(job);
    if (!adopted || *adopted) {
      changed = changed || adopted.has_value();
      continue;
    }
    // Batch never got it: submit it again, unless the user cancelled meanwhile.
    const int64_t now_ms = clock_.now_ms();
    // A dataset cancelled before Batch had its runs: they never start.
    if (job.cancel_requested && is_dataset(job) && !in_combine_phase(job)) {
      if (auto cancelled = runs_.cancel_queued_runs(job.job_id); !cancelled) loop_.record_failure(cancelled.error());
    }
    (void)store_.update_job(job.job_id, [&](Job& current) {
      if (current.executor.submit_state != SubmitState::submitting) return false;
      current.executor.submit_state = SubmitState::not_submitted;
      if (current.cancel_requested) (void)transition(current, JobStatus::cancelled, now_ms);
      return true;
    });
    changed = true;
  }
  return changed;
}

void BatchExecutor::count_describe(bool children) {
  std::lock_guard lock(mutex_);
  ++counters_.describe_calls;
  if (children) ++counters_.child_describe_calls;
}

void BatchExecutor::send_cancels(const std::vector<Job>& handed_over) {
  const int64_t now_ms = clock_.now_ms();
  for (const Job& job : handed_over) {
    if (!job.cancel_requested || batch_job_is_finished(job.executor.external_status)) continue;
    const auto sent = cancel_sent_ms_.find(job.job_id);
    if (sent != cancel_sent_ms_.end() && now_ms - sent->second < options_.cancel_resend_ms) continue;
    // An array parent is PENDING while its children run: TerminateJob on it cancels the waiting children and stops
    // the running ones.
    const bool waiting = batch_job_is_waiting(job.executor.external_status) && !is_dataset(job);
    const Status status = waiting ? batch_.cancel_job(job.executor.external_id, kCancelReason)
                                  : batch_.terminate_job(job.executor.external_id, kCancelReason);
    if (!status.ok()) {
      loop_.record_failure(status.error());
      continue;
    }
    cancel_sent_ms_[job.job_id] = now_ms;
  }
}

bool BatchExecutor::reconcile(const std::vector<Job>& handed_over) {
  bool changed = false;
  for (size_t start = 0; start < handed_over.size(); start += aws::kMaxDescribeJobIds) {
    const size_t end = std::min(handed_over.size(), start + aws::kMaxDescribeJobIds);
    std::vector<std::string> ids;
    for (size_t i = start; i < end; ++i) ids.push_back(handed_over[i].executor.external_id);
    Result<std::vector<aws::BatchJob>> described = batch_.describe_jobs(ids);
    count_describe(/*children=*/false);
    if (!described.ok()) {
      loop_.record_failure(described.error());
      continue;
    }
    std::map<std::string, const aws::BatchJob*> by_id;
    for (const aws::BatchJob& batch_job : *described) by_id[batch_job.job_id] = &batch_job;
    for (size_t i = start; i < end; ++i) {
      const auto found = by_id.find(handed_over[i].executor.external_id);
      if (found == by_id.end()) {
        changed = resolve_missing(handed_over[i]) || changed;
        continue;
      }
      missing_since_ms_.erase(handed_over[i].job_id);
      const Job& job = handed_over[i];
      if (is_dataset(job)) {
        changed = (in_combine_phase(job) ? apply_combine(job, *found->second) : apply_array(job, *found->second)) ||
                  changed;
      } else {
        changed = apply(job, *found->second) || changed;
      }
    }
  }
  for (const Job& job : handed_over) {
    if (!is_terminal(job.status)) continue;
    cancel_sent_ms_.erase(job.job_id);
    missing_since_ms_.erase(job.job_id);
  }
  return changed;
}

// Batch's own record is gone, so the worker's outcome decides: metadata.json (written last, only by a run that
// completed) means completed; without it the job failed (or was cancelled, when live2 asked for that), with a reason
// that says the outcome was lost. A read error other than "not there" waits for the next cycle.
bool BatchExecutor::resolve_missing(const Job& job) {
  const int64_t now_ms = clock_.now_ms();
  const int64_t missing_since_ms = missing_since_ms_.try_emplace(job.job_id, now_ms).first->second;
  if (now_ms - missing_since_ms < options_.missing_job_grace_ms) return false;
  if (is_dataset(job) && !in_combine_phase(job)) {
    const bool changed = resolve_missing_runs(job);
    if (changed) missing_since_ms_.erase(job.job_id);
    return changed;
  }
  const Result<std::string> metadata = artifacts_.read(job, worker::artifact::kMetadata);
  if (!metadata.ok() && metadata.error().code != ErrorCode::not_found) {
    loop_.record_failure(metadata.error());
    return false;
  }
  const std::string forgotten = "AWS Batch no longer knows job " + job.executor.external_id +
                                " (it forgets jobs about 7 days after they finish)";
  const JobStatus status = metadata.ok()          ? JobStatus::completed
                           : job.cancel_requested ? JobStatus::cancelled
                                                  : JobStatus::failed;
  bool changed = false;
  const Result<Job> updated = store_.update_job(job.job_id, [&](Job& current) {
    if (is_terminal(current.status)) return false;
    if (status == JobStatus::completed) {
      current.executor.status_reason = forgotten + "; its metadata.json says it completed";
    } else {
      current.executor.status_reason = forgotten + " and its worker wrote no metadata.json: the outcome is lost";
      if (status == JobStatus::failed) current.error = *current.executor.status_reason;
    }
    changed = transition(current, status, now_ms).ok();
    return changed;
  });
  if (!updated.ok()) loop_.record_failure(updated.error());
  missing_since_ms_.erase(job.job_id);
  return changed;
}

bool BatchExecutor::apply(const Job& job, const aws::BatchJob& batch_job) {
  const int64_t now_ms = clock_.now_ms();
  const int64_t runnable_since_ms =
      job.executor.external_status == "RUNNABLE" ? job.executor.status_since_ms : now_ms;
  const BatchJobView view = view_of_batch_job(batch_job, job.cancel_requested, runnable_since_ms, now_ms,
                                              options_.runnable_reason_dwell_ms);
  std::optional<WorkerProgress> progress;
  if (batch_job.status == "RUNNING") {
    Result<std::string> text = artifacts_.read(job, worker::artifact::kProgress);
    if (text.ok()) progress = parse_worker_progress(*text);
  }
  if (view.status_reason && is_misconfiguration_reason(*view.status_reason) &&
      job.executor.status_reason != view.status_reason) {
    spdlog::warn("aws_batch: job {} stays RUNNABLE: {}", job.job_id, *view.status_reason);
  }

  bool changed = false;
  const Result<Job> updated = store_.update_job(job.job_id, [&](Job& current) {
    if (is_terminal(current.status)) return false;
    ExecutorInfo& executor = current.executor;
    bool touched = false;
    if (assign_if_different(executor.external_status, batch_job.status)) {
      executor.status_since_ms = now_ms;
      touched = true;
    }
    touched = assign_if_different(executor.status_reason, view.status_reason) || touched;
    touched = assign_if_different(executor.attempts, view.attempts) || touched;
    touched = assign_if_different(executor.exit_code, batch_job.exit_code) || touched;
    if (!batch_job.log_stream.empty()) {
      touched = assign_if_different(executor.log_stream, batch_job.log_stream) || touched;
      if (!options_.region.empty()) {
        touched = assign_if_different(executor.log_url,
                                      log_console_url(options_.region, options_.log_group, batch_job.log_stream)) ||
                  touched;
      }
    }
    if (!batch_job.task_arn.empty()) {
      touched = assign_if_different(executor.compute_environment, compute_environment_of_task(batch_job.task_arn)) ||
                touched;
    }
    if (progress) {
      const double before = current.progress;
      raise_progress(current, progress->percent);
      touched = touched || current.progress != before || current.eta_seconds != progress->eta_seconds;
      current.eta_seconds = progress->eta_seconds;
    }
    if (view.status != current.status) {
      if (view.error) current.error = view.error;
      touched = transition(current, view.status, now_ms).ok() || touched;
    }
    touched = record_batch_times(current, batch_job) || touched;
    // Sized jobs only: one submitted before sizing ran at the job definition's size, which live2 does not know.
    if (is_terminal(current.status) && batch_job_is_finished(batch_job.status) && executor.vcpus > 0) {
      current.cost = fargate_job_cost(billed_attempts(batch_job, options_.on_demand_compute_environment),
                                      {executor.vcpus, executor.memory_mib},
                                      options_.fargate_prices);
      touched = true;
    }
    changed = touched;
    return touched;
  });
  if (!updated.ok()) {
    loop_.record_failure(updated.error());
  } else if (changed && updated->cost && is_terminal(updated->status)) {
    std::lock_guard lock(mutex_);
    ExecutorActivity::CostTotals& totals =
        cost_by_tier_[updated->tier ? std::string(to_string(*updated->tier)) : std::string("unknown")];
    totals.vcpu_hours += updated->cost->vcpu_hours;
    totals.gb_hours += updated->cost->gb_hours;
    totals.usd += updated->cost->usd.value_or(0);
  }
  return changed;
}

}  // namespace live2
