// README.txt: the file in every download of a run that says what each other file holds and in which units. The
// worker writes it with the run's other artifacts (so the dashboard, `live2 download`, S3 and a local --out
// directory all have it), listing the files that exist at that moment: at the end of a run, and of a cancelled or
// failed one. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace live2::worker {

// What one artifact is, in a few lines of plain text; empty for a name this version does not describe.
std::string_view artifact_description(std::string_view name);
// What a column of metrics.csv or species_counts.csv means (its unit is table_columns.h's); empty when unknown.
std::string_view column_meaning(std::string_view column);

// The whole README.txt: a header naming the job, how it ended and the model's units, then one entry per file in
// `artifact_names` (the files a person reads first come first), the CSV files with one line per column and its unit.
std::string download_readme(std::string_view job_id, std::string_view outcome,
                            const std::vector<std::string>& artifact_names);

}  // namespace live2::worker
