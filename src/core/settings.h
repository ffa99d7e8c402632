// Settings: every knob of `live2 serve` and the CLI, parsed from a name -> value map (the process environment merged
// over a `.env` file by the caller: the real environment wins). Pure: reading the environment or files is the
// caller's job (apps/live2). Unknown or malformed values are reported, never silently replaced.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/environment.h"
#include "base/ip_network.h"
#include "base/result.h"
#include "core/fargate_prices.h"
#include "core/tiers.h"

namespace live2 {

struct Settings {
  // Service
  std::string listen = "127.0.0.1:8080";       // LIVE2_LISTEN
  std::string metrics_listen;                  // LIVE2_METRICS_LISTEN: empty serves /metrics on the main listener
  std::string data_dir = "./data";             // LIVE2_DATA_DIR: SQLite file, local artifacts, secrets
  std::string public_url;                      // LIVE2_PUBLIC_URL: base of signed artifact URLs (default http(s)://listen)
  std::string tls_cert_file;                   // LIVE2_TLS_CERT_FILE: PEM chain; with the key, serve speaks HTTPS
  std::string tls_key_file;                    // LIVE2_TLS_KEY_FILE: PEM private key (both or neither)
  std::string executor = "local";              // LIVE2_EXECUTOR: local | aws_batch | slurm
  int64_t max_body_bytes = 1 << 20;            // LIVE2_MAX_BODY_BYTES
  int64_t header_timeout_ms = 10'000;          // LIVE2_HEADER_TIMEOUT_MS
  int64_t idle_timeout_ms = 60'000;            // LIVE2_IDLE_TIMEOUT_MS
  int64_t max_connections = 0;                 // LIVE2_MAX_CONNECTIONS (0: derived from the open-files limit)
  int64_t shutdown_grace_ms = 20'000;          // LIVE2_SHUTDOWN_GRACE_MS
  std::string access_log = "auto";             // LIVE2_ACCESS_LOG: auto | stdout | file ({data_dir}/access.log)
  // Clients (docs/security.md)
  std::vector<IpNetwork> trusted_proxies;      // LIVE2_TRUSTED_PROXIES: comma list; X-Forwarded-For from these only
  int64_t auth_failures_per_minute = 60;       // LIVE2_AUTH_FAILURES_PER_MINUTE: per client address
  int64_t event_streams_per_user = 32;         // LIVE2_EVENT_STREAMS_PER_USER: open SSE streams
  int64_t event_stream_lifetime_ms = 1'800'000;  // LIVE2_EVENT_STREAM_LIFETIME_MS: then the server ends the stream
  std::string web_dir;                         // LIVE2_WEB_DIR: built dashboard (default: next to the binary)
  int64_t min_free_disk_bytes = 64LL << 20;    // LIVE2_MIN_FREE_DISK_BYTES: below it, no new jobs (503)
  // Retention (docs/storage.md): days after a job finished; 0 keeps forever. Records: at least the artifacts' days.
  int64_t retention_days = 0;                  // LIVE2_RETENTION_DAYS: finished jobs' local artifacts
  int64_t retention_record_days = 0;           // LIVE2_RETENTION_RECORD_DAYS: finished jobs' records
  // Local executor
  std::string worker_binary;                   // LIVE2_WORKER_BINARY (default: live2-sim next to live2)
  int64_t max_concurrent_jobs = 2;             // LIVE2_MAX_CONCURRENT_JOBS
  int64_t worker_threads = 0;                  // LIVE2_WORKER_THREADS (0: hardware threads / concurrent jobs)
  int64_t cancel_grace_ms = 10'000;            // LIVE2_CANCEL_GRACE_MS: SIGTERM -> SIGKILL
  // Slurm executor (docs/slurm.md)
  std::string slurm_shared_dir;                // LIVE2_SLURM_SHARED_DIR: job directories (default {data_dir}/artifacts)
  std::string slurm_worker_binary;             // LIVE2_SLURM_WORKER_BINARY: live2-sim on the nodes (default: the local one)
  std::string slurm_partition;                 // LIVE2_SLURM_PARTITION (default: the cluster's default partition)
  std::string slurm_account;                   // LIVE2_SLURM_ACCOUNT
  std::string slurm_qos;                       // LIVE2_SLURM_QOS
  int64_t slurm_time_limit_minutes = 0;        // LIVE2_SLURM_TIME_LIMIT_MINUTES (0: the partition's default)
  int64_t slurm_cpus_per_task = 0;             // LIVE2_SLURM_CPUS_PER_TASK: also the worker's threads (0: by tier)
  int64_t slurm_memory_mib = 0;                // LIVE2_SLURM_MEMORY_MIB: --mem (0: by tier)
  int64_t slurm_signal_grace_s = 120;          // LIVE2_SLURM_SIGNAL_GRACE_S: SIGTERM before the time limit
  int64_t slurm_max_requeues = 10;             // LIVE2_SLURM_MAX_REQUEUES
  int64_t slurm_poll_interval_ms = 5'000;      // LIVE2_SLURM_POLL_INTERVAL_MS: between cycles
  std::string slurm_ssh_host;                  // LIVE2_SLURM_SSH_HOST: [user@]login node; empty runs commands here
  int64_t slurm_ssh_port = 22;                 // LIVE2_SLURM_SSH_PORT
  std::string slurm_ssh_key;                   // LIVE2_SLURM_SSH_KEY: private key file
  std::string slurm_ssh_known_hosts;           // LIVE2_SLURM_SSH_KNOWN_HOSTS: must hold the login node's host key
  // Webhooks
  bool webhook_allow_insecure = false;         // LIVE2_WEBHOOK_ALLOW_INSECURE: http and private addresses (dev only)
  // AWS (docs/aws-contract.md's names)
  std::string aws_region;                      // AWS_REGION; empty: the SDK order (apps/live2/settings_loader.cpp)
  std::string batch_job_queue = "live2-job-queue";           // AWS_BATCH_JOB_QUEUE
  std::string batch_job_definition = "live2-simulation";     // AWS_BATCH_JOB_DEFINITION
  // LIVE2_BATCH_ON_DEMAND_COMPUTE_ENVIRONMENT: the queue's on-demand fallback, for pricing (docs/aws.md, "Cost")
  std::string batch_on_demand_compute_environment = "live2-compute-env-on-demand";
  std::string s3_bucket = "live2-artifacts";   // AWS_S3_BUCKET
  std::string env = "prod";                    // ENV: first segment of artifact keys
  FargatePriceTable fargate_prices;            // LIVE2_FARGATE_PRICES: rows over the built-in table (fargate_prices.h)
  // Tier limits, defaults from tiers.h, overridable with LIVE2_TIER_<TIER>_<LIMIT>
  // (e.g. LIVE2_TIER_HOBBY_CONCURRENT_JOBS=4; limits CONCURRENT_JOBS, JOBS_PER_DAY, PARTICLE_STEPS_PER_JOB,
  // REQUESTS_PER_MINUTE, OUTPUT_BYTES_PER_JOB, MAX_VCPUS, MAX_MEMORY_MIB, RUNS_PER_DATASET, RUNNING_RUNS).
  std::map<Tier, TierLimits> tier_limits;

  TierLimits limits_for(Tier tier) const;
};

Result<Settings> parse_settings(const Environment& variables);

// Parses `.env` text: KEY=VALUE lines, `#` comments, optional `export `, values optionally in single or double quotes.
Environment parse_dotenv(const std::string& text);

}  // namespace live2
