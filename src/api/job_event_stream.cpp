#include "api/job_event_stream.h"

#include <boost/json.hpp>

#include "base/json_text.h"
#include "core/job_json.h"

namespace live2::api {

std::string job_event_text(const Job& job) { return "event: job\ndata: " + json_text(job_to_json(job)) + "\n\n"; }

JobEventStream::JobEventStream(std::string job_id, JobStore& store, JobEventHub& hub, int64_t heartbeat_interval_ms)
    : job_id_(std::move(job_id)), store_(store), hub_(hub), heartbeat_interval_ms_(heartbeat_interval_ms) {}

std::shared_ptr<JobEventStream> JobEventStream::admit(std::string job_id, const std::string& user_id, JobStore& store,
                                                      JobEventHub& hub, EventStreamRegistry& registry,
                                                      int64_t heartbeat_interval_ms) {
  auto stream = std::make_shared<JobEventStream>(std::move(job_id), store, hub, heartbeat_interval_ms);
  std::weak_ptr<JobEventStream> weak = stream;
  auto slot = registry.admit(user_id, [weak] {
    if (auto self = weak.lock()) self->end();
  });
  if (!slot) return nullptr;
  stream->slot_ = std::move(slot);
  return stream;
}

void JobEventStream::open(std::shared_ptr<StreamSink> sink) {
  bool ended_before_open = false;
  {
    std::lock_guard lock(mutex_);
    ended_before_open = done_;
    if (!done_) sink_ = sink;
  }
  if (ended_before_open) return sink->finish();
  // Subscribe before reading the current state, so no change between the two can be missed; on_change drops
  // anything that repeats what was already sent.
  std::weak_ptr<JobEventStream> weak = weak_from_this();
  const uint64_t handle = hub_.subscribe(job_id_, [weak](const Job& job) {
    if (auto self = weak.lock()) self->on_change(job);
  });
  bool closed_meanwhile = false;
  {
    std::lock_guard lock(mutex_);
    subscription_ = handle;
    closed_meanwhile = done_ && !sink_;
  }
  if (closed_meanwhile) return hub_.unsubscribe(handle);
  auto job = store_.get_job(job_id_);
  if (!job || !*job) {
    std::shared_ptr<StreamSink> sink;
    {
      std::lock_guard lock(mutex_);
      sink = sink_;
    }
    if (sink) sink->finish();
    return close();
  }
  on_change(**job);
}

void JobEventStream::on_change(const Job& job) {
  std::shared_ptr<StreamSink> sink;
  bool finished = false;
  bool stop = false;
  {
    std::lock_guard lock(mutex_);
    if (done_ || !sink_) return;
    if (last_status_ == job.status && last_progress_ == job.progress) return;
    // A notification that raced an earlier read can carry an older state; never step backwards after a terminal.
    if (last_status_ && is_terminal(*last_status_)) return;
    last_status_ = job.status;
    last_progress_ = job.progress;
    sink = sink_;
    if (!sink->send(job_event_text(job))) {
      stop = true;
    } else if (is_terminal(job.status)) {
      stop = true;
      finished = true;
    }
    done_ = stop;
  }
  if (finished) sink->finish();
  if (stop) close();
}

void JobEventStream::end() {
  std::shared_ptr<StreamSink> sink;
  {
    std::lock_guard lock(mutex_);
    if (done_) return;
    done_ = true;  // nothing more is sent after the end
    sink = sink_;
  }
  if (sink) sink->finish();
  close();
}

void JobEventStream::close() {
  std::optional<uint64_t> subscription;
  std::unique_ptr<EventStreamRegistry::Slot> slot;
  {
    std::lock_guard lock(mutex_);
    done_ = true;
    sink_.reset();
    subscription.swap(subscription_);
    slot.swap(slot_);
  }
  if (subscription) hub_.unsubscribe(*subscription);
}

}  // namespace live2::api
