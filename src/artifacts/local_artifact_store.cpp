#include "artifacts/local_artifact_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "base/hashing.h"

namespace live2 {
namespace fs = std::filesystem;
namespace {

// Key characters kept as they are in a URL path; everything else is percent-encoded.
constexpr boost::urls::grammar::lut_chars kUrlKeyChars = boost::urls::unreserved_chars + '/';

// Names that are not (yet) artifacts: temp files of atomic writes and hidden files such as the worker's lock.
bool is_listed_name(const fs::path& file_name) {
  const std::string name = file_name.string();
  return !name.starts_with('.') && !name.ends_with(".tmp");
}

bool is_inside(const fs::path& path, const fs::path& directory) {
  auto [directory_end, path_it] = std::mismatch(directory.begin(), directory.end(), path.begin(), path.end());
  return directory_end == directory.end();
}

int64_t modified_ms(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return static_cast<int64_t>(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1'000'000;
}

}  // namespace

LocalArtifactStore::LocalArtifactStore(fs::path root, std::string env, std::string public_base_url,
                                       std::string signing_secret, const Clock& clock)
    : root_(std::move(root)),
      env_(std::move(env)),
      public_base_url_(std::move(public_base_url)),
      signing_secret_(std::move(signing_secret)),
      clock_(clock) {
  while (public_base_url_.ends_with('/')) public_base_url_.pop_back();
}

std::string LocalArtifactStore::prefix_for(const Job& job) const {
  return env_ + "/" + job.user_id + "/" + job.job_id + "/";
}

fs::path LocalArtifactStore::job_directory(const Job& job) const { return root_ / env_ / job.user_id / job.job_id; }

Result<ArtifactListing> LocalArtifactStore::list(const Job& job, const ArtifactScope& scope, int64_t expires_in_s) {
  ArtifactListing listing;
  listing.expires_in_s = std::clamp(expires_in_s, kMinUrlExpirySeconds, kMaxUrlExpirySeconds);
  const int64_t expires_unix_s = clock_.now_ms() / 1000 + listing.expires_in_s;
  const fs::path job_dir = job_directory(job);
  const fs::path directory = job_dir / scope.under;
  const std::string prefix = prefix_for(job);

  std::error_code error;
  // Nothing written yet, or a folder that does not exist; a folder reached through a symlink is not listed.
  if (!is_inside(fs::weakly_canonical(directory, error), fs::weakly_canonical(job_dir, error))) return listing;
  if (!fs::is_directory(directory, error)) return listing;
  auto add = [&](const fs::directory_entry& entry) {
    if (entry.is_symlink(error) || !entry.is_regular_file(error)) return;
    Artifact artifact;
    artifact.name = entry.path().lexically_relative(job_dir).generic_string();
    artifact.key = prefix + artifact.name;
    artifact.size = static_cast<int64_t>(entry.file_size(error));
    if (error) return;  // removed between the walk and the stat
    artifact.last_modified_ms = modified_ms(entry.path());
    artifact.content_type = content_type_for(artifact.name);
    artifact.url = signed_url(artifact.key, expires_unix_s);
    listing.artifacts.push_back(std::move(artifact));
  };
  // Files may appear or vanish (atomic renames) while we walk; such races only change what is listed.
  auto cannot_list = [&] {
    return Error::make(ErrorCode::unavailable, "cannot list " + directory.string() + ": " + error.message());
  };
  if (scope.whole_tree) {
    fs::recursive_directory_iterator it(directory, fs::directory_options::skip_permission_denied, error);
    if (error) return cannot_list();
    for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (error) return cannot_list();
      if (!is_listed_name(it->path().filename())) {
        if (it->is_directory(error)) it.disable_recursion_pending();
        continue;
      }
      add(*it);
    }
  } else {
    fs::directory_iterator it(directory, fs::directory_options::skip_permission_denied, error);
    if (error) return cannot_list();
    for (; it != fs::directory_iterator(); it.increment(error)) {
      if (error) return cannot_list();
      if (is_listed_name(it->path().filename())) add(*it);
    }
  }
  std::sort(listing.artifacts.begin(), listing.artifacts.end(),
            [](const Artifact& a, const Artifact& b) { return a.name < b.name; });
  return listing;
}

Result<std::string> LocalArtifactStore::read(const Job& job, const std::string& name) {
  if (!is_safe_relative_key(name)) return Error::make(ErrorCode::bad_request, "invalid artifact name '" + name + "'");
  auto resolved = file_inside_root(fs::path(prefix_for(job) + name));
  if (!resolved) return Error::make(ErrorCode::not_found, "no artifact '" + name + "' for job " + job.job_id);
  const fs::path& real_path = *resolved;
  std::error_code error;
  const auto size = fs::file_size(real_path, error);
  if (error) return Error::make(ErrorCode::not_found, "no artifact '" + name + "' for job " + job.job_id);
  if (static_cast<int64_t>(size) > kMaxReadBytes) {
    return Error::make(ErrorCode::payload_too_large, "artifact '" + name + "' is " + std::to_string(size) +
                                                         " bytes, more than the " + std::to_string(kMaxReadBytes) +
                                                         " bytes read() returns; download it instead");
  }
  std::ifstream in(real_path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in && !in.eof()) return Error::make(ErrorCode::unavailable, "cannot read " + real_path.string());
  return content.str();
}

Status LocalArtifactStore::write(const Job& job, const std::string& name, const std::string& content) {
  if (!is_safe_relative_key(name)) return Error::make(ErrorCode::bad_request, "invalid artifact name '" + name + "'");
  const fs::path target = job_directory(job) / name;
  const fs::path temporary = fs::path(target).concat(".tmp");
  std::error_code error;
  fs::create_directories(target.parent_path(), error);
  if (!error) {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) error = std::make_error_code(std::errc::io_error);
  }
  if (!error) fs::rename(temporary, target, error);
  if (error) return Error::make(ErrorCode::unavailable, "cannot write " + target.string() + ": " + error.message());
  return Status::success();
}

