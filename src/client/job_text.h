// Human-readable renderings of API objects for the CLI (the --json output prints the server's JSON instead).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "client/api_client.h"

namespace live2::client {

// "key: value" lines: id, type, status, parameters, progress, times, runtime (ended jobs), error, executor, webhook.
std::string describe_job(const JobView& job);
// One line per job under a header: JOB ID, STATUS, PROGRESS, PARTICLES, STEPS, TEMP_K, PRESET, RUNTIME, CREATED,
// ERROR (shortened). A parameter the job did not set shows "-" (the server's default applied).
std::string job_table(const std::vector<JobView>& jobs);
// "2000 particles, 20000 steps, 400 K, preset miller_urey": the parameters the job set of those four.
std::string key_parameters(const JobView& job);
// From started_at to completed_at (or cancelled_at); nullopt while the job has not ended or never started.
std::optional<double> runtime_seconds(const JobView& job);
// One line per run of a dataset (the API's run objects): INDEX, STATUS, PROGRESS, SEED, SWEEP ("temperature=300
// composition.C=0.1"), ERROR (shortened).
std::string run_table(const boost::json::array& runs);
// One line per artifact: NAME, SIZE, MODIFIED.
std::string artifact_table(const ArtifactListing& listing);
// "[#########-----------]  42.5%  running  eta 3m 20s" with a bar `bar_width` characters wide.
std::string progress_line(const JobView& job, int bar_width);
// "error: <message> (<code>, HTTP 422, request req_...)" then "  <field>: <message>" per detail.
std::string describe_error(const Error& error);

std::string format_duration(double seconds);  // "45s", "3m 20s", "2h 05m"
std::string format_bytes(int64_t bytes);       // "512 B", "1.5 KiB", "3.2 MiB"

}  // namespace live2::client
