#include "store/sqlite_schema.h"

#include <array>
#include <string>

namespace live2::store {
namespace {

// Migration N (1-based) moves a database from user_version N-1 to N. Append only: never edit a released step.
constexpr std::array<const char*, 8> kMigrations{
    // 1: jobs (every Job field, the executor's as executor_*), per-user counters for quotas, API keys and the
    // webhook outbox.
    R"sql(
CREATE TABLE jobs (
  job_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  job_type TEXT NOT NULL,
  status TEXT NOT NULL,
  progress REAL NOT NULL,
  params_json TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  started_at_ms INTEGER,
  completed_at_ms INTEGER,
  cancelled_at_ms INTEGER,
  error TEXT,
  estimated_time_s REAL NOT NULL,
  eta_seconds REAL,
  cancel_requested INTEGER NOT NULL,
  webhook_url TEXT,
  idempotency_key TEXT,
  request_fingerprint TEXT NOT NULL,
  particle_steps INTEGER NOT NULL,
  executor_kind TEXT NOT NULL,
  executor_submit_state TEXT NOT NULL,
  executor_external_id TEXT NOT NULL,
  executor_external_status TEXT NOT NULL,
  executor_status_reason TEXT,
  executor_attempts INTEGER NOT NULL,
  executor_exit_code INTEGER,
  executor_log_stream TEXT NOT NULL,
  executor_status_since_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  -- 1 for a user's first job, 2 for the second...: the daily quota counts a user's recent jobs from it.
  user_seq INTEGER NOT NULL
);
-- A user's jobs, newest first (job ids sort by creation time).
CREATE INDEX jobs_by_user ON jobs(user_id, job_id);
-- One job per user and idempotency key, enforced by SQLite as well as by create_job.
CREATE UNIQUE INDEX jobs_by_user_idempotency_key ON jobs(user_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
-- Daily quota: the user_seq of a user's first job created after a time.
CREATE INDEX jobs_by_user_created ON jobs(user_id, created_at_ms, user_seq);
-- Counts by status for metrics, unfinished jobs, admin listings by status.
CREATE INDEX jobs_by_status ON jobs(status, job_id);
-- What executors claim next, oldest first, and what they already have: each stays small and ordered, so neither
-- query visits the other's jobs (the queries name them with INDEXED BY, see sqlite_job_store.cpp).
CREATE INDEX jobs_awaiting_executor ON jobs(job_id)
  WHERE status IN ('queued', 'running') AND executor_submit_state = 'not_submitted';
CREATE INDEX jobs_handed_over ON jobs(job_id)
  WHERE status IN ('queued', 'running') AND executor_submit_state != 'not_submitted';

-- Kept in step with `jobs` by create_job and update_job, in the same transactions, so that quota checks cost the
-- same with a hundred jobs or a million: active_jobs counts queued and running jobs, created_jobs every job ever.
CREATE TABLE user_job_counters (
  user_id TEXT PRIMARY KEY,
  active_jobs INTEGER NOT NULL,
  created_jobs INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_keys (
  key_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  tier TEXT NOT NULL,
  admin INTEGER NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER
);

CREATE TABLE webhook_deliveries (
  delivery_id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs(job_id),
  event TEXT NOT NULL,
  url TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  next_attempt_at_ms INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  finished INTEGER NOT NULL
);
-- The dispatcher's poll: due deliveries that are not finished; finished ones drop out of the index.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at_ms, created_at_ms) WHERE finished = 0;
)sql",
    // 2: the tier's output budget a job was accepted under, which its worker enforces. 0 (no budget) for jobs
    // accepted before budgets existed: they were admitted without one and keep running that way.
    R"sql(
ALTER TABLE jobs ADD COLUMN output_budget_bytes INTEGER NOT NULL DEFAULT 0;
)sql",
    // 3: a job's name and tags (job_labels.h). The tags live in the job row (tags_json, what the job object shows)
    // and, for GET /api/v1/jobs?tag=, once more in job_tags, written with the job and never changed.
    R"sql(
ALTER TABLE jobs ADD COLUMN name TEXT;
ALTER TABLE jobs ADD COLUMN tags_json TEXT NOT NULL DEFAULT '{}';
-- A user's jobs with a tag (the primary key), and every user's for admin listings (job_tags_by_tag).
CREATE TABLE job_tags (
  user_id TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  job_id TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, tag_key, tag_value, job_id)
) WITHOUT ROWID;
CREATE INDEX job_tags_by_tag ON job_tags(tag_key, tag_value, job_id);
)sql",
    // 4: the owner's tier at submit (NULL for jobs accepted before: unknown) and the Fargate size an AWS Batch job
    // was submitted with (0 before sizing existed, or with another executor).
    R"sql(
ALTER TABLE jobs ADD COLUMN tier TEXT;
ALTER TABLE jobs ADD COLUMN executor_vcpus REAL NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN executor_memory_mib INTEGER NOT NULL DEFAULT 0;
)sql",
    // 5: a finished AWS Batch job's Fargate cost (all NULL: no cost, i.e. not finished on Batch or finished before).
    R"sql(
