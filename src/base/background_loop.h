// BackgroundLoop: the thread of a component that works in passes (the executors' reconcile cycles, the webhook
// dispatcher's deliveries). start() runs `pass` on a new thread, again and again: after each pass the thread waits
// as long as the pass returned, less when wake() or stop() comes. A wake() during a pass cuts the next wait short,
// so no change goes unseen. With `coalesce_wakes`, a woken loop waits that much longer first, so a burst of wakes
// (one per new job under load) makes one pass. stop() lets the current pass finish, runs `on_exit` on the loop
// thread (which owns what the passes started, such as child processes), and joins.
// Thread-safe. start() after stop() starts a new thread. The owner stops the loop before the state its passes use
// goes away (declare the loop last, or call stop() in the owner's destructor).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace live2 {

class BackgroundLoop {
 public:
  using Pass = std::function<std::chrono::milliseconds()>;  // returns the wait before the next pass

  explicit BackgroundLoop(Pass pass, std::function<void()> on_exit = {},
                          std::chrono::milliseconds coalesce_wakes = std::chrono::milliseconds(0));
  ~BackgroundLoop();  // stop()
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  void start();
  void stop();
  void wake();
  bool running() const;
  // True from stop() until the loop has ended: a long pass may poll it to end early.
  const std::atomic<bool>& stop_requested() const { return stop_requested_; }

 private:
  void run();

  const Pass pass_;
  const std::function<void()> on_exit_;
  const std::chrono::milliseconds coalesce_wakes_;
  mutable std::mutex mutex_;  // guards the fields below; stop_requested_ is written under it too (no lost wake-up)
  std::condition_variable wake_up_;
  bool wake_requested_ = false;
  std::atomic<bool> stop_requested_{false};
  std::thread thread_;
};

}  // namespace live2
