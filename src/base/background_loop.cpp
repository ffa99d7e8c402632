#include "base/background_loop.h"

namespace live2 {

BackgroundLoop::BackgroundLoop(Pass pass, std::function<void()> on_exit, std::chrono::milliseconds coalesce_wakes)
    : pass_(std::move(pass)), on_exit_(std::move(on_exit)), coalesce_wakes_(coalesce_wakes) {}

BackgroundLoop::~BackgroundLoop() { stop(); }

void BackgroundLoop::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stop_requested_ = false;
  wake_requested_ = false;
  thread_ = std::thread([this] { run(); });
}

void BackgroundLoop::stop() {
  std::thread finishing;
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stop_requested_ = true;
    finishing = std::move(thread_);
  }
  wake_up_.notify_all();
  finishing.join();
}

void BackgroundLoop::wake() {
  {
    std::lock_guard lock(mutex_);
    wake_requested_ = true;
  }
  wake_up_.notify_all();
}

bool BackgroundLoop::running() const {
  std::lock_guard lock(mutex_);
  return thread_.joinable();
}

void BackgroundLoop::run() {
  while (!stop_requested_) {
    const std::chrono::milliseconds wait = pass_();
    std::unique_lock lock(mutex_);
    wake_up_.wait_for(lock, wait, [this] { return wake_requested_ || stop_requested_; });
    if (wake_requested_ && coalesce_wakes_.count() > 0) {
      wake_up_.wait_for(lock, coalesce_wakes_, [this] { return stop_requested_.load(); });
    }
    wake_requested_ = false;
  }
  if (on_exit_) on_exit_();
}

}  // namespace live2
