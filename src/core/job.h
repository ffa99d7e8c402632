// The job model: what live2 knows about one submitted simulation, independent of where it runs.
// Plain data; the status machine (status_machine.h) says which status changes are legal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/job_labels.h"
#include "core/tiers.h"

namespace live2 {

enum class JobStatus { queued, running, completed, failed, cancelled };

std::string_view to_string(JobStatus status);
std::optional<JobStatus> parse_job_status(std::string_view text);
bool is_terminal(JobStatus status);

// How far a job's hand-over to its executor has got. Written before and after the executor call so a crash in
// between is recoverable (the executor looks the job up instead of submitting it twice).
enum class SubmitState { not_submitted, submitting, submitted };
std::string_view to_string(SubmitState state);
std::optional<SubmitState> parse_submit_state(std::string_view text);

// What the executor reports about the job. Field names follow docs/api.md's `executor` object.
struct ExecutorInfo {
  std::string kind;                        // "local" or "aws_batch"; empty until handed over
  SubmitState submit_state = SubmitState::not_submitted;
  std::string external_id;                 // Batch job id, or the local worker's process id
  std::string external_status;             // Batch status (SUBMITTED ... FAILED), or the local state
  std::optional<std::string> status_reason;
  int attempts = 0;
  std::optional<int> exit_code;
  std::string log_stream;                  // CloudWatch stream, or the local log path
  int64_t status_since_ms = 0;             // when external_status last changed (dwell times)
  double vcpus = 0;                        // AWS Batch, Slurm: the size the job was submitted with; 0 before
  int memory_mib = 0;
  std::string compute_environment{};       // AWS Batch: where the latest attempt ran; empty before it started
  std::string log_url{};                   // AWS Batch: the CloudWatch Logs console page of log_stream
};

// AWS Batch: what the job's Fargate tasks cost, estimated from Batch's attempt times (docs/aws.md, "Cost").
struct JobCost {
  double vcpu_hours = 0;
  double gb_hours = 0;               // memory, 1 GB = 1024 MiB as Fargate bills it
  std::optional<double> usd;         // unset when the price table has no row for the region
};

// A generate_dataset job's runs by status (run.h); all zero for run_simulation. Kept in step with the runs by the
// store, in the transaction that changes a run.
struct RunCounts {
  int64_t total = 0;
  int64_t queued = 0;
  int64_t running = 0;
  int64_t completed = 0;
  int64_t failed = 0;
  int64_t cancelled = 0;
  bool operator==(const RunCounts&) const = default;
  // The counter of `status`.
  int64_t& of(JobStatus status);
  int64_t finished() const { return completed + failed + cancelled; }
};

struct Job {
  std::string job_id;
  std::string user_id;
  std::string job_type;                    // "run_simulation" or "generate_dataset"
  std::optional<std::string> name;         // the submitter's label, bounded by job_labels.h
  JobTags tags;                            // the submitter's key -> value labels, bounded by job_labels.h
  JobStatus status = JobStatus::queued;
  double progress = 0;                     // 0..100, never backwards within one attempt
  std::string params_json;                 // the job's `params` object as submitted (validated)
  int64_t created_at_ms = 0;
  std::optional<int64_t> started_at_ms;
  std::optional<int64_t> completed_at_ms;  // set for every terminal status
  std::optional<int64_t> cancelled_at_ms;
  std::optional<std::string> error;
  double estimated_time_s = 0;             // expected wall time (a dataset's runs side by side)
  std::optional<double> eta_seconds;
  bool cancel_requested = false;
  std::optional<std::string> webhook_url;
  std::optional<std::string> idempotency_key;
  std::string request_fingerprint;         // sha256 of the canonical request, for idempotency conflicts
  int64_t particle_steps = 0;              // num_particles x steps, for quotas
  int64_t output_budget_bytes = 0;         // the tier's artifact budget at submit, enforced by the worker; 0: none
  std::optional<Tier> tier;                // the owner's tier at submit; unset for jobs accepted before it was kept
  std::optional<JobCost> cost;             // set when an AWS Batch job has finished
  ExecutorInfo executor;
  int64_t updated_at_ms = 0;
  // generate_dataset only: its runs, and the estimate of their cost at submit (particle_steps above is the sum).
  RunCounts runs;
  double estimated_run_time_s = 0;         // the runs' expected wall times added up
  int64_t estimated_output_bytes = 0;      // the runs' artifacts added up
  // When retention deleted the finished job's local artifacts (LIVE2_RETENTION_DAYS); unset while they are kept.
  std::optional<int64_t> artifacts_deleted_at_ms;
};

}  // namespace live2
