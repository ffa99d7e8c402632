#include "api/instrumented_executor.h"

namespace live2::api {

InstrumentedExecutor::InstrumentedExecutor(Executor& inner, PrometheusRegistry& metrics)
    : inner_(inner), metrics_(metrics) {
  metrics_.declare_counter("live2_executor_calls_total", "Calls the API made to the executor, by operation and outcome.");
}

void InstrumentedExecutor::count(const char* operation, bool ok) {
  metrics_.add("live2_executor_calls_total", {{"operation", operation}, {"outcome", ok ? "ok" : "error"}});
}

void InstrumentedExecutor::start() {
  inner_.start();
  count("start", true);
}

void InstrumentedExecutor::stop() {
  inner_.stop();
  count("stop", true);
}

void InstrumentedExecutor::wake() {
  inner_.wake();
  count("wake", true);
}

Status InstrumentedExecutor::readiness() {
  Status status = inner_.readiness();
  count("readiness", status.ok());
  return status;
}

Result<std::string> InstrumentedExecutor::read_log_tail(const Job& job, int lines) {
  auto text = inner_.read_log_tail(job, lines);
  count("read_log_tail", text.ok());
  return text;
}

}  // namespace live2::api
