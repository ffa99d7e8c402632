#include "core/settings.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <sstream>

#include "core/dataset_plan.h"

namespace live2 {
namespace {

struct Reader {
  const Environment& variables;
  std::vector<FieldError> errors;

  const std::string* find(const std::string& name) const {
    auto it = variables.find(name);
    return it == variables.end() || it->second.empty() ? nullptr : &it->second;
  }

  void text(const std::string& name, std::string& out) const {
    if (const std::string* value = find(name)) out = *value;
  }

  void integer(const std::string& name, int64_t& out, int64_t minimum, int64_t maximum) {
    const std::string* value = find(name);
    if (!value) return;
    int64_t parsed = 0;
    auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), parsed);
    if (error != std::errc() || end != value->data() + value->size() || parsed < minimum || parsed > maximum) {
      errors.push_back({name, "must be an integer between " + std::to_string(minimum) + " and " +
                                  std::to_string(maximum) + ", got \"" + *value + "\""});
      return;
    }
    out = parsed;
  }

  void boolean(const std::string& name, bool& out) {
    const std::string* value = find(name);
    if (!value) return;
    if (*value == "1" || *value == "true" || *value == "yes") {
      out = true;
    } else if (*value == "0" || *value == "false" || *value == "no") {
      out = false;
    } else {
      errors.push_back({name, "must be true or false, got \"" + *value + "\""});
    }
  }

  void networks(const std::string& name, std::vector<IpNetwork>& out) {
    const std::string* value = find(name);
    if (!value) return;
    std::vector<IpNetwork> parsed;
    size_t start = 0;
    while (start <= value->size()) {
      const size_t comma = std::min(value->find(',', start), value->size());
      const std::string entry = value->substr(start, comma - start);
      auto network = IpNetwork::parse(entry);
      if (!network) {
        errors.push_back({name, "must be a comma list of IP addresses and CIDR blocks (10.0.0.0/8, fd00::/8); \"" +
                                    entry + "\" is neither"});
        return;
      }
      parsed.push_back(*network);
      start = comma + 1;
    }
    out = std::move(parsed);
  }

  void one_of(const std::string& name, std::string& out, const std::vector<std::string>& allowed) {
    const std::string* value = find(name);
    if (!value) return;
    for (const auto& candidate : allowed) {
      if (*value == candidate) {
        out = *value;
        return;
      }
    }
    std::string list;
    for (const auto& candidate : allowed) list += (list.empty() ? "" : ", ") + candidate;
    errors.push_back({name, "must be one of " + list + ", got \"" + *value + "\""});
  }
};

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

TierLimits Settings::limits_for(Tier tier) const {
  auto it = tier_limits.find(tier);
  return it == tier_limits.end() ? default_limits(tier) : it->second;
}

