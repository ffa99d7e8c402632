#include "api/api_context.h"

#include "artifacts/directory_usage.h"
#include "core/ids.h"
#include "exec/job_retention.h"
#include "webhooks/webhook_dispatcher.h"

namespace live2::api {
namespace {

// Request latency buckets in seconds: sub-millisecond API reads up to slow downloads.
const std::vector<double> kLatencyBucketsSeconds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                 0.1,    0.25,  0.5,    1,     2.5,  5,     10};

void declare_metrics(ApiContext& context) {
  PrometheusRegistry& metrics = context.metrics;
  metrics.declare_counter("live2_http_requests_total", "HTTP requests answered, by route, method and status.");
  metrics.declare_histogram("live2_http_request_duration_seconds",
                            "Time from a complete request to its handler's answer, by route and method.",
                            kLatencyBucketsSeconds);
  JobStore& store = context.parts.jobs;
  metrics.declare_collected("live2_jobs", "Jobs in the store, by status.", "gauge", [&store] {
    std::vector<MetricSample> samples;
    for (JobStatus status : {JobStatus::queued, JobStatus::running, JobStatus::completed, JobStatus::failed,
                             JobStatus::cancelled}) {
      auto count = store.count_jobs_by_status(status);
      if (count) samples.push_back({{{"status", std::string(to_string(status))}}, static_cast<double>(*count)});
    }
    return samples;
  });
  metrics.declare_collected("live2_store_durable_syncs_total",
                            "Disk syncs that made commits durable (group commit: one serves many submits).", "counter",
                            [&store] {
                              return std::vector<MetricSample>{{{}, static_cast<double>(store.durable_sync_count())}};
                            });
  const Clock& clock = context.parts.clock;
  if (const DirectoryUsage* usage = context.parts.data_dir_usage) {
    // Read from the last walk (directory_usage.h bounds its cost and age), never walked per scrape.
    metrics.declare_collected("live2_data_dir_bytes",
                              "Disk space the data directory takes (database, artifacts, logs), from the last walk.",
                              "gauge", [usage] {
                                const DirectoryUsageSample sample = usage->latest();
                                if (sample.measured_at_ms == 0) return std::vector<MetricSample>{};
                                return std::vector<MetricSample>{{{}, static_cast<double>(sample.bytes)}};
                              });
    metrics.declare_collected("live2_data_dir_measured_age_seconds",
                              "Seconds since the walk behind live2_data_dir_bytes finished.", "gauge",
                              [usage, &clock] {
                                const DirectoryUsageSample sample = usage->latest();
                                if (sample.measured_at_ms == 0) return std::vector<MetricSample>{};
                                return std::vector<MetricSample>{
                                    {{}, static_cast<double>(clock.now_ms() - sample.measured_at_ms) / 1000.0}};
                              });
  }
  if (const JobRetention* retention = context.parts.retention) {
    metrics.declare_collected("live2_retention_deleted_total",
                              "Finished jobs' artifacts and records deleted by retention since start.", "counter",
                              [retention] {
                                const RetentionCounts counts = retention->counts();
                                return std::vector<MetricSample>{
                                    {{{"what", "artifacts"}}, static_cast<double>(counts.artifacts_deleted)},
                                    {{{"what", "records"}}, static_cast<double>(counts.records_deleted)}};
                              });
    metrics.declare_collected("live2_retention_passes_total", "Retention passes finished since start.", "counter",
                              [retention] {
                                return std::vector<MetricSample>{
                                    {{}, static_cast<double>(retention->counts().passes)}};
                              });
    metrics.declare_collected(
        "live2_retention_failures_total",
        "Retention steps that failed since start (a store error, a job directory that could not be removed).",
        "counter", [retention] {
          return std::vector<MetricSample>{{{}, static_cast<double>(retention->counts().failures)}};
        });
  }
  metrics.declare_collected(
      "live2_reconciler_lag_seconds",
      "Seconds since the least recently updated unfinished job was last written by its executor (0 when none).",
      "gauge", [&store, &clock] {
        // Only handed-over jobs: queued jobs are not an executor's yet (and may be many).
        auto handed_over = store.list_handed_over_jobs();
        double lag_s = 0;
        if (handed_over) {
          const int64_t now_ms = clock.now_ms();
          for (const Job& job : *handed_over) {
            lag_s = std::max(lag_s, static_cast<double>(now_ms - job.updated_at_ms) / 1000.0);
          }
        }
        return std::vector<MetricSample>{{{}, lag_s}};
      });
  if (const webhooks::WebhookDispatcher* dispatcher = context.parts.webhooks) {
    metrics.declare_collected("live2_webhook_deliveries_total", "Webhook delivery attempts since start, by outcome.",
                              "counter", [dispatcher] {
                                const webhooks::WebhookDeliveryCounts counts = dispatcher->counts();
                                return std::vector<MetricSample>{
                                    {{{"outcome", "delivered"}}, static_cast<double>(counts.delivered)},
                                    {{{"outcome", "failed"}}, static_cast<double>(counts.failed)},
                                    {{{"outcome", "refused"}}, static_cast<double>(counts.refused)},
                                    {{{"outcome", "gave_up"}}, static_cast<double>(counts.gave_up)}};
                              });
  }
  // With AWS Batch: what reconciling costs in Batch calls (DescribeJobs per cycle is the figure to watch).
  Executor& executor = context.parts.executor;
  metrics.declare_collected("live2_executor_cycles_total", "Passes of the executor's reconcile loop (AWS Batch).",
                            "counter", [&executor] {
                              const ExecutorActivity activity = executor.activity();
                              if (activity.backend_calls.empty()) return std::vector<MetricSample>{};
                              return std::vector<MetricSample>{{{}, static_cast<double>(activity.cycles)}};
                            });
  // Finished AWS Batch jobs' Fargate cost since start, by tier only: a label per job or user would grow without bound.
  const std::pair<const char*, double ExecutorActivity::CostTotals::*> cost_families[] = {
      {"live2_batch_vcpu_hours_total", &ExecutorActivity::CostTotals::vcpu_hours},
      {"live2_batch_gb_hours_total", &ExecutorActivity::CostTotals::gb_hours},
      {"live2_batch_cost_usd_total", &ExecutorActivity::CostTotals::usd}};
  for (const auto& family : cost_families) {
    const auto field = family.second;
    metrics.declare_collected(family.first,
                              "Fargate usage and estimated cost of the AWS Batch jobs that finished since start, by tier.",
                              "counter", [&executor, field] {
                                std::vector<MetricSample> samples;
                                for (const auto& [tier, totals] : executor.activity().cost_by_tier) {
                                  samples.push_back({{{"tier", tier}}, totals.*field});
                                }
                                return samples;
                              });
  }
  metrics.declare_collected("live2_executor_backend_calls_total",
                            "Calls the executor made to its backend service (AWS Batch), by operation.", "counter",
                            [&executor] {
                              std::vector<MetricSample> samples;
                              for (const auto& [operation, count] : executor.activity().backend_calls) {
                                samples.push_back({{{"operation", operation}}, static_cast<double>(count)});
                              }
                              return samples;
                            });
}

}  // namespace

