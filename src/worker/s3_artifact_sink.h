// S3ArtifactSink: the worker's ArtifactSink when S3_BUCKET is set. Each artifact becomes the object
// `{prefix}{name}` in the bucket. Files up to `multipart_threshold_bytes` go up with one PutObject; larger ones as a
// multipart upload whose parts are sent in parallel and which is aborted when any part fails, so readers see the
// previous version or the new one, never a partial object (both PutObject and CompleteMultipartUpload are atomic).
// Each request is retried by the AwsClient below (throttling, 5xx, connection errors). fetch() downloads to a
// temporary file and renames it into place (the checkpoint a resumed attempt starts from).
// The ordering contract (metadata.json last) is the worker's: publish() returns only when the object is visible.
// Not thread-safe (the worker calls it from one thread); the parts of one upload use their own threads.
#pragma once

#include <cstdint>
#include <string>

#include "aws/s3_client.h"
#include "worker/artifact_sink.h"

namespace live2::worker {

struct S3SinkOptions {
  int64_t multipart_threshold_bytes = 16 << 20;
  int64_t part_size_bytes = 16 << 20;  // grown when a file would need more than S3's 10,000 parts
  int parallel_parts = 4;
};

class S3ArtifactSink final : public ArtifactSink {
 public:
  // `prefix` ends with '/' (ARTIFACT_PREFIX, e.g. "prod/usr_1/job_abc/").
  S3ArtifactSink(aws::S3Client& s3, std::string bucket, std::string prefix, S3SinkOptions options = {});

  OutputStatus publish(const std::string& name, const std::filesystem::path& file, bool final) override;
  bool fetch(const std::string& name, const std::filesystem::path& destination) override;

 private:
  OutputStatus upload_multipart(const std::string& key, const std::filesystem::path& file, int64_t size,
                                const std::string& content_type);

  aws::S3Client& s3_;
  std::string bucket_;
  std::string prefix_;
  S3SinkOptions options_;
};

}  // namespace live2::worker
