// S3Client: the Amazon S3 REST-XML operations live2 needs, on top of an AwsClient for service "s3".
// Addressing: path-style (endpoint/bucket/key) when the endpoint is overridden (emulators, S3-compatible stores) or
// the bucket name holds a dot (TLS wildcard certificates do not cover it); virtual-hosted
// (https://bucket.s3.<region>.amazonaws.com/key) on AWS otherwise. Keys are passed unencoded.
// Errors keep S3's code (NoSuchKey, NoSuchBucket, AccessDenied ...); a HEAD of a missing object gives "NotFound".
// Thread-safe (as the AwsClient below it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.h"
#include "base/result.h"

namespace live2::aws {

struct S3Object {
  std::string key;
  int64_t size = 0;
  int64_t last_modified_ms = 0;
  std::string etag;
};

// Headers S3 answers a presigned GET with instead of the object's own (response-content-disposition,
// response-cache-control: query parameters the signature covers). Empty: the object's own.
struct ResponseOverrides {
  std::string_view content_disposition;
  std::string_view cache_control;
};

struct CompletedPart {
  int part_number = 0;
  std::string etag;
};

bool is_s3_not_found(const Error& error);

class S3Client {
 public:
  explicit S3Client(AwsClient& aws) : aws_(aws) {}

  Status put_object(const std::string& bucket, const std::string& key, Payload body,
                    const std::string& content_type);
  Result<std::string> get_object(const std::string& bucket, const std::string& key);
  // Streams the object into `destination` (written in place; callers wanting atomicity pass a temp path).
  Status download_object(const std::string& bucket, const std::string& key, const std::filesystem::path& destination);
  Result<S3Object> head_object(const std::string& bucket, const std::string& key);
  Status head_bucket(const std::string& bucket);
  // Every object under `prefix`, following continuation tokens over all pages of `page_size` keys. With a
  // `delimiter` ("/"), only the objects whose key has no delimiter after the prefix (S3 rolls the others up into
  // common prefixes, which are not returned).
  Result<std::vector<S3Object>> list_objects(const std::string& bucket, const std::string& prefix,
                                             const std::string& delimiter = "", int page_size = 1000);
  Status delete_object(const std::string& bucket, const std::string& key);

  Result<std::string> create_multipart_upload(const std::string& bucket, const std::string& key,
                                              const std::string& content_type);
  // Returns the part's ETag.
  Result<std::string> upload_part(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                  int part_number, Payload body);
  Status complete_multipart_upload(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                   const std::vector<CompletedPart>& parts);
  Status abort_multipart_upload(const std::string& bucket, const std::string& key, const std::string& upload_id);

  Result<PresignedUrl> presign_get(const std::string& bucket, const std::string& key, int64_t expires_s,
                                   const ResponseOverrides& overrides = {});

  // Endpoint and path of `key` in `bucket` (empty key: the bucket itself), for calls this class does not wrap
  // (bucket configuration in src/infra).
  AwsRequest request_for(const std::string& method, const std::string& bucket, const std::string& key) const;
  AwsClient& client() { return aws_; }

 private:
  AwsClient& aws_;
};

}  // namespace live2::aws