Status LocalArtifactStore::readiness() {
  std::error_code error;
  fs::create_directories(root_, error);
  if (error)
    return Error::make(ErrorCode::unavailable,
                       "cannot create artifact directory " + root_.string() + ": " + error.message());
  if (::access(root_.c_str(), W_OK | X_OK) != 0) {
    return Error::make(ErrorCode::unavailable, "artifact directory " + root_.string() + " is not writable");
  }
  return Status::success();
}

std::string LocalArtifactStore::signature_for(std::string_view key, int64_t expires_unix_s) const {
  std::string message(key);
  message += '\n';
  message += std::to_string(expires_unix_s);
  return hmac_sha256_hex(signing_secret_, message);
}

std::string LocalArtifactStore::signed_url(std::string_view key, int64_t expires_unix_s) const {
  return public_base_url_ + "/files/" + boost::urls::encode(key, kUrlKeyChars) +
         "?expires=" + std::to_string(expires_unix_s) + "&signature=" + signature_for(key, expires_unix_s);
}

Result<fs::path> LocalArtifactStore::resolve_download(std::string_view key, int64_t expires_unix_s,
                                                      std::string_view signature) const {
  if (!constant_time_equals(signature_for(key, expires_unix_s), signature)) {
    return Error::make(ErrorCode::unauthorized, "invalid download signature");
  }
  if (clock_.now_ms() / 1000 > expires_unix_s) return Error::make(ErrorCode::unauthorized, "download link has expired");
  if (!is_safe_relative_key(key)) return Error::make(ErrorCode::bad_request, "invalid artifact key");
  auto resolved = file_inside_root(fs::path(key));
  if (!resolved) return Error::make(ErrorCode::not_found, "no such artifact");
  return *resolved;
}

std::optional<fs::path> LocalArtifactStore::file_inside_root(const fs::path& relative) const {
  std::error_code error;
  const fs::path real_root = fs::canonical(root_, error);
  if (error) return std::nullopt;
  // Bounded by the job's own directory ({env}/{user}/{job}/, the key's first three parts) under the real root, not
  // just by the root: a symlink on the way that leads elsewhere, into another job's directory included, is refused.
  fs::path real_job_directory = real_root;
  int parts = 0;
  for (auto part = relative.begin(); part != relative.end() && parts < 3; ++part, ++parts) real_job_directory /= *part;
  if (parts < 3) return std::nullopt;
  const fs::path real_path = fs::canonical(root_ / relative, error);
  if (error || !is_inside(real_path, real_job_directory) || real_path == real_job_directory ||
      !fs::is_regular_file(real_path, error)) {
    return std::nullopt;
  }
  return real_path;
}

}  // namespace live2
