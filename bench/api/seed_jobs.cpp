// api_seed_jobs DATA_DIR COUNT: puts COUNT finished jobs of user "bench" into {DATA_DIR}/live2.db (as `live2 serve`
// would have created them) and an enterprise API key for that user. Prints the key and the newest job id, one per
// line, for bench/api_load.sh. Jobs go in through the real SqliteJobStore, one create_job each.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "base/hashing.h"
#include "core/ids.h"
#include "core/status_machine.h"
#include "store/sqlite_stores.h"

int main(int argc, char** argv) {
  using namespace live2;
  if (argc != 3) {
    std::cerr << "usage: api_seed_jobs DATA_DIR COUNT\n";
    return 2;
  }
  const std::filesystem::path data_dir = argv[1];
  const long count = std::atol(argv[2]);
  std::filesystem::create_directories(data_dir);
  SystemClock clock;
  OsRandomSource random;
  auto stores = SqliteStores::open(data_dir / "live2.db", clock);
  if (!stores) {
    std::cerr << stores.error().message << "\n";
    return 1;
  }
  const std::string key = new_api_key(random);
  ApiKeyRecord record{new_random_id("key_", random), "bench", Tier::enterprise, false, sha256_hex(key),
                      clock.now_ms(), {}};
  if (!(*stores)->api_keys().create_api_key(record)) return 1;

  std::string last_job_id;
  const int64_t start_ms = clock.now_ms() - count;  // one job per millisecond, in the past, so ids stay sorted
  for (long i = 0; i < count; ++i) {
    const int64_t created_ms = start_ms + i;
    Job job;
    job.job_id = new_job_id(created_ms, random);
    job.user_id = "bench";
    job.job_type = "run_simulation";
    job.params_json =
        R"({"simulation_config":{"mode":"open_chemistry","config":{"num_particles":1000,"temperature":300,"steps":50000}}})";
    job.created_at_ms = created_ms;
    job.updated_at_ms = created_ms;
    job.estimated_time_s = 42;
    job.request_fingerprint = sha256_hex(job.job_id);
    job.particle_steps = 50'000'000;
    job.executor.kind = "local";
    job.executor.submit_state = SubmitState::submitted;
    job.executor.attempts = 1;
    job.executor.exit_code = 0;
    (void)transition(job, JobStatus::running, created_ms);
    (void)transition(job, JobStatus::completed, created_ms);
    auto created = (*stores)->jobs().create_job(job, JobQuota{}, created_ms);
    if (!created) {
      std::cerr << created.error().message << "\n";
      return 1;
    }
    last_job_id = job.job_id;
  }
  std::cout << key << "\n" << last_job_id << "\n";
  return 0;
}
