// JobEventStream: the body of GET /api/v1/jobs/{id}/events. On open it subscribes to the job's changes, sends
// `event: job` with the job as it is now, then one event whenever status or progress changes, and finishes after
// a terminal status, or earlier when the EventStreamRegistry that admitted it ends it (its lifetime is over: the
// client reconnects). It holds its registry slot until it closes. Heartbeats are `: heartbeat` comments.
// Thread-safe (store notifications arrive on any thread).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/event_stream_registry.h"
#include "api/http_message.h"
#include "api/job_event_hub.h"
#include "store/job_store.h"

namespace live2::api {

class JobEventStream final : public EventStream, public std::enable_shared_from_this<JobEventStream> {
 public:
  static constexpr int64_t kHeartbeatIntervalMs = 15'000;

  JobEventStream(std::string job_id, JobStore& store, JobEventHub& hub, int64_t heartbeat_interval_ms);

  // A stream of `job_id` for `user_id`, admitted by `registry`; nullptr when the user has the most streams open.
  static std::shared_ptr<JobEventStream> admit(std::string job_id, const std::string& user_id, JobStore& store,
                                               JobEventHub& hub, EventStreamRegistry& registry,
                                               int64_t heartbeat_interval_ms);

  void open(std::shared_ptr<StreamSink> sink) override;
  void close() override;
  // Ends the body from the server's side (after the events already queued).
  void end();
  std::string heartbeat_chunk() const override { return ": heartbeat\n\n"; }
  int64_t heartbeat_interval_ms() const override { return heartbeat_interval_ms_; }

 private:
  void on_change(const Job& job);

  const std::string job_id_;
  JobStore& store_;
  JobEventHub& hub_;
  const int64_t heartbeat_interval_ms_;

  std::mutex mutex_;
  std::shared_ptr<StreamSink> sink_;
  std::optional<uint64_t> subscription_;
  std::unique_ptr<EventStreamRegistry::Slot> slot_;
  std::optional<JobStatus> last_status_;
  double last_progress_ = -1;
  bool done_ = false;
};

// `event: job\ndata: <job object>\n\n`.
std::string job_event_text(const Job& job);

}  // namespace live2::api
