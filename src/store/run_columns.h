// How a Run maps onto the `runs` table (sqlite_schema.cpp, migration 7), as job_columns.h does for jobs: one list
// of column names drives the SELECT list, the INSERT and the UPDATE.
#pragma once

#include <string>

#include "base/result.h"
#include "core/run.h"
#include "store/sqlite_statement.h"

namespace live2::store {

const std::string& run_select_list();
const std::string& run_insert_sql();
// UPDATE runs SET ... WHERE job_id = :job_id AND run_index = :run_index
const std::string& run_update_sql();

void bind_run(Statement& statement, const Run& run);
// Reads the current row of a statement that selected run_select_list(). Fails only on a corrupt row.
Result<Run> read_run(const Statement& statement);

}  // namespace live2::store
