// CheckpointCost: what the worker's checkpoints cost (seconds per byte written and published, as measured on this
// attempt), so that on SIGTERM the worker can tell whether a final checkpoint fits in the time the container has left
// (docs/sim-worker.md, "The stop window"). The slowest rate measured counts: a projection that is too low costs a kill
// mid-upload, which leaves the earlier checkpoint in place (publishing is atomic) but no clean exit. Not thread safe;
// one owner.
#pragma once

#include <cstdint>
#include <optional>

namespace live2::worker {

class CheckpointCost {
 public:
  // One checkpoint that wrote and published `bytes` in `seconds`.
  void record(int64_t bytes, double seconds);

  // Seconds a checkpoint of `bytes` is expected to take; nullopt before any was measured.
  std::optional<double> projected_seconds(int64_t bytes) const;

 private:
  std::optional<double> seconds_per_byte_;
};

}  // namespace live2::worker
