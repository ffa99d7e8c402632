#!/usr/bin/env bash
# Job acceptance under load (docs/benchmarks.md, "Durable acceptance"): starts `live2 serve` on loopback with an
# empty store, then `wrk -t2 -cCONNECTIONS` POSTs a small valid job (bench/api_post_job.lua). Prints the rate of 202s,
# p99 latency, and how many disk syncs made them durable (live2_store_durable_syncs_total: with group commit one
# sync answers many submissions). The data dir is on the same disk as the repository (not /tmp, which may be a
# tmpfs where an fsync costs nothing). Stops everything it started. Needs wrk (scripts/install-deps.sh --bench).
#   bench/accept_load.sh [BUILD_DIR] [DURATION] [CONNECTIONS]      defaults: build 10s 64
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
duration=${2:-10s}
connections=${3:-64}
bin=$build_dir/bin
command -v wrk > /dev/null || { echo "accept_load.sh: wrk is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }

work=$(mktemp -d "$PWD/.accept-bench.XXXXXX")
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

api_port=$(free_port)
metrics_port=$(free_port)
# The worker stands in for a long simulation, so accepted jobs stay queued and the bench measures acceptance.
printf '#!/bin/sh\nexec sleep 3600\n' > "$work/long_worker.sh"
chmod +x "$work/long_worker.sh"
key=$("$bin/live2" keys create --user bench --tier enterprise --data-dir "$work/data")
LIVE2_TIER_ENTERPRISE_REQUESTS_PER_MINUTE=1000000000 LIVE2_TIER_ENTERPRISE_CONCURRENT_JOBS=1000000000 \
LIVE2_TIER_ENTERPRISE_JOBS_PER_DAY=1000000000 LIVE2_WORKER_BINARY="$work/long_worker.sh" LIVE2_MAX_CONCURRENT_JOBS=1 \
LIVE2_CANCEL_GRACE_MS=100 LIVE2_METRICS_LISTEN="127.0.0.1:$metrics_port" \
  "$bin/live2" serve --listen "127.0.0.1:$api_port" --data-dir "$work/data" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$api_port/health" > /dev/null && break; sleep 0.1; done

syncs() {  # 0 where the server predates group commit
  curl -fs "http://127.0.0.1:$metrics_port/metrics" | awk '/^live2_store_durable_syncs_total/ {n = $2} END {print n + 0}'
}
syncs_before=$(syncs)
output=$(LIVE2_BENCH_KEY=$key wrk -t2 -c"$connections" -d"$duration" --latency -s bench/api_post_job.lua \
  "http://127.0.0.1:$api_port/api/v1/jobs")
syncs_after=$(syncs)
rate=$(awk '/Requests\/sec/ {print $2}' <<< "$output")
p99=$(awk '$1 == "99%" {print $2}' <<< "$output")
requests=$(awk '/requests in/ {print $1}' <<< "$output")
errors=$(awk '/Non-2xx/ {print $5}' <<< "$output")
synced=$((syncs_after - syncs_before))
per_sync="-"
[[ $synced -gt 0 ]] && per_sync=$(awk -v r="$requests" -v s="$synced" 'BEGIN {printf "%.1f", r / s}')
printf 'POST /api/v1/jobs, wrk -t2 -c%s %s: %s jobs/s   p99 %s   non-2xx %s   disk syncs %s (%s jobs each)\n' \
  "$connections" "$duration" "$rate" "$p99" "${errors:-0}" "$synced" "$per_sync"
