// ArtifactStore: where a job's files live (a local directory or an S3 bucket) and how a user downloads them.
// Keys are `{ENV}/{user_id}/{job_id}/<name>`; names may contain '/' (checkpoint/state.bin). Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/content_type.h"
#include "base/result.h"
#include "core/job.h"

namespace live2 {

struct Artifact {
  std::string key;
  std::string name;              // key without the job's prefix
  int64_t size = 0;
  int64_t last_modified_ms = 0;
  std::string content_type;
  std::string url;               // downloads without an API key until it expires
};

struct ArtifactListing {
  std::vector<Artifact> artifacts;  // every object under the prefix, sorted by name
  int64_t expires_in_s = 0;         // the real lifetime of the URLs (may be shorter than asked)
};

// Which of a job's artifacts a listing holds: the names that start with `under` ("" or a folder ending in '/',
// such as "runs/3/"), in every folder below it, or (whole_tree = false) only those directly in it. A dataset's
// own listing is its files without its runs' (thousands of runs would make one unbounded answer); each run is
// listed on its own, under "runs/<index>/".
struct ArtifactScope {
  std::string under;
  bool whole_tree = true;
};

// The scope GET .../artifacts lists when no prefix is asked for: a dataset's own files, every file of a job.
ArtifactScope default_scope_for(const Job& job);

// A relative key made of non-empty parts, none of them "." or ".." (nor a NUL byte): a name that stays inside the
// folder it is taken relative to.
bool is_safe_relative_key(std::string_view key);

// The scope of a client's `prefix` (GET .../artifacts?prefix=runs/3/): a relative folder of at most
// kMaxArtifactPrefixBytes, ending in '/', no part of it empty, "." or "..". Errors: `bad_request`.
inline constexpr size_t kMaxArtifactPrefixBytes = 256;
Result<ArtifactScope> scope_under(std::string_view prefix);

inline constexpr int64_t kMinUrlExpirySeconds = 60;
inline constexpr int64_t kMaxUrlExpirySeconds = 7 * 24 * 3600;
inline constexpr int64_t kDefaultUrlExpirySeconds = 3600;

class ArtifactStore {
 public:
  virtual ~ArtifactStore() = default;

  virtual std::string prefix_for(const Job& job) const = 0;
  virtual Result<ArtifactListing> list(const Job& job, const ArtifactScope& scope, int64_t expires_in_s) = 0;
  Result<ArtifactListing> list(const Job& job, int64_t expires_in_s) {
    return list(job, default_scope_for(job), expires_in_s);
  }
  // The whole content of one small artifact (progress.json, metrics.csv); `not_found` when absent.
  virtual Result<std::string> read(const Job& job, const std::string& name) = 0;
  // Writes a small artifact whole, replacing it atomically (readers see the old content or the new): what an
  // executor writes for a worker to read (a dataset's dataset_runs.json). Errors: `bad_request` for a name that
  // is not a plain relative path, `unavailable` when the store cannot be written.
  virtual Status write(const Job& job, const std::string& name, const std::string& content) = 0;
  virtual Status readiness() = 0;
  // The origin ("scheme://host[:port]") of the download URLs list() hands out: the dashboard's Content Security
  // Policy allows images from it (the final picture).
  virtual std::string download_origin() const = 0;
};

// The Content-Disposition a download of that content type is served with: "inline" only for passive types a
// browser shows without running anything (PNG, JSON, CSV, plain text); everything else, HTML, SVG, XML and unknown
// types included, is an "attachment" the browser saves instead of rendering (docs/api.md, "Downloads of local
// artifacts").
std::string_view content_disposition_for(std::string_view content_type);

// The Cache-Control every artifact download is served with, by the API (local artifacts) or by S3 (presigned links):
// a link names the key and its expiry in whole seconds, not the file's version, so while a job runs two listings in
// one second hand out one link for a file that changes between them; a browser must check a stored copy again
// before using it (docs/api.md, "Downloads of local artifacts").
inline constexpr std::string_view kArtifactDownloadCacheControl = "private, no-cache";

// "scheme://host[:port]" of an absolute URL; empty when `url` is not one.
std::string origin_of(std::string_view url);

}  // namespace live2
