// SqliteJobStore's RunStore half: a dataset's runs in the `runs` table, each change written together with its
// dataset's job row (counts by status, aggregate progress) in one transaction.
#include <algorithm>
#include <stdexcept>

#include "store/run_columns.h"
#include "store/sqlite_job_store.h"

namespace live2 {
namespace {

using store::SqliteConnection;
using store::Statement;
using store::Transaction;

const std::string& select_run_sql() {
  static const std::string sql =
      "SELECT " + store::run_select_list() + " FROM runs WHERE job_id = :job_id AND run_index = :run_index";
  return sql;
}

const std::string& select_runs_from_sql() {
  static const std::string sql = "SELECT " + store::run_select_list() +
                                 " FROM runs WHERE job_id = :job_id AND run_index >= :from_index"
                                 " ORDER BY run_index LIMIT :limit";
  return sql;
}

const std::string& select_runs_from_with_status_sql() {
  static const std::string sql = "SELECT " + store::run_select_list() +
                                 " FROM runs INDEXED BY runs_by_status WHERE job_id = :job_id AND status = :status"
                                 " AND run_index >= :from_index ORDER BY run_index LIMIT :limit";
  return sql;
}

const std::string& select_runs_with_status_sql() {
  static const std::string sql = "SELECT " + store::run_select_list() +
                                 " FROM runs INDEXED BY runs_by_status WHERE job_id = :job_id AND status = :status"
                                 " ORDER BY run_index LIMIT :limit";
  return sql;
}

Result<double> running_progress_sum(SqliteConnection& connection, const std::string& job_id) {
  Result<Statement> sum = connection.prepare(
      "SELECT coalesce(sum(progress), 0) FROM runs INDEXED BY runs_by_status "
      "WHERE job_id = :job_id AND status = 'running'");
  if (!sum) return sum.error();
  sum->bind(":job_id", job_id);
  Result<bool> row = sum->step();
  if (!row) return row.error();
  return sum->real(0);
}

// The dataset's progress from its runs: finished runs count whole, running ones by their own progress. Never lower
// than before (a retried run starts again from its checkpoint's progress, but the dataset does not step back).
Status refresh_progress(SqliteConnection& connection, Job& job) {
  if (job.runs.total == 0) return Status::success();
  Result<double> running = running_progress_sum(connection, job.job_id);
  if (!running) return running.error();
  const double progress =
      (static_cast<double>(job.runs.finished()) * 100.0 + *running) / static_cast<double>(job.runs.total);
  job.progress = std::clamp(std::max(job.progress, progress), 0.0, 100.0);
  return Status::success();
}

}  // namespace

Result<CreateJobOutcome> SqliteJobStore::create_dataset(const Job& job, const std::vector<Run>& runs,
                                                        const JobQuota& quota, int64_t now_ms) {
  if (job.runs.total != static_cast<int64_t>(runs.size()) || job.runs.queued != job.runs.total) {
    throw std::logic_error("a dataset must be created with all of its runs queued and counted");
  }
  Result<CreateJobOutcome> outcome = [&]() -> Result<CreateJobOutcome> {
    store::SqliteDatabase::Writer writer(database_);
    Result<Transaction> transaction = Transaction::begin_immediate(*writer);
    if (!transaction) return transaction.error();
    Result<CreateJobOutcome> created = create_job_in_transaction(writer, job, quota, now_ms);
    if (!created || !created->created) return created;
    for (const Run& run : runs) {
      Result<Statement> insert = writer->prepare(store::run_insert_sql());
      if (!insert) return insert.error();
      store::bind_run(*insert, run);
      if (Status inserted = insert->run(); !inserted) return inserted.error();
    }
    if (Status committed = transaction->commit(); !committed) return committed.error();
    cache_.put_written(created->job);
    return created;
  }();
  if (outcome && outcome->created) notify_listeners(outcome->job);
  return outcome;
}

Result<std::vector<Run>> SqliteJobStore::list_runs(const std::string& job_id, int64_t from_index, int limit,
                                                   std::optional<JobStatus> status) {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> select = (*reader)->prepare(status ? select_runs_from_with_status_sql() : select_runs_from_sql());
  if (!select) return select.error();
  select->bind(":job_id", job_id).bind(":from_index", from_index).bind(":limit", std::max(limit, 0));
  if (status) select->bind(":status", to_string(*status));
  return store::read_rows<Run>(*select, store::read_run);
}

Result<std::vector<Run>> SqliteJobStore::list_runs_with_status(const std::string& job_id, JobStatus status,
                                                               int limit) {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> select = (*reader)->prepare(select_runs_with_status_sql());
  if (!select) return select.error();
  select->bind(":job_id", job_id).bind(":status", to_string(status)).bind(":limit", std::max(limit, 0));
  return store::read_rows<Run>(*select, store::read_run);
}

Result<Run> SqliteJobStore::update_run(const std::string& job_id, int64_t index, const RunMutation& mutate) {
  std::optional<Job> changed_job;
  Result<Run> outcome = [&]() -> Result<Run> {
    store::SqliteDatabase::Writer writer(database_);
    Result<Transaction> transaction = Transaction::begin_immediate(*writer);
    if (!transaction) return transaction.error();
    Result<Statement> select = writer->prepare(select_run_sql());
    if (!select) return select.error();
    select->bind(":job_id", job_id).bind(":run_index", index);
    Result<std::optional<Run>> current = store::read_optional_row<Run>(*select, store::read_run);
    if (!current) return current.error();
    if (!*current) {
      return Error::make(ErrorCode::not_found, "no run " + std::to_string(index) + " in job " + job_id);
    }
    const Run before = **current;
    Run run = before;
    if (!mutate(run)) return before;
    if (run.job_id != before.job_id || run.index != before.index) {
      throw std::logic_error("a run mutation changed the identity of run " + std::to_string(index) + " of " + job_id);
    }
    if (is_terminal(before.status) && run.status != before.status) {
      return Error::make(ErrorCode::conflict, "run " + std::to_string(index) + " of job " + job_id + " is " +
                                                  std::string(to_string(before.status)) + " and can no longer change");
    }
    run.updated_at_ms = clock_.now_ms();
    Result<Statement> update = writer->prepare(store::run_update_sql());
    if (!update) return update.error();
    store::bind_run(*update, run);
    if (Status updated = update->run(); !updated) return updated.error();

    if (run.status != before.status || run.progress != before.progress) {
      Status refreshed = Status::success();
      Result<UpdateOutcome> job = update_job_in_transaction(writer, job_id, [&](Job& dataset) {
        const RunCounts counts_before = dataset.runs;
        const double progress_before = dataset.progress;
        if (run.status != before.status) {
          --dataset.runs.of(before.status);
          ++dataset.runs.of(run.status);
        }
        refreshed = refresh_progress(*writer, dataset);
        return refreshed.ok() && (dataset.runs != counts_before || dataset.progress != progress_before);
      });
      if (!refreshed) return refreshed.error();
      if (!job) return job.error();
      if (job->written) changed_job = std::move(job->job);
    }
    if (Status committed = transaction->commit(); !committed) return committed.error();
    if (changed_job) cache_.put_written(*changed_job);
    return run;
  }();
  if (outcome && changed_job) notify_listeners(*changed_job);
  return outcome;
}

Result<int64_t> SqliteJobStore::cancel_queued_runs_in_transaction(SqliteConnection& connection, Job& dataset,
                                                                  int64_t now_ms) {
  Result<Statement> cancel = connection.prepare(
      "UPDATE runs SET status = 'cancelled', completed_at_ms = :now_ms, updated_at_ms = :now_ms "
      "WHERE job_id = :job_id AND status = 'queued'");
  if (!cancel) return cancel.error();
  cancel->bind(":now_ms", now_ms).bind(":job_id", dataset.job_id);
  if (Status cancelled = cancel->run(); !cancelled) return cancelled.error();
  const int64_t count = cancel->changes();
  dataset.runs.queued -= count;
  dataset.runs.cancelled += count;
  if (Status refreshed = refresh_progress(connection, dataset); !refreshed) return refreshed.error();
  return count;
}

Result<int64_t> SqliteJobStore::cancel_queued_runs(const std::string& job_id) {
  std::optional<Job> changed_job;
  int64_t count = 0;
  Result<int64_t> outcome = [&]() -> Result<int64_t> {
    store::SqliteDatabase::Writer writer(database_);
    Result<Transaction> transaction = Transaction::begin_immediate(*writer);
    if (!transaction) return transaction.error();
    Status cancelled = Status::success();
    Result<UpdateOutcome> job = update_job_in_transaction(writer, job_id, [&](Job& dataset) {
      Result<int64_t> changed = cancel_queued_runs_in_transaction(*writer, dataset, clock_.now_ms());
      if (!changed) cancelled = changed.error();
      count = changed ? *changed : 0;
      return count > 0;
    });
    if (!cancelled) return cancelled.error();
    if (!job) return job.error();
    if (!job->written) return int64_t{0};
    changed_job = std::move(job->job);
    if (Status committed = transaction->commit(); !committed) return committed.error();
    cache_.put_written(*changed_job);
    return count;
  }();
  if (outcome && changed_job) notify_listeners(*changed_job);
  return outcome;
}

}  // namespace live2
