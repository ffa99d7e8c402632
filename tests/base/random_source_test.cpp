#include "base/random_source.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>

namespace live2 {
namespace {

// Fills with one repeated byte, so a seed is chosen by the test.
class ConstantSource final : public RandomSource {
 public:
  explicit ConstantSource(uint8_t byte) : byte_(byte) {}
  void fill(uint8_t* out, size_t size) override { std::memset(out, byte_, size); }

 private:
  uint8_t byte_;
};

TEST(SeededRandomSource, IsAStreamFixedByItsSeedAndFillsOddSizes) {
  ConstantSource seed_a(1), seed_b(2);
  SeededRandomSource first(seed_a), again(seed_a), other(seed_b);
  std::array<uint8_t, 13> a{}, b{}, c{};
  first.fill(a.data(), a.size());
  again.fill(b.data(), b.size());
  other.fill(c.data(), c.size());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a[12], 0) << "the tail of an odd size is filled too";
}

}  // namespace
}  // namespace live2
