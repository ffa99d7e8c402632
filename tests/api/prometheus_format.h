// A checker of the Prometheus text format for tests, covering what `promtool check metrics` complains about most:
// HELP and TYPE before every family's samples, valid metric and label names, counters ending in _total, numeric
// values, histograms with cumulative buckets ending in le="+Inf" that equal _count. Returns the problems found.
#pragma once

#include <string>
#include <vector>

namespace live2::api::testing {

std::vector<std::string> prometheus_format_problems(const std::string& text);

}  // namespace live2::api::testing
