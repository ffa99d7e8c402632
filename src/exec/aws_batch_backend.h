// AwsBatchBackend: what `live2 serve` runs on with LIVE2_EXECUTOR=aws_batch, built from the Settings (the variables of
// docs/aws-contract.md) and the environment (credentials, AWS_ENDPOINT_URL*): one AWS session, the Batch and
// CloudWatch Logs clients, the S3 artifact store over AWS_S3_BUCKET and the BatchExecutor. Owns all of them; the
// executor is stopped before the rest goes away. The composition root keeps it alive as long as the server.
#pragma once

#include "artifacts/s3_artifact_store.h"
#include "aws/aws_session.h"
#include "aws/batch_client.h"
#include "aws/logs_client.h"
#include "core/settings.h"
#include "exec/batch_executor.h"
#include "store/job_store.h"
#include "store/run_store.h"

namespace live2 {

class AwsBatchBackend {
 public:
  AwsBatchBackend(const Settings& settings, Environment environment, JobStore& store, RunStore& runs);

  Executor& executor() { return executor_; }
  ArtifactStore& artifacts() { return artifacts_; }

 private:
  aws::AwsSession session_;
  aws::BatchClient batch_;
  aws::LogsClient logs_;
  S3ArtifactStore artifacts_;
  BatchExecutor executor_;
};

}  // namespace live2
