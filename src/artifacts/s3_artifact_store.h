// S3ArtifactStore: a job's artifacts as objects `{ENV}/{user_id}/{job_id}/<name>` in one S3 bucket (the Batch
// worker writes them there). Listing pages through ListObjectsV2; download links are presigned GET URLs whose
// lifetime is clamped to [60 s, 7 days] and to the signing credentials' own expiry, and expires_in_s reports the
// lifetime actually granted; they carry the Content-Disposition of content_disposition_for() (S3 answers on its own
// origin, so a rendered artifact is kept away from the dashboard's anyway) and kArtifactDownloadCacheControl. Owns
// nothing but its settings; the S3Client is shared. Thread-safe.
#pragma once

#include <string>

#include "artifacts/artifact_store.h"
#include "aws/s3_client.h"

namespace live2 {

class S3ArtifactStore final : public ArtifactStore {
 public:
  // Largest artifact read() returns whole (progress.json, metrics.csv); bigger ones are for download URLs.
  static constexpr int64_t kMaxReadBytes = 4 << 20;

  S3ArtifactStore(aws::S3Client& s3, std::string bucket, std::string env);

  std::string prefix_for(const Job& job) const override;
  using ArtifactStore::list;
  Result<ArtifactListing> list(const Job& job, const ArtifactScope& scope, int64_t expires_in_s) override;
  Result<std::string> read(const Job& job, const std::string& name) override;
  Status write(const Job& job, const std::string& name, const std::string& content) override;
  // OK when the bucket answers HeadBucket; otherwise `unavailable` with S3's code (NoSuchBucket, Forbidden ...).
  Status readiness() override;
  std::string download_origin() const override;

 private:
  aws::S3Client& s3_;
  std::string bucket_;
  std::string env_;
};

}  // namespace live2
