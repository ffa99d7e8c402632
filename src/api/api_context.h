// ApiContext: what the route handlers share: the service's parts (owned by the composition root, apps/live2's
// serve command) plus the API's own event hub, event-stream registry (with the thread that ends streams past their
// lifetime), the watch over streamed jobs' outputs and metrics. Built once before serving; the parts are thread-safe.
#pragma once

#include <filesystem>
#include <optional>

#include "api/api_call.h"
#include "api/event_stream_registry.h"
#include "api/instrumented_executor.h"
#include "api/job_event_hub.h"
#include "api/job_output_watch.h"
#include "api/prometheus_registry.h"
#include "artifacts/artifact_store.h"
#include "base/background_loop.h"
#include "base/clock.h"
#include "base/random_source.h"
#include "base/result.h"
#include "core/settings.h"
#include "exec/executor.h"
#include "store/api_key_store.h"
#include "store/job_store.h"
#include "store/run_store.h"

namespace live2 {
class DirectoryUsage;
class JobRetention;
class LocalArtifactStore;
}
namespace live2::webhooks {
class WebhookDispatcher;
}

namespace live2::api {

struct ApiParts {
  JobStore& jobs;
  RunStore& runs;  // the runs of generate_dataset jobs (the same store as `jobs` in live2 serve)
  ApiKeyStore& api_keys;
  ArtifactStore& artifacts;
  Executor& executor;
  const Settings& settings;
  const Clock& clock;
  RandomSource& random;
  LocalArtifactStore* local_downloads = nullptr;  // set when live2 itself serves artifact downloads (/files/...)
  const webhooks::WebhookDispatcher* webhooks = nullptr;  // for its delivery counts in /metrics
  std::optional<std::filesystem::path> web_dir;   // the built dashboard; nullopt: a text page at /
  const JobRetention* retention = nullptr;        // for its counts in /metrics
  const DirectoryUsage* data_dir_usage = nullptr; // the data directory's disk usage in /metrics
};

struct ApiContext {
  ApiParts parts;
  JobEventHub events;
  EventStreamRegistry event_streams;  // LIVE2_EVENT_STREAMS_PER_USER, LIVE2_EVENT_STREAM_LIFETIME_MS
  JobOutputWatch job_outputs;         // metrics and artifacts of the jobs event streams watch (its own thread)
  PrometheusRegistry metrics;
  InstrumentedExecutor executor;  // handlers call the executor through this (counted in /metrics)
  int64_t sse_heartbeat_interval_ms;
  BackgroundLoop event_stream_reaper;  // last: stops before the members its passes use

  explicit ApiContext(ApiParts parts, int64_t sse_heartbeat_interval_ms);
};

// The job named by the call's {job_id}, if the caller may see it (its own, or any for an admin). Errors:
// `not_found` (also for other users' jobs: existence is not revealed), `unavailable` (store failure).
Result<Job> find_visible_job(ApiContext& context, const ApiCall& call);

}  // namespace live2::api
