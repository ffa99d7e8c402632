// JobEventStream: the body of GET /api/v1/jobs/{id}/events. On open it subscribes to the job's changes, sends
// `event: job` with the job as it is now, then one event whenever status or progress changes, and finishes after
// a terminal status, or earlier when the EventStreamRegistry that admitted it ends it (its lifetime is over: the
// client reconnects). While the job is unfinished it also watches the job's outputs (JobOutputWatch, shared by
// every stream of the job): `event: metrics` with the rows of metrics.csv this stream has not sent yet
// ({"job_id", "columns", "first_row", "rows"}; first_row 0 and every row when the table was rewritten; no rows and
// first_row past the last one when they would take more than kMaxMetricsEventBytes: the client loads the table), and
// `event: artifacts` with the job's artifact listing whenever it changes. It holds its registry slot until it
// closes. Heartbeats are `: heartbeat` comments. Thread-safe (notifications arrive on any thread).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/event_stream_registry.h"
#include "api/http_message.h"
#include "api/job_event_hub.h"
#include "api/job_output_watch.h"
#include "store/job_store.h"

namespace live2::api {

class JobEventStream final : public EventStream, public std::enable_shared_from_this<JobEventStream> {
 public:
  static constexpr int64_t kHeartbeatIntervalMs = 15'000;
  // A `metrics` event with more rows than fit here carries none (see metrics_event_text); well under the 1 MiB a
  // connection queues for a slow reader.
  static constexpr size_t kMaxMetricsEventBytes = 256 * 1024;

  // What a stream reads from; all outlive every stream.
  struct Sources {
    JobStore& store;
    JobEventHub& hub;
    JobOutputWatch& outputs;
  };

  JobEventStream(std::string job_id, Sources sources, int64_t heartbeat_interval_ms);

  // A stream of `job_id` for `user_id`, admitted by `registry`; nullptr when the user has the most streams open.
  static std::shared_ptr<JobEventStream> admit(std::string job_id, const std::string& user_id, Sources sources,
                                               EventStreamRegistry& registry, int64_t heartbeat_interval_ms);

  void open(std::shared_ptr<StreamSink> sink) override;
  void close() override;
  // Ends the body from the server's side (after the events already queued).
  void end();
  std::string heartbeat_chunk() const override { return ": heartbeat\n\n"; }
  int64_t heartbeat_interval_ms() const override { return heartbeat_interval_ms_; }

 private:
  void on_change(const Job& job);
  void on_outputs(const JobOutputs& outputs);
  // The `event: metrics` text for what this stream has not sent of `table` yet; empty when nothing is new.
  std::string metrics_event_text(const std::shared_ptr<const boost::json::object>& table);

  const std::string job_id_;
  const Sources sources_;
  const int64_t heartbeat_interval_ms_;

  std::mutex mutex_;
  std::shared_ptr<StreamSink> sink_;
  std::optional<uint64_t> subscription_;
  std::optional<uint64_t> output_watch_;
  uint64_t sent_metrics_version_ = 0;
  uint64_t sent_artifacts_version_ = 0;
  std::shared_ptr<const boost::json::object> sent_metrics_;  // the table the sent rows came from
  size_t sent_metric_rows_ = 0;
  std::unique_ptr<EventStreamRegistry::Slot> slot_;
  std::optional<JobStatus> last_status_;
  double last_progress_ = -1;
  bool done_ = false;
};

// `event: job\ndata: <job object>\n\n`.
std::string job_event_text(const Job& job);

}  // namespace live2::api
