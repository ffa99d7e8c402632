#include "artifacts/s3_artifact_store.h"

#include <algorithm>

namespace live2 {
namespace {

Error unavailable(const std::string& what, const Error& cause) {
  Error error = Error::make(ErrorCode::unavailable, what + ": " + std::string(cause.code_name()) + " " + cause.message);
  error.request_id = cause.request_id;
  return error;
}

}  // namespace

S3ArtifactStore::S3ArtifactStore(aws::S3Client& s3, std::string bucket, std::string env)
    : s3_(s3), bucket_(std::move(bucket)), env_(std::move(env)) {}

std::string S3ArtifactStore::prefix_for(const Job& job) const {
  return env_ + "/" + job.user_id + "/" + job.job_id + "/";
}

Result<ArtifactListing> S3ArtifactStore::list(const Job& job, const ArtifactScope& scope, int64_t expires_in_s) {
  const std::string prefix = prefix_for(job);
  const std::string folder = prefix + scope.under;
  Result<std::vector<aws::S3Object>> objects = s3_.list_objects(bucket_, folder, scope.whole_tree ? "" : "/");
  if (!objects.ok()) return unavailable("cannot list s3://" + bucket_ + "/" + folder, objects.error());

  ArtifactListing listing;
  listing.expires_in_s = std::clamp(expires_in_s, kMinUrlExpirySeconds, kMaxUrlExpirySeconds);
  for (const aws::S3Object& object : *objects) {
    Artifact artifact;
    artifact.key = object.key;
    artifact.name = object.key.substr(prefix.size());
    artifact.size = object.size;
    artifact.last_modified_ms = object.last_modified_ms;
    artifact.content_type = content_type_for(artifact.name);
    Result<aws::PresignedUrl> url =
        s3_.presign_get(bucket_, object.key, listing.expires_in_s,
                        {.content_disposition = content_disposition_for(artifact.content_type),
                         .cache_control = kArtifactDownloadCacheControl});
    if (!url.ok()) return unavailable("cannot sign a download URL", url.error());
    artifact.url = std::move(url->url);
    // Every URL is signed with the same credentials; the shortest lifetime is the truth for all.
    listing.expires_in_s = std::min(listing.expires_in_s, url->expires_in_s);
    listing.artifacts.push_back(std::move(artifact));
  }
  std::sort(listing.artifacts.begin(), listing.artifacts.end(),
            [](const Artifact& a, const Artifact& b) { return a.name < b.name; });
  return listing;
}

Result<std::string> S3ArtifactStore::read(const Job& job, const std::string& name) {
  const std::string key = prefix_for(job) + name;
  Result<aws::S3Object> head = s3_.head_object(bucket_, key);
  if (!head.ok()) {
    if (aws::is_s3_not_found(head.error()))
      return Error::make(ErrorCode::not_found, "no artifact '" + name + "' for job " + job.job_id);
    return unavailable("cannot read s3://" + bucket_ + "/" + key, head.error());
  }
  if (head->size > kMaxReadBytes) {
    return Error::make(ErrorCode::payload_too_large, "artifact '" + name + "' is larger than " +
                                                         std::to_string(kMaxReadBytes) +
                                                         " bytes; download it through its URL");
  }
  Result<std::string> body = s3_.get_object(bucket_, key);
  if (!body.ok()) {
    if (aws::is_s3_not_found(body.error()))
      return Error::make(ErrorCode::not_found, "no artifact '" + name + "' for job " + job.job_id);
    return unavailable("cannot read s3://" + bucket_ + "/" + key, body.error());
  }
  return body;
}

Status S3ArtifactStore::write(const Job& job, const std::string& name, const std::string& content) {
  const std::string key = prefix_for(job) + name;
  // A PutObject replaces the object whole: readers never see a partial one.
  Status stored = s3_.put_object(bucket_, key, content, content_type_for(name));
  if (!stored.ok()) return unavailable("cannot write s3://" + bucket_ + "/" + key, stored.error());
  return Status::success();
}

Status S3ArtifactStore::readiness() {
  Status bucket = s3_.head_bucket(bucket_);
  if (!bucket.ok()) return unavailable("S3 bucket " + bucket_ + " is not reachable", bucket.error());
  return Status::success();
}

std::string S3ArtifactStore::download_origin() const {
  const aws::AwsRequest bucket = s3_.request_for("GET", bucket_, "");
  return origin_of(bucket.endpoint.empty() ? s3_.client().endpoint().url : bucket.endpoint);
}

}  // namespace live2
