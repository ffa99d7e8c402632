#!/usr/bin/env bash
# A legitimate client's GET rate while hostile connections are held (docs/benchmarks.md, "Under hostile
# connections"). Seeds jobs, starts `live2 serve` on loopback with default settings, then in one run:
#   wrk -t2 -c64 GET /api/v1/jobs/{id}  alone, with COUNT connections held by bench/hold_connections.py (half idle,
#   half sending a header one byte a second, reopened when the server closes them), and alone again.
# The figure is the 2xx rate with the connections held over the mean of the two runs without (target: >= 0.5).
# Stops everything it started. Needs wrk (scripts/install-deps.sh --bench).
#   bench/hostile_load.sh [BUILD_DIR] [DURATION] [COUNT]      defaults: build 10s 1000
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
duration=${2:-10s}
count=${3:-1000}
bin=$build_dir/bin
command -v wrk > /dev/null || { echo "hostile_load.sh: wrk is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
cmake --build "$build_dir" --target live2 live2-sim api_seed_jobs | tail -n 2

work=$(mktemp -d /tmp/live2-hostile-bench.XXXXXX)
server_pid=""
holder_pid=""
cleanup() {
  [[ -n $holder_pid ]] && kill "$holder_pid" 2> /dev/null && wait "$holder_pid" 2> /dev/null || true
  [[ -n $server_pid ]] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The holder and wrk need more descriptors than a login shell's default 1024 (the server raises its own limit).
ulimit -n "$(ulimit -Hn)"

mapfile -t seeded < <("$bin/api_seed_jobs" "$work/data" 1000)
key=${seeded[0]}
job_id=${seeded[1]}
port=$(free_port)
LIVE2_TIER_ENTERPRISE_REQUESTS_PER_MINUTE=1000000000 \
  "$bin/live2" serve --listen "127.0.0.1:$port" --data-dir "$work/data" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/api/v1/jobs/$job_id"

run_wrk() {  # label; prints "label  2xx-rate  p99  non-2xx" and sets $ok_rate
  local label=$1 output requests seconds errors p99
  output=$(wrk -t2 -c64 -d"$duration" --latency -H "Authorization: Bearer $key" "$url")
  requests=$(awk '/requests in/ {print $1}' <<< "$output")
  seconds=$(awk '/requests in/ {sub(/s,$/, "", $4); print $4}' <<< "$output")
  errors=$(awk '/Non-2xx/ {print $5}' <<< "$output")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$output")
  ok_rate=$(awk -v r="$requests" -v e="${errors:-0}" -v s="$seconds" 'BEGIN {printf "%.0f", (r - e) / s}')
  printf '%-40s %10s 2xx/s   p99 %8s   non-2xx %s\n' "$label" "$ok_rate" "$p99" "${errors:-0}"
}

echo "GET /api/v1/jobs/{id}, wrk -t2 -c64 -d$duration; $count hostile connections (half idle, half slow-header)"
echo "server: $(grep -o 'at most [0-9]* connections ([0-9]* open files)' "$work/serve.log")"
wrk -t2 -c64 -d2s -H "Authorization: Bearer $key" "$url" > /dev/null  # warm-up
run_wrk "without hostile connections"
before=$ok_rate

python3 bench/hold_connections.py "$port" "$count" > "$work/holder.log" &
holder_pid=$!
for _ in $(seq 100); do grep -q '^held' "$work/holder.log" && break; sleep 0.1; done
sleep 1
run_wrk "with $count held"
held=$ok_rate
echo "holder: $(tail -n 1 "$work/holder.log")"
echo "server RSS with them: $(awk '/VmRSS/ {print $2, $3}' "/proc/$server_pid/status"), open descriptors: $(ls "/proc/$server_pid/fd" | wc -l)"
kill "$holder_pid"
wait "$holder_pid" 2> /dev/null || true
holder_pid=""

sleep 1
run_wrk "without again"
after=$ok_rate
awk -v h="$held" -v b="$before" -v a="$after" 'BEGIN {printf "ratio (held / mean of without): %.2f\n", h / ((b + a) / 2)}'
