#include "store/sqlite_job_store.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <stdexcept>
#include <utility>

#include "store/job_columns.h"

namespace live2 {
namespace {

using store::SqliteConnection;
using store::Statement;
using store::Transaction;

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
// About 1 KB each: a few MB for the jobs that clients are watching right now.
constexpr size_t kCachedJobs = 4096;

const std::string& select_job_by_id_sql() {
  static const std::string sql = "SELECT " + store::job_select_list() + " FROM jobs WHERE job_id = :job_id";
  return sql;
}

const std::string& select_job_by_idempotency_key_sql() {
  static const std::string sql = "SELECT " + store::job_select_list() +
                                 " FROM jobs WHERE user_id = :user_id AND idempotency_key = :idempotency_key";
  return sql;
}

// Without statistics the planner prefers jobs_by_status plus a sort, so these name their partial index
// (sqlite_schema.cpp); the WHERE clauses repeat the index's, which INDEXED BY requires.
const std::string& select_jobs_awaiting_executor_sql() {
  static const std::string sql = "SELECT " + store::job_select_list() +
                                 " FROM jobs INDEXED BY jobs_awaiting_executor"
                                 " WHERE status IN ('queued', 'running') AND executor_submit_state = 'not_submitted'"
                                 " ORDER BY job_id LIMIT :limit";
  return sql;
}

const std::string& select_handed_over_jobs_sql() {
  static const std::string sql = "SELECT " + store::job_select_list() +
                                 " FROM jobs INDEXED BY jobs_handed_over"
                                 " WHERE status IN ('queued', 'running') AND executor_submit_state != 'not_submitted'"
                                 " ORDER BY job_id";
  return sql;
}

const std::string& select_unfinished_jobs_sql() {
  static const std::string sql = "SELECT " + store::job_select_list() +
                                 " FROM jobs WHERE status IN ('queued', 'running') ORDER BY job_id";
  return sql;
}

// Retention's two queries (sqlite_schema.cpp, migration 7), each walking its partial index from the front.
const std::string& select_jobs_finished_before_sql(bool artifacts_kept_only) {
  static const std::string all = "SELECT " + store::job_select_list() +
                                 " FROM jobs INDEXED BY jobs_finished"
                                 " WHERE status IN ('completed', 'failed', 'cancelled')"
                                 " AND completed_at_ms < :before_ms ORDER BY completed_at_ms, job_id LIMIT :limit";
  static const std::string with_artifacts =
      "SELECT " + store::job_select_list() +
      " FROM jobs INDEXED BY jobs_finished_with_artifacts"
      " WHERE status IN ('completed', 'failed', 'cancelled') AND artifacts_deleted_at_ms IS NULL"
      " AND completed_at_ms < :before_ms ORDER BY completed_at_ms, job_id LIMIT :limit";
  return artifacts_kept_only ? with_artifacts : all;
}

// Status values a list filter can name: at most one of each, so the IN list has a fixed number of slots.
constexpr size_t kStatusSlots = 5;

Result<std::vector<Job>> read_jobs(Statement& statement) { return store::read_rows<Job>(statement, store::read_job); }

Result<std::optional<Job>> read_optional_job(Statement& statement) {
  return store::read_optional_row<Job>(statement, store::read_job);
}

Result<int64_t> read_count(Statement& statement) {
  Result<bool> row = statement.step();
  if (!row) return row.error();
  return statement.integer(0);
}

// Each helper below finishes with its statement before returning, so no statement is left mid-way through its rows
// when the enclosing transaction commits.
Result<std::optional<Job>> find_job(SqliteConnection& connection, const std::string& job_id) {
  Result<Statement> select = connection.prepare(select_job_by_id_sql());
  if (!select) return select.error();
  select->bind(":job_id", job_id);
  return read_optional_job(*select);
}

Result<std::optional<Job>> find_job_by_idempotency_key(SqliteConnection& connection, const std::string& user_id,
                                                       const std::string& idempotency_key) {
  Result<Statement> select = connection.prepare(select_job_by_idempotency_key_sql());
  if (!select) return select.error();
  select->bind(":user_id", user_id).bind(":idempotency_key", idempotency_key);
  return read_optional_job(*select);
}

struct UserCounters {
  int64_t active_jobs = 0;   // queued or running
  int64_t created_jobs = 0;  // ever; also the user_seq of the user's latest job
};

Result<UserCounters> read_user_counters(SqliteConnection& connection, const std::string& user_id) {
  Result<Statement> select =
      connection.prepare("SELECT active_jobs, created_jobs FROM user_job_counters WHERE user_id = :user_id");
  if (!select) return select.error();
  select->bind(":user_id", user_id);
  Result<bool> row = select->step();
  if (!row) return row.error();
  if (!*row) return UserCounters{};
  return UserCounters{select->integer(0), select->integer(1)};
}

Status add_to_user_counters(SqliteConnection& connection, const std::string& user_id, int64_t active_delta,
                            int64_t created_delta) {
  Result<Statement> upsert = connection.prepare(
      "INSERT INTO user_job_counters (user_id, active_jobs, created_jobs) VALUES (:user_id, :active, :created) "
      "ON CONFLICT (user_id) DO UPDATE SET active_jobs = active_jobs + excluded.active_jobs, "
      "created_jobs = created_jobs + excluded.created_jobs");
  if (!upsert) return upsert.error();
  upsert->bind(":user_id", user_id).bind(":active", active_delta).bind(":created", created_delta);
  return upsert->run();
}

// Jobs numbered by user_seq in creation order make "jobs since T" the distance from the first one after T to the
// latest: two index lookups instead of a count over the user's whole day.
Result<int64_t> count_jobs_created_since(SqliteConnection& connection, const std::string& user_id, int64_t since_ms,
                                         const UserCounters& counters) {
  Result<Statement> first = connection.prepare(
      "SELECT user_seq FROM jobs WHERE user_id = :user_id AND created_at_ms > :since_ms "
      "ORDER BY created_at_ms LIMIT 1");
  if (!first) return first.error();
  first->bind(":user_id", user_id).bind(":since_ms", since_ms);
  Result<bool> row = first->step();
  if (!row) return row.error();
  return *row ? counters.created_jobs - first->integer(0) + 1 : 0;
}

Status update_job_row(SqliteConnection& connection, const Job& job) {
  Result<Statement> update = connection.prepare(store::job_update_sql());
  if (!update) return update.error();
  store::bind_job(*update, job);
  return update->run();
}

// The listing query for a filter's shape (which conditions it has). Few shapes exist, so each stays prepared.
std::string list_jobs_sql(const JobFilter& filter) {
  std::string conditions;
  auto add = [&conditions](const std::string& condition) {
    conditions += (conditions.empty() ? " WHERE " : " AND ") + condition;
  };
  if (filter.user_id) add("user_id = :user_id");
  if (!filter.statuses.empty()) add("status IN (:status0, :status1, :status2, :status3, :status4)");
  if (filter.job_type) add("job_type = :job_type");
  if (filter.name_contains) add("name LIKE :name_pattern ESCAPE '\\'");
  for (size_t i = 0; i < filter.tags.size(); ++i) {
    const std::string slot = std::to_string(i);
    add("job_id IN (SELECT job_id FROM job_tags WHERE tag_key = :tag_key" + slot +
        (filter.tags[i].second ? " AND tag_value = :tag_value" + slot : std::string()) +
        (filter.user_id ? " AND user_id = :user_id)" : ")"));
  }
  if (filter.before_job_id) add("job_id < :before_job_id");
  return "SELECT " + store::job_select_list() + " FROM jobs" + conditions + " ORDER BY job_id DESC LIMIT :limit";
}

// `text` as a LIKE pattern matching names that contain it: its own wildcards are escaped.
std::string contains_pattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

Status insert_job_tags(SqliteConnection& connection, const Job& job) {
  for (const auto& [key, value] : job.tags) {
    Result<Statement> insert = connection.prepare(
        "INSERT INTO job_tags (user_id, tag_key, tag_value, job_id) VALUES (:user_id, :tag_key, :tag_value, :job_id)");
    if (!insert) return insert.error();
    insert->bind(":user_id", job.user_id).bind(":tag_key", key).bind(":tag_value", value).bind(":job_id", job.job_id);
    if (Status inserted = insert->run(); !inserted) return inserted;
  }
  return Status::success();
}

}  // namespace

SqliteJobStore::SqliteJobStore(store::SqliteDatabase& database, SqliteWebhookOutbox& outbox, const Clock& clock)
    : database_(database), outbox_(outbox), clock_(clock), cache_(kCachedJobs) {}

Result<CreateJobOutcome> SqliteJobStore::create_job(const Job& job, const JobQuota& quota, int64_t now_ms) {
  Result<CreateJobOutcome> outcome = [&]() -> Result<CreateJobOutcome> {
    store::SqliteDatabase::Writer writer(database_);
    Result<Transaction> transaction = Transaction::begin_immediate(*writer);
    if (!transaction) return transaction.error();
    Result<CreateJobOutcome> created = create_job_in_transaction(writer, job, quota, now_ms);
    if (!created || !created->created) return created;
    if (Status committed = transaction->commit(); !committed) return committed.error();
    cache_.put_written(created->job);
    return created;
  }();
  if (outcome && outcome->created) notify_listeners(outcome->job);
  return outcome;
}

Result<CreateJobOutcome> SqliteJobStore::create_job_in_transaction(store::SqliteDatabase::Writer& writer,
                                                                  const Job& job, const JobQuota& quota,
                                                                  int64_t now_ms) {
  if (job.idempotency_key) {
    Result<std::optional<Job>> earlier = find_job_by_idempotency_key(*writer, job.user_id, *job.idempotency_key);
    if (!earlier) return earlier.error();
    if (*earlier) {
      if ((*earlier)->request_fingerprint != job.request_fingerprint) {
        return Error::make(ErrorCode::conflict, "idempotency key \"" + *job.idempotency_key +
                                                    "\" was already used with a different request (job " +
                                                    (*earlier)->job_id + ")");
      }
      return CreateJobOutcome{std::move(**earlier), false};
    }
  }

  Result<UserCounters> counters = read_user_counters(*writer, job.user_id);
  if (!counters) return counters.error();
  if (counters->active_jobs >= quota.max_active_jobs) {
    return Error::make(ErrorCode::quota_exceeded, "concurrent job limit of " + std::to_string(quota.max_active_jobs) +
                                                      " reached: wait for a queued or running job to finish");
  }
  Result<int64_t> recent_jobs = count_jobs_created_since(*writer, job.user_id, now_ms - kDayMs, *counters);
  if (!recent_jobs) return recent_jobs.error();
  if (*recent_jobs >= quota.max_jobs_per_day) {
    return Error::make(ErrorCode::quota_exceeded,
                       "daily job limit of " + std::to_string(quota.max_jobs_per_day) + " jobs in 24 hours reached");
  }

  Result<Statement> insert = writer->prepare(store::job_insert_sql());
  if (!insert) return insert.error();
  store::bind_job(*insert, job);
  insert->bind(":user_seq", counters->created_jobs + 1);
  if (Status inserted = insert->run(); !inserted) return inserted.error();
  if (Status tagged = insert_job_tags(*writer, job); !tagged) return tagged.error();
  const int64_t active_delta = is_terminal(job.status) ? 0 : 1;
  if (Status counted = add_to_user_counters(*writer, job.user_id, active_delta, 1); !counted) return counted.error();
  return CreateJobOutcome{job, true};
}

Result<std::optional<Job>> SqliteJobStore::get_job(const std::string& job_id) {
  if (std::optional<Job> cached = cache_.find(job_id)) return cached;
  const uint64_t write_count_before_read = cache_.write_count();
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<std::optional<Job>> job = find_job(**reader, job_id);
  if (job && *job) cache_.put_read(**job, write_count_before_read);
  return job;
}

Result<std::vector<Job>> SqliteJobStore::list_jobs(const JobFilter& filter) {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> select = (*reader)->prepare(list_jobs_sql(filter));
  if (!select) return select.error();
  if (filter.user_id) select->bind(":user_id", *filter.user_id);
  if (!filter.statuses.empty()) {
    const std::set<JobStatus> distinct(filter.statuses.begin(), filter.statuses.end());
    // Unused slots repeat a wanted status, which leaves the IN list's meaning unchanged.
    auto status = distinct.begin();
    const char* slots[kStatusSlots] = {":status0", ":status1", ":status2", ":status3", ":status4"};
    for (const char* slot : slots) {
      select->bind(slot, to_string(*status));
      if (std::next(status) != distinct.end()) ++status;
    }
  }
  if (filter.job_type) select->bind(":job_type", *filter.job_type);
  if (filter.name_contains) select->bind(":name_pattern", contains_pattern(*filter.name_contains));
  for (size_t i = 0; i < filter.tags.size(); ++i) {
    const std::string slot = std::to_string(i);
    select->bind((":tag_key" + slot).c_str(), filter.tags[i].first);
    if (filter.tags[i].second) select->bind((":tag_value" + slot).c_str(), *filter.tags[i].second);
  }
  if (filter.before_job_id) select->bind(":before_job_id", *filter.before_job_id);
  select->bind(":limit", std::max(filter.limit, 0));
  return read_jobs(*select);
}

Result<std::vector<Job>> SqliteJobStore::list_unfinished_jobs() {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> select = (*reader)->prepare(select_unfinished_jobs_sql());
  if (!select) return select.error();
  return read_jobs(*select);
}

Result<std::vector<Job>> SqliteJobStore::list_jobs_awaiting_executor(int limit) {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> select = (*reader)->prepare(select_jobs_awaiting_executor_sql());
  if (!select) return select.error();
  select->bind(":limit", std::max(limit, 0));
  return read_jobs(*select);
}

Result<std::vector<Job>> SqliteJobStore::list_handed_over_jobs() {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> select = (*reader)->prepare(select_handed_over_jobs_sql());
  if (!select) return select.error();
  return read_jobs(*select);
}

Result<Job> SqliteJobStore::update_job(const std::string& job_id, const JobMutation& mutate) {
  Result<UpdateOutcome> outcome = [&]() -> Result<UpdateOutcome> {
    store::SqliteDatabase::Writer writer(database_);
    Result<Transaction> transaction = Transaction::begin_immediate(*writer);
    if (!transaction) return transaction.error();
    Result<UpdateOutcome> updated = update_job_in_transaction(writer, job_id, mutate);
    if (!updated || !updated->written) return updated;
    if (Status committed = transaction->commit(); !committed) return committed.error();
    cache_.put_written(updated->job);
    return updated;
  }();
  if (!outcome) return outcome.error();
  if (outcome->written) notify_listeners(outcome->job);
  return std::move(outcome->job);
}

Result<SqliteJobStore::UpdateOutcome> SqliteJobStore::update_job_in_transaction(store::SqliteDatabase::Writer& writer,
                                                                                const std::string& job_id,
                                                                                const JobMutation& mutate) {
  Result<std::optional<Job>> current = find_job(*writer, job_id);
  if (!current) return current.error();
  if (!*current) return Error::make(ErrorCode::not_found, "no job " + job_id);

  const Job before = **current;
  Job job = before;
  if (!mutate(job)) return UpdateOutcome{before, false};
  if (job.job_id != before.job_id || job.user_id != before.user_id) {
    throw std::logic_error("a job mutation changed the identity of job " + before.job_id);
  }
  if (is_terminal(before.status) && job.status != before.status) {
    return Error::make(ErrorCode::conflict, "job " + before.job_id + " is " + std::string(to_string(before.status)) +
                                                " and can no longer change status");
  }
  const int64_t now_ms = clock_.now_ms();
  job.updated_at_ms = now_ms;
  // A dataset that ends leaves no run waiting to start.
  if (!is_terminal(before.status) && is_terminal(job.status) && job.runs.queued > 0) {
    if (Result<int64_t> cancelled = cancel_queued_runs_in_transaction(*writer, job, now_ms); !cancelled) {
      return cancelled.error();
    }
  }

  if (Status updated = update_job_row(*writer, job); !updated) return updated.error();
  if (!is_terminal(before.status) && is_terminal(job.status)) {
    if (Status counted = add_to_user_counters(*writer, job.user_id, -1, 0); !counted) return counted.error();
  }
  if (Status enqueued = outbox_.enqueue_transition(writer, before.status, job, now_ms); !enqueued) {
    return enqueued.error();
  }
  return UpdateOutcome{std::move(job), true};
}

Result<int64_t> SqliteJobStore::count_jobs_by_status(JobStatus status) {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> count = (*reader)->prepare("SELECT count(*) FROM jobs WHERE status = :status");
  if (!count) return count.error();
  count->bind(":status", to_string(status));
  return read_count(*count);
}

Result<std::vector<Job>> SqliteJobStore::list_jobs_finished_before(int64_t finished_before_ms,
                                                                   bool artifacts_kept_only, int limit) {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> select = (*reader)->prepare(select_jobs_finished_before_sql(artifacts_kept_only));
  if (!select) return select.error();
  select->bind(":before_ms", finished_before_ms).bind(":limit", std::max(limit, 0));
  return read_jobs(*select);
}

Result<int64_t> SqliteJobStore::mark_artifacts_deleted(const std::vector<std::string>& job_ids, int64_t at_ms) {
  store::SqliteDatabase::Writer writer(database_);
  Result<Transaction> transaction = Transaction::begin_immediate(*writer);
  if (!transaction) return transaction.error();
  int64_t marked = 0;
  for (const std::string& job_id : job_ids) {
    Result<Statement> update = writer->prepare(
        "UPDATE jobs SET artifacts_deleted_at_ms = :at_ms, updated_at_ms = :at_ms WHERE job_id = :job_id"
        " AND status IN ('completed', 'failed', 'cancelled') AND artifacts_deleted_at_ms IS NULL");
    if (!update) return update.error();
    update->bind(":at_ms", at_ms).bind(":job_id", job_id);
    if (Status updated = update->run(); !updated) return updated.error();
    marked += update->changes();
  }
  if (Status committed = transaction->commit(); !committed) return committed.error();
  for (const std::string& job_id : job_ids) cache_.forget_written(job_id);
  return marked;
}

Result<int64_t> SqliteJobStore::delete_finished_jobs(const std::vector<std::string>& job_ids) {
  store::SqliteDatabase::Writer writer(database_);
  Result<Transaction> transaction = Transaction::begin_immediate(*writer);
  if (!transaction) return transaction.error();
  int64_t deleted = 0;
  for (const std::string& job_id : job_ids) {
    // Deliveries first: the foreign key refuses to delete a job that still has any. The condition on the job
    // keeps an unfinished job's deliveries as well as the job.
    Result<Statement> deliveries = writer->prepare(
        "DELETE FROM webhook_deliveries WHERE job_id = :job_id AND EXISTS (SELECT 1 FROM jobs WHERE job_id = :job_id"
        " AND status IN ('completed', 'failed', 'cancelled'))");
    if (!deliveries) return deliveries.error();
    deliveries->bind(":job_id", job_id);
    if (Status removed = deliveries->run(); !removed) return removed.error();
    Result<Statement> job = writer->prepare(
        "DELETE FROM jobs WHERE job_id = :job_id AND status IN ('completed', 'failed', 'cancelled')");
    if (!job) return job.error();
    job->bind(":job_id", job_id);
    if (Status removed = job->run(); !removed) return removed.error();
    deleted += job->changes();
  }
  if (Status committed = transaction->commit(); !committed) return committed.error();
  for (const std::string& job_id : job_ids) cache_.forget_written(job_id);
  return deleted;
}

void SqliteJobStore::add_listener(JobListener listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(std::move(listener));
}

void SqliteJobStore::notify_listeners(const Job& job) {
  std::vector<JobListener> listeners;
  {
    std::lock_guard lock(listeners_mutex_);
    listeners = listeners_;
  }
  for (const JobListener& listener : listeners) listener(job);
}

Status SqliteJobStore::ping() { return database_.ping(); }

}  // namespace live2
