#!/usr/bin/env bash
# Does a dataset keep the machine busy? (docs/benchmarks.md, "A dataset on the local executor"). Starts `live2 serve`
# on loopback with the real worker and its defaults (LIVE2_MAX_CONCURRENT_JOBS=2 here, so one worker thread per
# core), submits one dataset of RUNS small runs, and waits for it to complete (its runs and the combine step). The
# reference is the ideal schedule measured in the same run: the CPU time the server's children used (the workers and
# combine, from /proc/<server>/stat cutime + cstime: all of them are its children and reaped by it) spread over the
# machine's cores. Prints wall / ideal: 1.00 is a perfect fill, the issue's bar is 1.3. Stops everything it started.
#   bench/dataset_wall_time.sh [BUILD_DIR] [RUNS] [PARTICLES] [STEPS]      defaults: build 64 400 4000
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
runs=${2:-64}
particles=${3:-400}
steps=${4:-4000}
bin=$(realpath "$build_dir/bin")  # absolute: the workers run in their own directories
cores=$(nproc)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d "$PWD/.dataset-bench.XXXXXX")
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(free_port)
LIVE2_MAX_CONCURRENT_JOBS=$cores LIVE2_TIER_ENTERPRISE_RUNNING_RUNS=$cores LIVE2_WORKER_BINARY="$bin/live2-sim" \
  "$bin/live2" serve --listen "127.0.0.1:$port" --data-dir "$work/data" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
"$bin/live2" keys create --user bench --tier enterprise --data-dir "$work/data" > "$work/key"  # the store exists now

# CPU seconds of the server's reaped children (fields 16 and 17 of /proc/PID/stat) and of the server itself (14, 15).
children_cpu_s() {
  awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); print ($14 + $15) / hz}' "/proc/$server_pid/stat"
}
server_cpu_s() {
  awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); print ($12 + $13) / hz}' "/proc/$server_pid/stat"
}

api() { curl -fsS -H "Authorization: Bearer $(cat "$work/key")" -H 'Content-Type: application/json' "$@"; }
cpu_before=$(children_cpu_s)
server_before=$(server_cpu_s)
start_ns=$(date +%s%N)
body=$(printf '{"job_type": "generate_dataset", "name": "wall time bench", "params": {"simulation_config":
  {"mode": "open_chemistry", "config": {"num_particles": %d, "steps": %d}}, "replicas": %d}}' \
  "$particles" "$steps" "$runs")
job_id=$(api -X POST "http://127.0.0.1:$port/api/v1/jobs" -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
status=queued
deadline=$((SECONDS + 1800))
# Polled cheaply (no interpreter per poll): the bench's own CPU would otherwise take from the runs it measures.
while [[ $status != completed && $status != failed && $status != cancelled && $SECONDS -lt $deadline ]]; do
  sleep 0.5
  status=$(api "http://127.0.0.1:$port/api/v1/jobs/$job_id" | grep -o '"status":"[a-z]*"' | head -1 | cut -d'"' -f4)
done
end_ns=$(date +%s%N)
cpu_after=$(children_cpu_s)
server_after=$(server_cpu_s)
[[ $status == completed ]] || { echo "dataset_wall_time.sh: the dataset ended $status; server log:" >&2; tail -20 "$work/serve.log" >&2; exit 1; }

awk -v runs="$runs" -v p="$particles" -v s="$steps" -v cores="$cores" -v wall_ns=$((end_ns - start_ns)) \
  -v cpu="$(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN {print b - a}')" \
  -v server="$(awk -v a="$server_before" -v b="$server_after" 'BEGIN {print b - a}')" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
  'BEGIN {
     wall = wall_ns / 1e9; ideal = cpu / cores
     printf "dataset of %d runs (%d particles x %d steps), %d cores, load average %s\n", runs, p, s, cores, load
     printf "  wall time (submit to completed, combine included): %.2f s\n", wall
     printf "  run CPU time: %.2f s, ideal wall time on %d cores: %.2f s\n", cpu, cores, ideal
     printf "  the server itself meanwhile: %.2f s of CPU\n", server
     printf "  wall / ideal: %.2fx (bar: 1.3x)\n", wall / ideal
   }'
