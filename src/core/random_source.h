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

}  // namespace live2
