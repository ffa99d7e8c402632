// How a Job maps onto the columns of the `jobs` table (sqlite_schema.cpp): one list of column names drives the
// SELECT list, the INSERT and the UPDATE, so a new field is added in one place here plus a migration.
#pragma once

#include <string>

#include "base/result.h"
#include "core/job.h"
#include "store/sqlite_statement.h"

namespace live2::store {

// "job_id, user_id, ..." in the order read_job expects.
const std::string& job_select_list();
// INSERT INTO jobs (..., user_seq) VALUES (:job_id, ..., :user_seq); the caller binds :user_seq, which is the
// store's bookkeeping rather than part of Job.
const std::string& job_insert_sql();
// UPDATE jobs SET ...every column but job_id... WHERE job_id = :job_id
const std::string& job_update_sql();

// Binds every column of `job` to the INSERT or UPDATE above.
void bind_job(Statement& statement, const Job& job);
// Reads the current row of a statement that selected job_select_list(). Fails only on a corrupt row.
Result<Job> read_job(const Statement& statement);

}  // namespace live2::store
