// What an AWS Batch job's state means for a live2 job (docs/aws-contract.md "Status" and "Spot"). Pure; thread-safe.
//   SUBMITTED, PENDING, RUNNABLE, STARTING -> queued; RUNNING -> running; SUCCEEDED -> completed;
//   FAILED -> cancelled when live2 asked for it, else failed with Batch's reason and the exit code.
// A RUNNABLE job's reason is shown only after it has been RUNNABLE for the dwell time: a compute environment
// scaling up from zero says "waiting for capacity"-like things for a while, and a MISCONFIGURATION: reason
// may clear once capacity arrives.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "aws/batch_client.h"
#include "core/job.h"

namespace live2 {

// CancelJob while the job waits; TerminateJob once a container may be running.
bool batch_job_is_waiting(std::string_view batch_status);
bool batch_job_is_finished(std::string_view batch_status);

// Fargate Spot: "Your Spot Task was interrupted."; EC2 Spot: "Host EC2 (instance i-...) terminated."
bool is_spot_reclaim_reason(std::string_view reason);
bool is_misconfiguration_reason(std::string_view reason);

// The compute environment a Fargate task ran in, from its ARN: arn:aws:ecs:<region>:<account>:task/<cluster>/<id>,
// where Batch names a compute environment's ECS cluster AWSBatch-<environment>-<uuid>. Empty when the ARN names no
// cluster (the old ARN format); the cluster name itself when it is not shaped as Batch's.
std::string compute_environment_of_task(std::string_view task_arn);

// The words a user reads for a job the queue's jobStateTimeLimitActions cancelled while RUNNABLE (docs/aws.md,
// "Stuck jobs"), by the reason code in Batch's statusReason; nothing for any other reason.
std::optional<std::string> stuck_job_explanation(std::string_view status_reason);

struct BatchJobView {
  JobStatus status = JobStatus::queued;
  std::optional<std::string> status_reason;  // what the job shows
  int attempts = 0;                          // finished attempts plus the one under way
  std::optional<std::string> error;          // for failed
};

// `runnable_since_ms`: when the job was first seen RUNNABLE in its current stay (now when it just got there).
BatchJobView view_of_batch_job(const aws::BatchJob& batch_job, bool cancel_requested, int64_t runnable_since_ms,
                               int64_t now_ms, int64_t runnable_reason_dwell_ms);

}  // namespace live2
