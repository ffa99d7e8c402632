// InstrumentedExecutor: forwards every call to another Executor and counts it in live2_executor_calls_total
// {operation, outcome}. The API talks to the executor through this one, so /metrics shows how often the API woke
// it, asked for readiness or read logs, and how those calls went. Thread-safe as the wrapped executor is.
#pragma once

#include "api/prometheus_registry.h"
#include "exec/executor.h"

namespace live2::api {

class InstrumentedExecutor final : public Executor {
 public:
  InstrumentedExecutor(Executor& inner, PrometheusRegistry& metrics);

  std::string_view kind() const override { return inner_.kind(); }
  void start() override;
  void stop() override;
  void wake() override;
  Status readiness() override;
  Result<std::string> read_log_tail(const Job& job, int lines) override;
  bool runs_datasets() const override { return inner_.runs_datasets(); }
  ExecutorActivity activity() const override { return inner_.activity(); }

 private:
  void count(const char* operation, bool ok);

  Executor& inner_;
  PrometheusRegistry& metrics_;
};

}  // namespace live2::api