ALTER TABLE jobs ADD COLUMN cost_vcpu_hours REAL;
ALTER TABLE jobs ADD COLUMN cost_gb_hours REAL;
ALTER TABLE jobs ADD COLUMN cost_usd REAL;
)sql",
    // 6: the compute environment an AWS Batch job ran in and the console link of its log stream ('' until known).
    R"sql(
ALTER TABLE jobs ADD COLUMN executor_compute_environment TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN executor_log_url TEXT NOT NULL DEFAULT '';
)sql",
    // 7: generate_dataset jobs: their runs (core/run.h), and on the job their counts by status and the estimate of
    // their cost. Zeros for every job before datasets existed (all run_simulation).
    R"sql(
ALTER TABLE jobs ADD COLUMN runs_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN runs_queued INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN runs_running INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN runs_completed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN runs_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN runs_cancelled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN estimated_run_time_s REAL NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN estimated_output_bytes INTEGER NOT NULL DEFAULT 0;
CREATE TABLE runs (
  job_id TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
  run_index INTEGER NOT NULL,
  params_json TEXT NOT NULL,
  sweep_json TEXT NOT NULL,
  seed INTEGER NOT NULL,
  status TEXT NOT NULL,
  progress REAL NOT NULL,
  attempts INTEGER NOT NULL,
  started_at_ms INTEGER,
  completed_at_ms INTEGER,
  error TEXT,
  exit_code INTEGER,
  external_id TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (job_id, run_index)
) WITHOUT ROWID;
-- A dataset's runs in one status, lowest index first: what an executor starts or watches next, and the running
-- runs' progress for the dataset's.
CREATE INDEX runs_by_status ON runs(job_id, status, run_index);
)sql",
    // 8: retention (docs/storage.md, "Retention"): when a finished job's local artifacts were deleted (NULL: kept),
    // and the two queries of a retention pass, each over finished jobs in the order they finished, so a batch due
    // for deletion is read from the front of its index however many jobs are kept or were deleted before.
    R"sql(
ALTER TABLE jobs ADD COLUMN artifacts_deleted_at_ms INTEGER;
CREATE INDEX jobs_finished ON jobs(completed_at_ms, job_id)
  WHERE status IN ('completed', 'failed', 'cancelled');
CREATE INDEX jobs_finished_with_artifacts ON jobs(completed_at_ms, job_id)
  WHERE status IN ('completed', 'failed', 'cancelled') AND artifacts_deleted_at_ms IS NULL;
-- Deleting a job deletes its tags (ON DELETE CASCADE) and its webhook deliveries, and SQLite checks both foreign keys:
-- without these, each deleted job would scan both tables.
CREATE INDEX job_tags_by_job ON job_tags(job_id);
CREATE INDEX webhook_deliveries_by_job ON webhook_deliveries(job_id);
)sql",
};

Result<int> read_user_version(SqliteConnection& connection) {
  Result<Statement> statement = connection.prepare("PRAGMA user_version");
  if (!statement) return statement.error();
  Result<bool> row = statement->step();
  if (!row) return row.error();
  return static_cast<int>(statement->integer(0));
}

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

Status migrate_schema(SqliteConnection& connection) {
  while (true) {
    // The version is read inside the write transaction, so two processes opening a new file migrate it once.
    Result<Transaction> transaction = Transaction::begin_immediate(connection);
    if (!transaction) return transaction.error();
    Result<int> version = read_user_version(connection);
    if (!version) return version.error();
    if (*version > latest_schema_version()) {
      return Error::make(ErrorCode::unavailable, "the database has schema version " + std::to_string(*version) +
                                                     ", newer than this live2 understands (" +
                                                     std::to_string(latest_schema_version()) + ")");
    }
    if (*version == latest_schema_version()) return Status::success();
    const int next = *version + 1;
    if (Status applied = connection.execute(kMigrations[static_cast<size_t>(*version)]); !applied) return applied;
    if (Status stamped = connection.execute("PRAGMA user_version=" + std::to_string(next)); !stamped) return stamped;
    if (Status committed = transaction->commit(); !committed) return committed;
  }
}

}  // namespace live2::store
