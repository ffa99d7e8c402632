// Result and Error: how expected failures travel (validation, not found, AWS errors, I/O).
// Exceptions are reserved for bugs. An Error carries a typed code (base/error_code.h), a remote service's own code
// beside it ("ThrottlingException"), a human sentence, optional per-field details and, for remote services, the
// request id and HTTP status.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/error_code.h"

namespace live2 {

struct FieldError {
  std::string field;    // dotted path, e.g. "params.simulation_config.config.steps"
  std::string message;  // one sentence, no trailing period needed
  bool operator==(const FieldError&) const = default;
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::vector<FieldError> details;
  std::string provider_code;  // remote services only: their own code ("NoSuchKey"), empty otherwise
  std::string request_id;     // remote services only
  int http_status = 0;        // remote services only (0 when not applicable)

  static Error make(ErrorCode code, std::string message) { return Error{code, std::move(message), {}, {}, {}, 0}; }
  // A remote service's error: service_error with its own code.
  static Error from_service(std::string provider_code, std::string message) {
    return Error{ErrorCode::service_error, std::move(message), {}, std::move(provider_code), {}, 0};
  }
  // The most specific name for messages and logs: the service's own code when there is one.
  std::string_view code_name() const { return provider_code.empty() ? to_string(code) : provider_code; }
};

// Result<T>: either a value or an Error. Result<void> is spelled Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status success() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace live2

// Returns the error of a failed Status expression from the enclosing function (which returns Status or Result).
#define LIVE2_RETURN_IF_ERROR(expression)      \
  do {                                         \
    ::live2::Status status_ = (expression);    \
    if (!status_.ok()) return status_.error(); \
  } while (false)