Result<Settings> parse_settings(const Environment& variables) {
  Settings settings;
  Reader reader{variables, {}};
  constexpr int64_t kMaxInt = INT64_MAX;
  reader.text("LIVE2_LISTEN", settings.listen);
  reader.text("LIVE2_METRICS_LISTEN", settings.metrics_listen);
  reader.text("LIVE2_DATA_DIR", settings.data_dir);
  reader.text("LIVE2_PUBLIC_URL", settings.public_url);
  reader.text("LIVE2_TLS_CERT_FILE", settings.tls_cert_file);
  reader.text("LIVE2_TLS_KEY_FILE", settings.tls_key_file);
  if (settings.tls_cert_file.empty() != settings.tls_key_file.empty()) {
    const bool key_missing = settings.tls_key_file.empty();
    reader.errors.push_back({key_missing ? "LIVE2_TLS_KEY_FILE" : "LIVE2_TLS_CERT_FILE",
                             std::string("must be set together with ") +
                                 (key_missing ? "LIVE2_TLS_CERT_FILE" : "LIVE2_TLS_KEY_FILE") +
                                 " to serve HTTPS (both or neither)"});
  }
  reader.one_of("LIVE2_EXECUTOR", settings.executor, {"local", "aws_batch", "slurm"});
  reader.integer("LIVE2_MAX_BODY_BYTES", settings.max_body_bytes, 1024, 1LL << 30);
  reader.integer("LIVE2_HEADER_TIMEOUT_MS", settings.header_timeout_ms, 100, 600'000);
  reader.integer("LIVE2_IDLE_TIMEOUT_MS", settings.idle_timeout_ms, 100, 3'600'000);
  reader.integer("LIVE2_MAX_CONNECTIONS", settings.max_connections, 0, 1'000'000);
  reader.integer("LIVE2_SHUTDOWN_GRACE_MS", settings.shutdown_grace_ms, 0, 600'000);
  reader.one_of("LIVE2_ACCESS_LOG", settings.access_log, {"auto", "stdout", "file"});
  reader.networks("LIVE2_TRUSTED_PROXIES", settings.trusted_proxies);
  reader.integer("LIVE2_AUTH_FAILURES_PER_MINUTE", settings.auth_failures_per_minute, 1, 1'000'000);
  reader.integer("LIVE2_EVENT_STREAMS_PER_USER", settings.event_streams_per_user, 1, 100'000);
  reader.integer("LIVE2_EVENT_STREAM_LIFETIME_MS", settings.event_stream_lifetime_ms, 1'000, 86'400'000);
  reader.text("LIVE2_WEB_DIR", settings.web_dir);
  reader.integer("LIVE2_MIN_FREE_DISK_BYTES", settings.min_free_disk_bytes, 0, 1LL << 50);
  reader.integer("LIVE2_RETENTION_DAYS", settings.retention_days, 0, 36'500);
  reader.integer("LIVE2_RETENTION_RECORD_DAYS", settings.retention_record_days, 0, 36'500);
  if (settings.retention_record_days > 0 && settings.retention_record_days < settings.retention_days) {
    // A record goes with its artifacts, so artifacts could never outlive it: the setting would not mean what it says.
    reader.errors.push_back({"LIVE2_RETENTION_RECORD_DAYS", "must be at least LIVE2_RETENTION_DAYS (" +
                                                                std::to_string(settings.retention_days) +
                                                                "): a job's record is deleted with its artifacts"});
  }
  reader.text("LIVE2_WORKER_BINARY", settings.worker_binary);
  reader.integer("LIVE2_MAX_CONCURRENT_JOBS", settings.max_concurrent_jobs, 1, 1024);
  reader.integer("LIVE2_WORKER_THREADS", settings.worker_threads, 0, 1024);
  reader.integer("LIVE2_CANCEL_GRACE_MS", settings.cancel_grace_ms, 0, 600'000);
  reader.text("LIVE2_SLURM_SHARED_DIR", settings.slurm_shared_dir);
  reader.text("LIVE2_SLURM_WORKER_BINARY", settings.slurm_worker_binary);
  reader.text("LIVE2_SLURM_PARTITION", settings.slurm_partition);
  reader.text("LIVE2_SLURM_ACCOUNT", settings.slurm_account);
  reader.text("LIVE2_SLURM_QOS", settings.slurm_qos);
  reader.integer("LIVE2_SLURM_TIME_LIMIT_MINUTES", settings.slurm_time_limit_minutes, 0, 525'600);
  reader.integer("LIVE2_SLURM_CPUS_PER_TASK", settings.slurm_cpus_per_task, 0, 1024);
  reader.integer("LIVE2_SLURM_MEMORY_MIB", settings.slurm_memory_mib, 0, 16 * 1024 * 1024);
  reader.integer("LIVE2_SLURM_SIGNAL_GRACE_S", settings.slurm_signal_grace_s, 0, 65'535);
  reader.integer("LIVE2_SLURM_MAX_REQUEUES", settings.slurm_max_requeues, 0, 1000);
  reader.integer("LIVE2_SLURM_POLL_INTERVAL_MS", settings.slurm_poll_interval_ms, 100, 600'000);
  reader.text("LIVE2_SLURM_SSH_HOST", settings.slurm_ssh_host);
  reader.integer("LIVE2_SLURM_SSH_PORT", settings.slurm_ssh_port, 1, 65'535);
  reader.text("LIVE2_SLURM_SSH_KEY", settings.slurm_ssh_key);
  reader.text("LIVE2_SLURM_SSH_KNOWN_HOSTS", settings.slurm_ssh_known_hosts);
  reader.boolean("LIVE2_WEBHOOK_ALLOW_INSECURE", settings.webhook_allow_insecure);
  reader.text("AWS_REGION", settings.aws_region);
  reader.text("AWS_BATCH_JOB_QUEUE", settings.batch_job_queue);
  reader.text("AWS_BATCH_JOB_DEFINITION", settings.batch_job_definition);
  reader.text("LIVE2_BATCH_ON_DEMAND_COMPUTE_ENVIRONMENT", settings.batch_on_demand_compute_environment);
  reader.text("AWS_S3_BUCKET", settings.s3_bucket);
  reader.text("ENV", settings.env);
  if (const std::string* prices = reader.find("LIVE2_FARGATE_PRICES")) {
    Result<FargatePriceTable> parsed = parse_fargate_prices(*prices);
    if (parsed.ok()) {
      settings.fargate_prices = std::move(parsed).value();
    } else {
      reader.errors.push_back({"LIVE2_FARGATE_PRICES", parsed.error().message});
    }
  }

  for (Tier tier : kAllTiers) {
    TierLimits limits = default_limits(tier);
    const std::string prefix = "LIVE2_TIER_" + upper(to_string(tier)) + "_";
    reader.integer(prefix + "CONCURRENT_JOBS", limits.concurrent_jobs, 0, kMaxInt);
    reader.integer(prefix + "JOBS_PER_DAY", limits.jobs_per_day, 0, kMaxInt);
    reader.integer(prefix + "PARTICLE_STEPS_PER_JOB", limits.particle_steps_per_job, 0, kMaxInt);
    reader.integer(prefix + "REQUESTS_PER_MINUTE", limits.requests_per_minute, 0, kMaxInt);
    reader.integer(prefix + "OUTPUT_BYTES_PER_JOB", limits.output_bytes_per_job, 0, kMaxInt);
    reader.integer(prefix + "MAX_VCPUS", limits.max_vcpus, 1, 16);
    reader.integer(prefix + "MAX_MEMORY_MIB", limits.max_memory_mib, 512, 122'880);
    reader.integer(prefix + "RUNS_PER_DATASET", limits.runs_per_dataset, 1, kMaxDatasetRuns);
    reader.integer(prefix + "RUNNING_RUNS", limits.running_runs, 1, kMaxInt);
    settings.tier_limits[tier] = limits;
  }

  if (!reader.errors.empty()) {
    Error error = Error::make(ErrorCode::invalid_settings, "invalid settings");
    error.details = std::move(reader.errors);
    return error;
  }
  return settings;
}

Environment parse_dotenv(const std::string& text) {
  Environment out;
  std::istringstream lines(text);
  std::string line;
  auto trim = [](std::string value) {
    const auto first = value.find_first_not_of(" \t\r");
    if (first == std::string::npos) return std::string();
    const auto last = value.find_last_not_of(" \t\r");
    return value.substr(first, last - first + 1);
  };
  while (std::getline(lines, line)) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string name = trim(line.substr(0, equals));
    std::string value = trim(line.substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (const auto comment = value.find(" #"); comment != std::string::npos) {
      value = trim(value.substr(0, comment));
    }
    if (!name.empty()) out[name] = value;
  }
  return out;
}

}  // namespace live2
