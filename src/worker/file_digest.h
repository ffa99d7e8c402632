// SHA-256 of a file's bytes, as 64 lowercase hex digits (OpenSSL EVP, streamed in 1 MiB blocks so large
// results.h5 files are never held in memory).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace live2::worker {

// nullopt when the file cannot be read.
std::optional<std::string> sha256_hex_of_file(const std::filesystem::path& file);

}  // namespace live2::worker
