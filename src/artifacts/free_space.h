// Free disk space where live2 writes (the data directory with the SQLite store, the local artifact directory).
// Below a reserve, new work is refused with `storage_full` (HTTP 503) instead of being started and failing half way:
// submits are answered 503 and the local executor leaves queued jobs queued; both pick up again by themselves when
// space returns, since every check looks anew. Thread-safe (statvfs only).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "base/result.h"

namespace live2 {

// Bytes an unprivileged process can still write on the filesystem holding `directory`. Error `unavailable`.
Result<int64_t> available_bytes(const std::filesystem::path& directory);

// `storage_full` naming the directory when one of `directories` has less than `reserve_bytes` available.
// Directories that do not exist (yet) are skipped; a reserve of 0 never refuses.
Status check_free_space(const std::vector<std::filesystem::path>& directories, int64_t reserve_bytes);

}  // namespace live2
