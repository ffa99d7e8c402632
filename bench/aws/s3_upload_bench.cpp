// live2-bench-s3-upload: publishes every file under a directory through the worker's S3ArtifactSink (PutObject for
// small files, parallel multipart above 16 MiB) and prints the bytes, seconds and MiB/s as one JSON line.
// Credentials and the endpoint come from the environment as in the worker (AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_S3).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "aws/aws_session.h"
#include "base/environment.h"
#include "worker/s3_artifact_sink.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  CLI::App app{"Upload a directory through the worker's S3 sink and report throughput", "live2-bench-s3-upload"};
  std::string directory, bucket, prefix = "bench/", region = "us-east-1";
  int parallel_parts = 4;
  app.add_option("--dir", directory, "Files to upload")->required()->check(CLI::ExistingDirectory);
  app.add_option("--bucket", bucket, "Bucket")->required();
  app.add_option("--prefix", prefix, "Key prefix, ends with /");
  app.add_option("--region", region, "Signing region");
  app.add_option("--parallel-parts", parallel_parts, "Multipart parts in flight");
  CLI11_PARSE(app, argc, argv);

  live2::aws::AwsSession session(live2::process_environment(), region);
  live2::worker::S3SinkOptions options;
  options.parallel_parts = parallel_parts;
  live2::worker::S3ArtifactSink sink(session.s3(), bucket, prefix, options);

  int64_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(directory)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = fs::relative(entry.path(), directory).generic_string();
    const live2::worker::OutputStatus published = sink.publish(name, entry.path(), true);
    if (!published.ok()) {
      std::fprintf(stderr, "live2-bench-s3-upload: %s\n", published.message().c_str());
      return 1;
    }
    bytes += static_cast<int64_t>(entry.file_size());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"bytes\":%lld,\"seconds\":%.3f,\"mib_per_s\":%.1f}\n", static_cast<long long>(bytes), seconds,
              static_cast<double>(bytes) / (1 << 20) / seconds);
  return 0;
}
