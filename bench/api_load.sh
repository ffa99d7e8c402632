#!/usr/bin/env bash
# HTTP API load test (docs/benchmarks.md, "HTTP API"). Seeds 100,000 jobs, starts `live2 serve` on loopback and, in
# the same run, nginx serving a static file as large as one job object; then `wrk -t2 -c64` against nginx,
# GET /api/v1/jobs/{id} and POST /api/v1/jobs. Prints rates, p99 latencies, the server's CPU time per request
# (utime + stime from /proc over the run) and its RSS. Stops everything it started. Needs wrk and nginx (scripts/install-deps.sh --bench).
#   bench/api_load.sh [BUILD_DIR] [DURATION]      defaults: build 10s
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
duration=${2:-10s}
jobs=${LIVE2_BENCH_JOBS:-100000}
bin=$build_dir/bin
for tool in wrk nginx; do
  command -v "$tool" > /dev/null || { echo "api_load.sh: $tool is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
done
cmake --build "$build_dir" --target live2 live2-sim api_seed_jobs | tail -n 2

source bench/serve_for_bench.sh
work=$(mktemp -d /tmp/live2-api-bench.XXXXXX)
nginx_pid=""
cleanup() {
  bench_serve_stop
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "seeding $jobs jobs..."
seed_start_ms=$(($(date +%s%N) / 1000000))
mapfile -t seeded < <("$bin/api_seed_jobs" "$work/data" "$jobs")
key=${seeded[0]}
job_id=${seeded[1]}
echo "seeded in $(( $(date +%s%N) / 1000000 - seed_start_ms )) ms"

bench_serve "$bin" "$work/data" "$work/serve.log"

# nginx serves a file exactly as large as the job object.
mkdir -p "$work/www"
curl -fs -H "Authorization: Bearer $key" "http://127.0.0.1:$api_port/api/v1/jobs/$job_id" > "$work/www/job.json"
nginx_port=$(free_port)
cat > "$work/nginx.conf" << NGINX
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work;
  proxy_temp_path $work;
  fastcgi_temp_path $work;
  uwsgi_temp_path $work;
  scgi_temp_path $work;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { root $work/www; default_type application/json; }
  }
}
NGINX
nginx -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$nginx_port/job.json" > /dev/null && break; sleep 0.1; done

server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }  # utime + stime

run_wrk() {  # label, then wrk arguments; prints "label rate p99 errors", and live2's CPU per request
  local label=$1
  shift
  local output cpu_before
  cpu_before=$(server_cpu_ticks)
  output=$(wrk -t2 -c64 -d"$duration" --latency "$@")
  local rate p99
  rate=$(awk '/Requests\/sec/ {print $2}' <<< "$output")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$output")
  local errors
  errors=$(awk '/Non-2xx/ {print $5}' <<< "$output")
  local requests cpu_us=""
  requests=$(awk '/requests in/ {print $1}' <<< "$output")
  if [[ $label != nginx* && ${requests:-0} -gt 0 ]]; then
    cpu_us=$(( ($(server_cpu_ticks) - cpu_before) * 1000000 / $(getconf CLK_TCK) / requests ))
    cpu_us="   live2 CPU ${cpu_us} us/request"
  fi
  printf '%-34s %12s req/s   p99 %8s   non-2xx %s%s\n' "$label" "$rate" "$p99" "${errors:-0}" "$cpu_us"
}

size=$(stat -c %s "$work/www/job.json")
echo "job object: $size bytes; duration $duration per run; wrk -t2 -c64"
run_wrk "nginx static file ($size B)" "http://127.0.0.1:$nginx_port/job.json"
run_wrk "GET /api/v1/jobs/{id}" -H "Authorization: Bearer $key" "http://127.0.0.1:$api_port/api/v1/jobs/$job_id"
LIVE2_BENCH_KEY=$key run_wrk "POST /api/v1/jobs" -s bench/api_post_job.lua "http://127.0.0.1:$api_port/api/v1/jobs"
echo "server RSS now $(awk '/VmRSS/ {print $2, $3}' "/proc/$server_pid/status"), peak $(awk '/VmHWM/ {print $2, $3}' "/proc/$server_pid/status")"
echo "jobs in store: $(bench_metric live2_jobs)"
