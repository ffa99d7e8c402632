#include "client/job_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "base/time_format.h"

namespace live2::client {
namespace {

namespace json = boost::json;

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return "-";
  if (value->is_string()) return std::string(value->get_string());
  return json::serialize(*value);
}

const json::object* config_of(const json::object& job) {
  const json::value* config = job.if_contains("params");
  for (const char* key : {"simulation_config", "config"}) {
    if (config == nullptr || !config->is_object()) return nullptr;
    config = config->get_object().if_contains(key);
  }
  return config != nullptr && config->is_object() ? &config->get_object() : nullptr;
}

// A field of the simulation config as text; "-" when the job has no such field (defaults are the server's).
std::string config_text(const json::object& job, std::string_view key) {
  const json::object* config = config_of(job);
  return config == nullptr ? "-" : text_of(*config, key);
}

std::optional<int64_t> time_ms(const json::object& job, std::string_view key) {
  const json::value* value = job.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return parse_iso8601_ms(value->get_string());
}

std::string runtime_text(const JobView& job) {
  const std::optional<double> seconds = runtime_seconds(job);
  return seconds ? format_duration(*seconds) : "-";
}

std::string shortened(const std::string& text, size_t max_chars) {
  return text.size() <= max_chars ? text : text.substr(0, max_chars - 3) + "...";
}

}  // namespace

std::string key_parameters(const JobView& job) {
  const json::object* config = config_of(job.json);
  if (config == nullptr) return "-";
  std::string out;
  auto add = [&](std::string_view key, std::string_view unit) {
    if (const json::value* value = config->if_contains(key); value != nullptr && !value->is_null()) {
      out += (out.empty() ? "" : ", ") + text_of(*config, key) + std::string(unit);
    }
  };
  add("num_particles", " particles");
  add("steps", " steps");
  add("temperature", " K");
  if (const json::value* preset = config->if_contains("preset"); preset != nullptr && preset->is_string()) {
    out += (out.empty() ? "preset " : ", preset ") + std::string(preset->get_string());
  }
  return out.empty() ? "server defaults" : out;
}

std::optional<double> runtime_seconds(const JobView& job) {
  const std::optional<int64_t> started = time_ms(job.json, "started_at");
  std::optional<int64_t> ended = time_ms(job.json, "completed_at");
  if (!ended) ended = time_ms(job.json, "cancelled_at");
  if (!started || !ended || *ended < *started) return std::nullopt;
  return static_cast<double>(*ended - *started) / 1000.0;
}

std::string format_duration(double seconds) {
  const auto total = static_cast<int64_t>(std::llround(std::max(0.0, seconds)));
  if (total < 60) return fmt::format("{}s", total);
  if (total < 3600) return fmt::format("{}m {:02}s", total / 60, total % 60);
  return fmt::format("{}h {:02}m", total / 3600, total % 3600 / 60);
}

std::string format_bytes(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, units[unit]);
}

std::string describe_job(const JobView& job) {
  const json::object& o = job.json;
  std::string out;
  auto line = [&](std::string_view key, const std::string& value) { out += fmt::format("{:<14}{}\n", key, value); };
  line("job_id", job.job_id);
  line("job_type", text_of(o, "job_type"));
  line("status", job.status + (job.cancel_requested && !job.terminal() ? " (cancel requested)" : ""));
  line("parameters", key_parameters(job));
  line("progress", fmt::format("{:.1f}%", job.progress));
  if (job.eta_seconds && !job.terminal()) line("eta", format_duration(*job.eta_seconds));
  line("estimated", o.contains("estimated_time") && o.at("estimated_time").is_number()
                        ? format_duration(o.at("estimated_time").to_number<double>())
                        : "-");
  line("created_at", text_of(o, "created_at"));
  line("started_at", text_of(o, "started_at"));
  line("completed_at", text_of(o, "completed_at"));
  if (o.contains("cancelled_at") && !o.at("cancelled_at").is_null()) line("cancelled_at", text_of(o, "cancelled_at"));
  if (job.terminal()) line("runtime", runtime_text(job));
  if (job.error) line("error", *job.error);
  if (const json::value* executor = o.if_contains("executor"); executor && executor->is_object()) {
    const json::object& e = executor->get_object();
    line("executor", text_of(e, "kind") + ", attempts " + text_of(e, "attempts"));
    if (const json::value* vcpus = e.if_contains("vcpus"); vcpus && vcpus->is_number()) {
      line("size", fmt::format("{} vCPU, {} MiB", vcpus->to_number<double>(), text_of(e, "memory_mib")));
    }
  }
  if (const json::value* cost = o.if_contains("cost"); cost && cost->is_object()) {
    const json::object& c = cost->get_object();
    const json::value* usd = c.if_contains("usd");
    line("cost", fmt::format("{}{:.3f} vCPU-h, {:.3f} GB-h",
                             usd && usd->is_number() ? fmt::format("~${:.4f}: ", usd->to_number<double>()) : "",
                             c.at("vcpu_hours").to_number<double>(), c.at("gb_hours").to_number<double>()));
  }
  if (o.contains("webhook_url") && !o.at("webhook_url").is_null()) line("webhook_url", text_of(o, "webhook_url"));
  return out;
}

