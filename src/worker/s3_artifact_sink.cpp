#include "worker/s3_artifact_sink.h"

#include <atomic>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "base/content_type.h"

namespace live2::worker {
namespace {

constexpr int64_t kMaxParts = 10'000;

OutputStatus failure(const std::string& what, const Error& error) {
  std::string message = what + ": " + std::string(error.code_name()) + " " + error.message;
  if (!error.request_id.empty()) message += " (request id " + error.request_id + ")";
  return OutputStatus::failure(message);
}

}  // namespace

S3ArtifactSink::S3ArtifactSink(aws::S3Client& s3, std::string bucket, std::string prefix, S3SinkOptions options)
    : s3_(s3), bucket_(std::move(bucket)), prefix_(std::move(prefix)), options_(options) {}

OutputStatus S3ArtifactSink::publish(const std::string& name, const std::filesystem::path& file, bool /*final*/) {
  std::error_code error;
  const auto size = static_cast<int64_t>(std::filesystem::file_size(file, error));
  if (error) return OutputStatus::failure("cannot read " + file.string() + ": " + error.message());
  const std::string key = prefix_ + name;
  const std::string content_type = content_type_for(name);
  if (size > options_.multipart_threshold_bytes) return upload_multipart(key, file, size, content_type);

  Result<aws::Payload> body = aws::map_file_range(file, 0, size);
  if (!body.ok()) return OutputStatus::failure(body.error().message);
  Status put = s3_.put_object(bucket_, key, *body, content_type);
  if (!put.ok()) return failure("upload of s3://" + bucket_ + "/" + key + " failed", put.error());
  return {};
}

OutputStatus S3ArtifactSink::upload_multipart(const std::string& key, const std::filesystem::path& file, int64_t size,
                                              const std::string& content_type) {
  const int64_t part_size = std::max(options_.part_size_bytes, (size + kMaxParts - 1) / kMaxParts);
  const int part_count = static_cast<int>((size + part_size - 1) / part_size);
  Result<std::string> upload_id = s3_.create_multipart_upload(bucket_, key, content_type);
  if (!upload_id.ok()) return failure("multipart upload of s3://" + bucket_ + "/" + key + " failed", upload_id.error());

  std::vector<aws::CompletedPart> parts(static_cast<size_t>(part_count));
  std::atomic<int> next_part{0};
  std::atomic<bool> failed{false};
  std::mutex failure_mutex;
  OutputStatus first_failure;
  const auto upload_parts = [&] {
    for (int index = next_part++; index < part_count && !failed; index = next_part++) {
      const int64_t offset = index * part_size;
      Result<aws::Payload> body = aws::map_file_range(file, offset, std::min(part_size, size - offset));
      Result<std::string> etag =
          body.ok() ? s3_.upload_part(bucket_, key, *upload_id, index + 1, *body) : Result<std::string>(body.error());
      if (!etag.ok()) {
        std::lock_guard lock(failure_mutex);
        if (!failed.exchange(true)) {
          first_failure =
              failure("part " + std::to_string(index + 1) + " of s3://" + bucket_ + "/" + key, etag.error());
        }
        return;
      }
      parts[static_cast<size_t>(index)] = {index + 1, std::move(*etag)};
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < std::min(options_.parallel_parts, part_count); ++i) workers.emplace_back(upload_parts);
  for (std::thread& worker : workers) worker.join();

  if (!failed) {
    Status completed = s3_.complete_multipart_upload(bucket_, key, *upload_id, parts);
    if (completed.ok()) return {};
    first_failure = failure("completing s3://" + bucket_ + "/" + key, completed.error());
  }
  // Abort so the parts stop costing storage; a failed abort leaves them to the bucket's lifecycle rule.
  Status aborted = s3_.abort_multipart_upload(bucket_, key, *upload_id);
  if (!aborted.ok()) {
    return OutputStatus::failure(first_failure.message() +
                                 "; abort also failed: " + std::string(aborted.error().code_name()));
  }
  return first_failure;
}

bool S3ArtifactSink::fetch(const std::string& name, const std::filesystem::path& destination) {
  std::filesystem::path temporary = destination;
  temporary += ".download.tmp";
  // A retried attempt runs in a fresh container: checkpoint/ does not exist there yet.
  std::error_code directory_error;
  if (destination.has_parent_path()) std::filesystem::create_directories(destination.parent_path(), directory_error);
  if (!s3_.download_object(bucket_, prefix_ + name, temporary).ok()) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    return false;
  }
  std::error_code error;
  std::filesystem::rename(temporary, destination, error);
  return !error;
}

}  // namespace live2::worker
