// OutputStatus: how an expected failure of the worker's output layer travels (a file that cannot be
// written, an HDF5 call that fails, a sink that cannot publish). src/sim depends on nothing of ours, so
// this is a small local stand-in for live2::Status: ok, or one human-readable sentence.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace live2::worker {

class [[nodiscard]] OutputStatus {
 public:
  OutputStatus() = default;
  static OutputStatus failure(std::string message) { return OutputStatus(std::move(message)); }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& message() const { return message_; }

 private:
  explicit OutputStatus(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

}  // namespace live2::worker

namespace live2::worker {

// OutputResult<T>: a value or the sentence saying why there is none.
template <typename T>
class [[nodiscard]] OutputResult {
 public:
  OutputResult(T value) : value_(std::move(value)) {}
  OutputResult(OutputStatus failure) : failure_(std::move(failure)) {}

  bool ok() const { return failure_.ok(); }
  explicit operator bool() const { return ok(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  const std::string& message() const { return failure_.message(); }
  OutputStatus status() const { return failure_; }

 private:
  std::optional<T> value_;
  OutputStatus failure_;
};

}  // namespace live2::worker
