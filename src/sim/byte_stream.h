// Little-endian binary encoding for checkpoints: a growing byte buffer writer and a bounds-checked reader (a short or
// corrupt buffer makes the reader fail, never read out of range). Not thread safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace live2::sim {

class ByteWriter {
 public:
  template <typename T>
  void put(T value) {
    static_assert(std::is_arithmetic_v<T>);
    const size_t at = bytes_.size();
    bytes_.resize(at + sizeof(T));
    std::memcpy(&bytes_[at], &value, sizeof(T));  // the formats we target (x86-64, arm64) are little-endian
  }
  template <typename T>
  void put_vector(const std::vector<T>& values) {
    static_assert(std::is_arithmetic_v<T>);
    put<uint64_t>(values.size());
    const size_t at = bytes_.size();
    bytes_.resize(at + values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(&bytes_[at], values.data(), values.size() * sizeof(T));
  }
  void put_string(const std::string& text) {
    put<uint64_t>(text.size());
    bytes_.append(text);
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  ByteReader(const char* data, size_t size) : data_(data), size_(size) {}

  template <typename T>
  T get() {
    static_assert(std::is_arithmetic_v<T>);
    T value{};
    if (!take(sizeof(T))) return value;
    std::memcpy(&value, data_ + offset_ - sizeof(T), sizeof(T));
    return value;
  }
  template <typename T>
  std::vector<T> get_vector() {
    const auto count = get<uint64_t>();
    if (!ok_ || count > (size_ - offset_) / sizeof(T)) {
      ok_ = false;
      return {};
    }
    std::vector<T> values(count);
    if (count != 0) std::memcpy(values.data(), data_ + offset_, count * sizeof(T));
    offset_ += count * sizeof(T);
    return values;
  }
  std::string get_string() {
    const auto count = get<uint64_t>();
    if (!ok_ || count > size_ - offset_) {
      ok_ = false;
      return {};
    }
    std::string text(data_ + offset_, count);
    offset_ += count;
    return text;
  }
  bool ok() const { return ok_; }
  bool at_end() const { return offset_ == size_; }
  size_t remaining() const { return size_ - offset_; }

 private:
  bool take(size_t n) {
    if (!ok_ || n > size_ - offset_) {
      ok_ = false;
      return false;
    }
    offset_ += n;
    return true;
  }

  const char* data_;
  size_t size_;
  size_t offset_ = 0;
  bool ok_ = true;
};

}  // namespace live2::sim