std::string job_table(const std::vector<JobView>& jobs) {
  constexpr std::string_view row = "{:<29} {:<10} {:>8} {:>9} {:>9} {:>7} {:<12} {:>8}  {:<24} {}\n";
  std::string out = fmt::format(fmt::runtime(row), "JOB ID", "STATUS", "PROGRESS", "PARTICLES", "STEPS", "TEMP_K",
                                "PRESET", "RUNTIME", "CREATED", "ERROR");
  for (const JobView& job : jobs) {
    out += fmt::format(fmt::runtime(row), job.job_id, job.status, fmt::format("{:.1f}%", job.progress),
                       config_text(job.json, "num_particles"), config_text(job.json, "steps"),
                       config_text(job.json, "temperature"), config_text(job.json, "preset"), runtime_text(job),
                       text_of(job.json, "created_at"), job.error ? shortened(*job.error, 60) : "");
  }
  return out;
}

std::string run_table(const json::array& runs) {
  constexpr std::string_view row = "{:>5} {:<10} {:>8} {:>20}  {:<40} {}\n";
  std::string out = fmt::format(fmt::runtime(row), "INDEX", "STATUS", "PROGRESS", "SEED", "SWEEP", "ERROR");
  for (const json::value& item : runs) {
    if (!item.is_object()) continue;
    const json::object& run = item.get_object();
    std::string sweep;
    if (const json::value* values = run.if_contains("sweep"); values != nullptr && values->is_object()) {
      for (const auto& member : values->get_object()) {
        if (!sweep.empty()) sweep += ' ';
        sweep.append(member.key()).append("=");
        // Shortest round-trip form for numbers (0.1, not Boost.JSON's 1E-1): the values as the user wrote them.
        sweep += member.value().is_double() ? fmt::format("{}", member.value().get_double())
                                            : text_of(values->get_object(), member.key());
      }
    }
    const json::value* progress = run.if_contains("progress");
    const std::string error = text_of(run, "error");
    out += fmt::format(fmt::runtime(row), text_of(run, "index"), text_of(run, "status"),
                       progress != nullptr && progress->is_number()
                           ? fmt::format("{:.1f}%", progress->to_number<double>())
                           : std::string("-"),
                       text_of(run, "seed"), sweep.empty() ? "-" : shortened(sweep, 40),
                       error == "-" ? "" : shortened(error, 60));
  }
  return out;
}

std::string artifact_table(const ArtifactListing& listing) {
  size_t name_width = 4;
  for (const Artifact& artifact : listing.artifacts) name_width = std::max(name_width, artifact.name.size());
  std::string out = fmt::format("{:<{}}  {:>10}  {}\n", "NAME", name_width, "SIZE", "MODIFIED");
  for (const Artifact& artifact : listing.artifacts) {
    out += fmt::format("{:<{}}  {:>10}  {}\n", artifact.name, name_width, format_bytes(artifact.size),
                       artifact.last_modified);
  }
  return out;
}

std::string progress_line(const JobView& job, int bar_width) {
  const double fraction = std::clamp(job.progress / 100.0, 0.0, 1.0);
  const int filled = static_cast<int>(std::floor(fraction * bar_width));
  std::string out = fmt::format("[{}{}] {:5.1f}%  {}", std::string(filled, '#'), std::string(bar_width - filled, '-'),
                                job.progress, job.status);
  if (job.cancel_requested && !job.terminal()) out += " (cancelling)";
  if (job.eta_seconds && !job.terminal()) out += "  eta " + format_duration(*job.eta_seconds);
  return out;
}

std::string describe_error(const Error& error) {
  std::string out = "error: " + error.message + " (" + std::string(error.code_name());
  if (error.http_status != 0) out += fmt::format(", HTTP {}", error.http_status);
  if (!error.request_id.empty()) out += ", request " + error.request_id;
  out += ")\n";
  for (const FieldError& detail : error.details) out += "  " + detail.field + ": " + detail.message + "\n";
  return out;
}

}  // namespace live2::client
