#!/usr/bin/env bash
# Status change -> job store latency of the Batch executor with its default intervals, against tests/fakes/
# fake_batch.py on loopback (workers sleep for the seconds in their params).
#   bench/aws/batch_latency.sh [build dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
work="$(mktemp -d)"
python3 "$root/tests/fakes/fake_batch.py" --port-file "$work/port" --step-seconds 1 \
  --worker "sh -c 'sleep \$(echo \"\$JOB_PARAMS\" | tr -dc 0-9)'" &
fake=$!
trap 'kill $fake; rm -rf "$work"' EXIT
while [[ ! -f "$work/port" ]]; do sleep 0.1; done
AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$work/port")" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
  "$build/bin/live2-bench-batch-latency" --database "$work/live2.db"
