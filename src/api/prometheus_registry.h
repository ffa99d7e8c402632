// PrometheusRegistry: counters and histograms kept in memory, plus families whose values are read at scrape time
// (collectors: jobs by status from the store, webhook counts from the dispatcher), rendered in the Prometheus text
// exposition format 0.0.4 with HELP and TYPE on every family. Families are declared before serving; add(),
// observe() and render() are then thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace live2::api {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;
struct MetricSample {
  MetricLabels labels;
  double value = 0;
};
using MetricCollector = std::function<std::vector<MetricSample>()>;

class PrometheusRegistry {
 public:
  void declare_counter(const std::string& name, const std::string& help);
  void declare_histogram(const std::string& name, const std::string& help, std::vector<double> upper_bounds);
  // `type` is "gauge" or "counter"; the collector runs on every render().
  void declare_collected(const std::string& name, const std::string& help, const std::string& type,
                         MetricCollector collector);

  // Unknown names are a bug (std::logic_error).
  void add(const std::string& counter, const MetricLabels& labels, double amount = 1);
  void observe(const std::string& histogram, const MetricLabels& labels, double value);

  std::string render() const;

 private:
  struct HistogramSeries {
    std::vector<uint64_t> bucket_counts;  // not cumulative; one per upper bound
    uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    std::string name;
    std::string help;
    std::string type;
    std::vector<double> upper_bounds;
    MetricCollector collector;
    mutable std::mutex mutex;
    std::map<std::string, double> counter_series;           // rendered label set -> value
    std::map<std::string, HistogramSeries> histogram_series;
  };

  Family& declare(const std::string& name, const std::string& help, const std::string& type);
  Family& family(const std::string& name, const std::string& type) const;

  std::vector<std::unique_ptr<Family>> families_;  // in declaration order, which is the output order
  std::map<std::string, Family*> by_name_;
};

// `{a="x",b="y"}` with values escaped; empty labels render as "".
std::string render_labels(const MetricLabels& labels);

}  // namespace live2::api
