// LocalArtifactStore: artifacts as files under `{root}/{env}/{user_id}/{job_id}/`, the directory the local worker
// writes into (`live2-sim run --out <job_directory>`). Downloads go through live2 itself with signed URLs:
//   {public_base_url}/files/{key}?expires={unix s}&signature={hex HMAC-SHA256(secret, key + "\n" + expires)}
// Listing skips files that are not finished artifacts: `*.tmp` (atomic writes in flight) and hidden files (names
// starting with '.', e.g. the worker's lock file). Symlinks are never listed, and nothing is served or read whose real
// path lies outside its job's own directory (a symlink into another job's directory included).
// Owns nothing but its settings; the directory tree belongs to the workers. Thread-safe (no mutable state).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "artifacts/artifact_store.h"
#include "base/clock.h"

namespace live2 {

class LocalArtifactStore final : public ArtifactStore {
 public:
  // Largest artifact read() returns whole; bigger ones are for download URLs.
  static constexpr int64_t kMaxReadBytes = 4 << 20;

  LocalArtifactStore(std::filesystem::path root, std::string env, std::string public_base_url,
                     std::string signing_secret, const Clock& clock);

  std::string prefix_for(const Job& job) const override;
  using ArtifactStore::list;
  Result<ArtifactListing> list(const Job& job, const ArtifactScope& scope, int64_t expires_in_s) override;
  Result<std::string> read(const Job& job, const std::string& name) override;
  // Into the job's directory (made if missing), by temp file + rename.
  Status write(const Job& job, const std::string& name, const std::string& content) override;
  // OK when the root directory exists (it is created if missing) and is writable.
  Status readiness() override;
  std::string download_origin() const override { return origin_of(public_base_url_); }

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path job_directory(const Job& job) const;

  // The download URL of `key`, valid until `expires_unix_s`.
  std::string signed_url(std::string_view key, int64_t expires_unix_s) const;
  // Checks a download request and returns the file to serve. Errors: `unauthorized` (bad signature or expired),
  // `bad_request` (key with `..`, empty or absolute parts), `not_found` (no such regular file inside its job's
  // directory, including symlinks that lead out of it).
  Result<std::filesystem::path> resolve_download(std::string_view key, int64_t expires_unix_s,
                                                 std::string_view signature) const;

 private:
  std::string signature_for(std::string_view key, int64_t expires_unix_s) const;
  // The real path of a regular file at `relative` (`{env}/{user}/{job}/<name>`) under the root, unless it is missing
  // or (through symlinks) lies outside that job's directory.
  std::optional<std::filesystem::path> file_inside_root(const std::filesystem::path& relative) const;

  std::filesystem::path root_;
  std::string env_;
  std::string public_base_url_;
  std::string signing_secret_;
  const Clock& clock_;
};

}  // namespace live2
