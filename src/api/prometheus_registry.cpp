#include "api/prometheus_registry.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace live2::api {
namespace {

std::string escape(const std::string& text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quote) out += "\\\"";
    else out.push_back(c);
  }
  return out;
}

std::string format_value(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  return fmt::format("{}", value);
}

// Inserts one more label into an already rendered label set.
std::string with_label(const std::string& rendered, const std::string& name, const std::string& value) {
  const std::string extra = name + "=\"" + escape(value, true) + "\"";
  if (rendered.empty()) return "{" + extra + "}";
  return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}

}  // namespace

std::string render_labels(const MetricLabels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out.push_back(',');
    out += labels[i].first + "=\"" + escape(labels[i].second, true) + "\"";
  }
  out.push_back('}');
  return out;
}

PrometheusRegistry::Family& PrometheusRegistry::declare(const std::string& name, const std::string& help,
                                                        const std::string& type) {
  if (by_name_.count(name)) throw std::logic_error("metric declared twice: " + name);
  auto family = std::make_unique<Family>();
  family->name = name;
  family->help = help;
  family->type = type;
  Family& out = *family;
  by_name_[name] = family.get();
  families_.push_back(std::move(family));
  return out;
}

PrometheusRegistry::Family& PrometheusRegistry::family(const std::string& name, const std::string& type) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end() || it->second->type != type || it->second->collector) {
    throw std::logic_error("no " + type + " metric named " + name);
  }
  return *it->second;
}

void PrometheusRegistry::declare_counter(const std::string& name, const std::string& help) {
  declare(name, help, "counter");
}

void PrometheusRegistry::declare_histogram(const std::string& name, const std::string& help,
                                           std::vector<double> upper_bounds) {
  declare(name, help, "histogram").upper_bounds = std::move(upper_bounds);
}

void PrometheusRegistry::declare_collected(const std::string& name, const std::string& help, const std::string& type,
                                           MetricCollector collector) {
  declare(name, help, type).collector = std::move(collector);
}

void PrometheusRegistry::add(const std::string& counter, const MetricLabels& labels, double amount) {
  Family& target = family(counter, "counter");
  const std::string key = render_labels(labels);
  std::lock_guard lock(target.mutex);
  target.counter_series[key] += amount;
}

void PrometheusRegistry::observe(const std::string& histogram, const MetricLabels& labels, double value) {
  Family& target = family(histogram, "histogram");
  const std::string key = render_labels(labels);
  std::lock_guard lock(target.mutex);
  HistogramSeries& series = target.histogram_series[key];
  if (series.bucket_counts.empty()) series.bucket_counts.assign(target.upper_bounds.size(), 0);
  for (size_t i = 0; i < target.upper_bounds.size(); ++i) {
    if (value <= target.upper_bounds[i]) {
      ++series.bucket_counts[i];
      break;
    }
  }
  ++series.count;
  series.sum += value;
}

std::string PrometheusRegistry::render() const {
  std::string out;
  for (const auto& family : families_) {
    out += "# HELP " + family->name + " " + escape(family->help, false) + "\n";
    out += "# TYPE " + family->name + " " + family->type + "\n";
    if (family->collector) {
      for (const auto& sample : family->collector()) {
        out += family->name + render_labels(sample.labels) + " " + format_value(sample.value) + "\n";
      }
      continue;
    }
    std::lock_guard lock(family->mutex);
    for (const auto& [labels, value] : family->counter_series) {
      out += family->name + labels + " " + format_value(value) + "\n";
    }
    for (const auto& [labels, series] : family->histogram_series) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < family->upper_bounds.size(); ++i) {
        cumulative += series.bucket_counts[i];
        out += family->name + "_bucket" + with_label(labels, "le", format_value(family->upper_bounds[i])) + " " +
               std::to_string(cumulative) + "\n";
      }
      out += family->name + "_bucket" + with_label(labels, "le", "+Inf") + " " + std::to_string(series.count) + "\n";
      out += family->name + "_sum" + labels + " " + format_value(series.sum) + "\n";
      out += family->name + "_count" + labels + " " + std::to_string(series.count) + "\n";
    }
  }
  return out;
}

}  // namespace live2::api
