// Payload: the bytes of a request body, immutable and cheap to copy (copies share the bytes). It owns a string,
// or keeps alive whatever holds the bytes, such as a read-only mapping of part of a file, so a large upload is
// hashed for its signature and handed to libcurl without being read into memory or copied on the way.
// Thread-safe to read from any number of threads; a mapped file must not be truncated while a Payload maps it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace live2::aws {

class Payload {
 public:
  Payload() = default;
  // Implicit, so a request body can be assigned from text as before: `request.body = json`.
  Payload(std::string text);  // NOLINT(google-explicit-constructor)
  Payload(const char* text) : Payload(std::string(text)) {}  // NOLINT(google-explicit-constructor)
  // Bytes held alive by `owner`.
  Payload(std::shared_ptr<const void> owner, std::string_view bytes) : owner_(std::move(owner)), bytes_(bytes) {}

  std::string_view view() const { return bytes_; }
  const char* data() const { return bytes_.data(); }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }

 private:
  std::shared_ptr<const void> owner_;
  std::string_view bytes_;
};

// Bytes [offset, offset + size) of `file`, mapped read-only (an empty range needs no mapping).
Result<Payload> map_file_range(const std::filesystem::path& file, int64_t offset, int64_t size);

}  // namespace live2::aws
