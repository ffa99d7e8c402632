#include "exec/aws_batch_backend.h"

#include "exec/batch_job_size.h"

namespace live2 {
namespace {

BatchExecutorOptions options_from(const Settings& settings) {
  BatchExecutorOptions options;
  options.job_queue = settings.batch_job_queue;
  options.job_definition = settings.batch_job_definition;
  options.s3_bucket = settings.s3_bucket;
  options.env = settings.env;
  for (const Tier tier : kAllTiers) options.fargate_ceilings[tier] = fargate_ceiling(settings.limits_for(tier));
  options.on_demand_compute_environment = settings.batch_on_demand_compute_environment;
  options.region = settings.aws_region;
  const FargatePriceTable prices = merged_fargate_prices(settings.fargate_prices);
  if (const auto row = prices.find(settings.aws_region); row != prices.end()) options.fargate_prices = row->second;
  return options;
}

}  // namespace

AwsBatchBackend::AwsBatchBackend(const Settings& settings, Environment environment, JobStore& store, RunStore& runs)
    : session_(std::move(environment), settings.aws_region),
      batch_(session_.client(aws::batch_service())),
      logs_(session_.client(aws::logs_service())),
      artifacts_(session_.s3(), settings.s3_bucket, settings.env),
      executor_(store, runs, batch_, logs_, artifacts_, session_.s3(), session_.clock(), options_from(settings)) {}

}  // namespace live2
