// ArtifactSink: where the worker's artifacts end up. The worker always writes each artifact as a file in
// its local working directory first (atomically: temp file + rename) and then tells the sink to publish it
// under its artifact name (e.g. "results.h5", "checkpoint/state.bin"). Order of calls is the worker's
// contract with readers: progress.json / simulation.log repeatedly while running (final = false), results.h5
// before each checkpoint it belongs to, the remaining artifacts at the end, metadata.json last (final = true).
//
// Implementations: DirectorySink (local directory, used with --out DIR; a no-op when that directory is the
// working directory) and, in the AWS layer, an S3 sink. A publish must never leave a partial object behind
// under `name`: readers see the old version or the new one. fetch() is how a resumed attempt gets back what
// an earlier attempt published (the checkpoint, results.h5, simulation.log, an oversized params.json).
//
// Thread safety: the worker calls a sink from one thread only; implementations need not be thread-safe.
#pragma once

#include <filesystem>
#include <string>

#include "worker/output_status.h"

namespace live2::worker {

class ArtifactSink {
 public:
  virtual ~ArtifactSink() = default;

  // Makes the current contents of `file` visible as artifact `name`. `final` is true for an artifact's last
  // version (a sink may use it to pick a slower, more durable upload path or to release resources).
  virtual OutputStatus publish(const std::string& name, const std::filesystem::path& file, bool final) = 0;

  // Copies the published artifact `name` to `destination`. Returns false when it does not exist or cannot
  // be fetched; the worker then does without it (for a checkpoint: starts over, always correct, only slower).
  virtual bool fetch(const std::string& name, const std::filesystem::path& destination) = 0;
};

// Publishes into a local directory by copying (temp file + rename). When the directory is the worker's own
// working directory, publishing is a no-op and fetching a file onto itself succeeds if it exists.
class DirectorySink final : public ArtifactSink {
 public:
  explicit DirectorySink(std::filesystem::path directory);

  OutputStatus publish(const std::string& name, const std::filesystem::path& file, bool final) override;
  bool fetch(const std::string& name, const std::filesystem::path& destination) override;

 private:
  std::filesystem::path directory_;
};

}  // namespace live2::worker
