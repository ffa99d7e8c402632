#include "api/job_event_stream.h"

#include <boost/json.hpp>

#include "base/json_text.h"
#include "core/job_json.h"

namespace live2::api {

std::string job_event_text(const Job& job) { return "event: job\ndata: " + json_text(job_to_json(job)) + "\n\n"; }

JobEventStream::JobEventStream(std::string job_id, Sources sources, int64_t heartbeat_interval_ms)
    : job_id_(std::move(job_id)), sources_(sources), heartbeat_interval_ms_(heartbeat_interval_ms) {}

std::shared_ptr<JobEventStream> JobEventStream::admit(std::string job_id, const std::string& user_id, Sources sources,
                                                      EventStreamRegistry& registry, int64_t heartbeat_interval_ms) {
  auto stream = std::make_shared<JobEventStream>(std::move(job_id), sources, heartbeat_interval_ms);
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
  const uint64_t handle = sources_.hub.subscribe(job_id_, [weak](const Job& job) {
    if (auto self = weak.lock()) self->on_change(job);
  });
  bool closed_meanwhile = false;
  {
    std::lock_guard lock(mutex_);
    subscription_ = handle;
    closed_meanwhile = done_ && !sink_;
  }
  if (closed_meanwhile) return sources_.hub.unsubscribe(handle);
  auto job = sources_.store.get_job(job_id_);
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
  if (is_terminal((*job)->status)) return;
  const uint64_t watch = sources_.outputs.watch(**job, [weak](const JobOutputs& outputs) {
    if (auto self = weak.lock()) self->on_outputs(outputs);
  });
  {
    std::lock_guard lock(mutex_);
    closed_meanwhile = done_;
    if (!done_) output_watch_ = watch;
  }
  if (closed_meanwhile) sources_.outputs.unwatch(watch);
}

std::string JobEventStream::metrics_event_text(const std::shared_ptr<const boost::json::object>& table) {
  const boost::json::value* columns = table->if_contains("columns");
  const boost::json::value* rows_value = table->if_contains("rows");
  if (!columns || !rows_value || !rows_value->is_array()) return {};
  const boost::json::array& rows = rows_value->as_array();
  // metrics.csv grows by rows; a table with other columns or fewer rows was rewritten and is sent whole.
  size_t first_row = 0;
  if (sent_metrics_ && sent_metrics_->at("columns") == *columns && rows.size() >= sent_metric_rows_) {
    first_row = sent_metric_rows_;
  }
  const bool nothing_new = sent_metrics_ && first_row == rows.size();
  sent_metrics_ = table;
  sent_metric_rows_ = rows.size();
  if (nothing_new) return {};
  boost::json::object event{{"job_id", job_id_},
                            {"columns", *columns},
                            {"first_row", first_row},
                            {"rows", boost::json::array(rows.begin() + static_cast<std::ptrdiff_t>(first_row), rows.end())}};
  std::string text = "event: metrics\ndata: " + json_text(event) + "\n\n";
  if (text.size() <= kMaxMetricsEventBytes) return text;
  // Too many rows for one event (they would fill the connection's queue): none, from past the last one, which
  // tells the client its table is behind, so it loads GET .../metrics; the following events continue from there.
  event["first_row"] = rows.size();
  event["rows"] = boost::json::array();
  return "event: metrics\ndata: " + json_text(event) + "\n\n";
}

void JobEventStream::on_outputs(const JobOutputs& outputs) {
  bool stop = false;
  {
    std::lock_guard lock(mutex_);
    if (done_ || !sink_) return;
    std::string text;
    if (outputs.metrics && outputs.metrics_version > sent_metrics_version_) {
      sent_metrics_version_ = outputs.metrics_version;
      text += metrics_event_text(outputs.metrics);
    }
    if (outputs.artifacts && outputs.artifacts_version > sent_artifacts_version_) {
      sent_artifacts_version_ = outputs.artifacts_version;
      text += "event: artifacts\ndata: " + json_text(*outputs.artifacts) + "\n\n";
    }
    if (text.empty()) return;
    stop = !sink_->send(std::move(text));
    done_ = done_ || stop;
  }
  if (stop) close();
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
  std::optional<uint64_t> output_watch;
  std::unique_ptr<EventStreamRegistry::Slot> slot;
  {
    std::lock_guard lock(mutex_);
    done_ = true;
    sink_.reset();
    subscription.swap(subscription_);
    output_watch.swap(output_watch_);
    slot.swap(slot_);
  }
  if (subscription) sources_.hub.unsubscribe(*subscription);
  if (output_watch) sources_.outputs.unwatch(*output_watch);
}

}  // namespace live2::api
