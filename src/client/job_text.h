// Human-readable renderings of API objects for the CLI (the --json output prints the server's JSON instead).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "client/api_client.h"

namespace live2::client {

// "key: value" lines: id, type, status, progress, times, error, executor, webhook.
std::string describe_job(const JobView& job);
// One line per job under a header: JOB ID, STATUS, PROGRESS, CREATED.
std::string job_table(const std::vector<JobView>& jobs);
// One line per artifact: NAME, SIZE, MODIFIED.
std::string artifact_table(const ArtifactListing& listing);
// "[#########-----------]  42.5%  running  eta 3m 20s" with a bar `bar_width` characters wide.
std::string progress_line(const JobView& job, int bar_width);
// "error: <message> (<code>, HTTP 422, request req_...)" then "  <field>: <message>" per detail.
std::string describe_error(const Error& error);

std::string format_duration(double seconds);  // "45s", "3m 20s", "2h 05m"
std::string format_bytes(int64_t bytes);       // "512 B", "1.5 KiB", "3.2 MiB"

}  // namespace live2::client
