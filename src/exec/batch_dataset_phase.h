// Where a generate_dataset job on AWS Batch stands, from its run counts alone (so a restarted server knows too):
// while a run is queued or running its Batch job is the array job of its runs, `live2-<job id>`; once every run has
// ended it is the combine job, `live2-<job id>-combine`. A job's Batch name is how a submit whose answer was lost is
// found again (ListJobs by name). Pure; thread-safe.
#pragma once

#include <string>

#include "core/job.h"

namespace live2 {

bool is_dataset(const Job& job);
bool in_combine_phase(const Job& job);
std::string batch_job_name(const Job& job);

}  // namespace live2
