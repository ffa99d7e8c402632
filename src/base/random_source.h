// RandomSource: unpredictable bytes for ids, API keys and secrets. OsRandomSource uses OpenSSL's CSPRNG and is
// thread-safe; tests may pass a deterministic fake.
#pragma once

#include <cstddef>
#include <cstdint>

namespace live2 {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(uint8_t* out, size_t size) = 0;
};

class OsRandomSource final : public RandomSource {
 public:
  void fill(uint8_t* out, size_t size) override;
};

// A fast stream (SplitMix64) seeded once from another source, for identifiers that must be unique but need not be
// unguessable, such as request ids: OpenSSL's CSPRNG takes a lock and a getpid() per call (2.2 µs against 67 ns
// per request id, build/bin/live2-bench-core).
// Never for keys, secrets or job ids. Not thread-safe: one per thread.
class SeededRandomSource final : public RandomSource {
 public:
  explicit SeededRandomSource(RandomSource& seed_source);
  void fill(uint8_t* out, size_t size) override;

 private:
  uint64_t state_ = 0;
};

}  // namespace live2
