#!/usr/bin/env bash
# Job acceptance under load (docs/benchmarks.md, "Durable acceptance"): starts `live2 serve` on loopback with an
# empty store, then `wrk -t2 -cCONNECTIONS` POSTs a small valid job (bench/api_post_job.lua). Prints the rate of 202s,
# p99 latency, and how many disk syncs made them durable (live2_store_durable_syncs_total: with group commit one
# sync answers many submissions). Two runs, alternately: the data dir on the repository's disk (not /tmp, which may be
# a tmpfs), where every 202 waits for its fdatasync, and on /dev/shm (tmpfs), where a sync costs nothing, so the same
# build shows its rate without the durability wait beside the durable one. Stops everything it started. Needs wrk
# (scripts/install-deps.sh --bench).
#   bench/accept_load.sh [BUILD_DIR] [DURATION] [CONNECTIONS] [ROUNDS]      defaults: build 10s 64 1
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
duration=${2:-10s}
connections=${3:-64}
rounds=${4:-1}
bin=$build_dir/bin
command -v wrk > /dev/null || { echo "accept_load.sh: wrk is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
source bench/serve_for_bench.sh

disk_work=$(mktemp -d "$PWD/.accept-bench.XXXXXX")
shm_work=$(mktemp -d /dev/shm/live2-accept-bench.XXXXXX)
cleanup() {
  bench_serve_stop
  rm -rf "$disk_work" "$shm_work"
}
trap cleanup EXIT

run() {  # label, work dir
  local label=$1 work=$2
  rm -rf "$work/data"
  bench_serve "$bin" "$work/data" "$work/serve.log"  # makes the store, which `live2 keys` needs
  local key
  key=$("$bin/live2" keys create --user bench --tier enterprise --data-dir "$work/data" 2> /dev/null)
  local syncs_before syncs_after output
  syncs_before=$(bench_metric live2_store_durable_syncs_total)
  output=$(LIVE2_BENCH_KEY=$key wrk -t2 -c"$connections" -d"$duration" --latency -s bench/api_post_job.lua \
    "http://127.0.0.1:$api_port/api/v1/jobs")
  syncs_after=$(bench_metric live2_store_durable_syncs_total)
  bench_serve_stop
  local rate p99 requests errors synced per_sync="-"
  rate=$(awk '/Requests\/sec/ {print $2}' <<< "$output")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$output")
  requests=$(awk '/requests in/ {print $1}' <<< "$output")
  errors=$(awk '/Non-2xx/ {print $5}' <<< "$output")
  synced=$((syncs_after - syncs_before))
  [[ $synced -gt 0 ]] && per_sync=$(awk -v r="$requests" -v s="$synced" 'BEGIN {printf "%.1f", r / s}')
  printf '%-22s POST /api/v1/jobs, wrk -t2 -c%s %s: %9s jobs/s   p99 %8s   non-2xx %s   syncs %s (%s jobs each)\n' \
    "$label" "$connections" "$duration" "$rate" "$p99" "${errors:-0}" "$synced" "$per_sync"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  run "disk (durable)" "$disk_work"
  run "tmpfs (sync is free)" "$shm_work"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
