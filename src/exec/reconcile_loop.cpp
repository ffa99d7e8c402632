#include "exec/reconcile_loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace live2 {

int64_t PollCadence::next_interval_ms(int64_t last_interval_ms, bool changed) const {
  if (changed) return fast_interval_ms;
  return std::min(slow_interval_ms, std::max(interval_ms, last_interval_ms + last_interval_ms / 2));
}

ReconcileLoop::ReconcileLoop(std::string log_name, PollCadence cadence, std::function<bool()> steps)
    : log_name_(std::move(log_name)), cadence_(cadence), steps_(std::move(steps)),
      loop_([this] { return run_pass(); }) {}

ReconcileLoop::~ReconcileLoop() { stop(); }

void ReconcileLoop::start() {
  if (loop_.running()) return;
  interval_ms_ = cadence_.interval_ms;
  loop_.start();
}

void ReconcileLoop::stop() { loop_.stop(); }

void ReconcileLoop::wake() { loop_.wake(); }

std::chrono::milliseconds ReconcileLoop::run_pass() {
  interval_ms_ = cadence_.next_interval_ms(interval_ms_, run_cycle());
  return std::chrono::milliseconds(interval_ms_);
}

bool ReconcileLoop::run_cycle() {
  cycle_error_.reset();
  const bool changed = steps_();
  std::lock_guard lock(mutex_);
  ++cycles_;
  last_error_ = cycle_error_;
  return changed;
}

void ReconcileLoop::record_failure(const Error& error) {
  if (error.request_id.empty()) {
    spdlog::warn("{}: {}: {}", log_name_, error.code_name(), error.message);
  } else {
    spdlog::warn("{}: {}: {} (request id {})", log_name_, error.code_name(), error.message, error.request_id);
  }
  cycle_error_ = error;
}

std::optional<Error> ReconcileLoop::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

Status ReconcileLoop::readiness(const std::string& scheduler) const {
  const std::optional<Error> error = last_error();
  if (!error) return Status::success();
  return Error::make(ErrorCode::unavailable,
                     scheduler + ": " + std::string(error->code_name()) + ": " + error->message);
}

int64_t ReconcileLoop::cycles() const {
  std::lock_guard lock(mutex_);
  return cycles_;
}

}  // namespace live2
