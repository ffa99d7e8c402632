#!/usr/bin/env bash
# DescribeJobs per reconcile cycle for a dataset's array children (docs/aws.md, "Datasets on AWS Batch"): one dataset
# of N runs (default 1,000) on tests/fakes/fake_batch.py on loopback, whose children sleep 0 to 7 s by their index so
# runs end over many cycles. Prints one JSON line per cycle and a summary; exit 1 when a cycle exceeded
# ceil(active / 100).
#   bench/aws/dataset_describe_calls.sh [build dir] [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
runs="${2:-1000}"
work="$(mktemp -d)"
python3 "$root/tests/fakes/fake_batch.py" --port-file "$work/port" --step-seconds 0.5 \
  --worker "sh -c 'exec sleep \$((AWS_BATCH_JOB_ARRAY_INDEX % 8))'" &
fake=$!
trap 'kill $fake; rm -rf "$work"' EXIT
while [[ ! -f "$work/port" ]]; do sleep 0.1; done
AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$work/port")" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
  "$build/bin/live2-bench-dataset-describes" --database "$work/live2.db" --runs "$runs"