ApiContext::ApiContext(ApiParts parts, int64_t sse_heartbeat_interval_ms)
    : parts(std::move(parts)),
      events(this->parts.jobs),
      event_streams(this->parts.clock, this->parts.settings.event_streams_per_user,
                    this->parts.settings.event_stream_lifetime_ms),
      job_outputs(this->parts.artifacts, this->parts.clock),
      executor(this->parts.executor, metrics),
      sse_heartbeat_interval_ms(sse_heartbeat_interval_ms),
      event_stream_reaper([this] {
        event_streams.end_expired();
        return std::chrono::milliseconds(event_streams.next_wait_ms());
      }) {
  declare_metrics(*this);
  job_outputs.start();
  event_stream_reaper.start();
}

Result<Job> find_visible_job(ApiContext& context, const ApiCall& call) {
  const std::string& job_id = call.param("job_id");
  const int64_t record_days = context.parts.settings.retention_record_days;
  // With record retention on, a job that existed may have been deleted: say so, without saying whether it existed.
  Error not_found = Error::make(
      ErrorCode::not_found,
      "no job " + job_id +
          (record_days > 0 ? " (this server deletes jobs " + std::to_string(record_days) +
                                 " days after they finish: LIVE2_RETENTION_RECORD_DAYS)"
                           : std::string()));
  if (!is_valid_job_id(job_id)) return not_found;
  auto job = context.parts.jobs.get_job(job_id);
  if (!job) return Error::make(ErrorCode::unavailable, "the job store is not available");
  if (!*job) return not_found;
  if (!call.principal->admin && (*job)->user_id != call.principal->user_id) return not_found;
  return std::move(**job);
}

}  // namespace live2::api
