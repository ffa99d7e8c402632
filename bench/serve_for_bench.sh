# Sourced by the HTTP benches (api_load.sh, accept_load.sh): one `live2 serve` on loopback set up to measure the API,
# not simulations. The bench user's tier limits are lifted, and the worker stands in for a long simulation (it waits
# until the executor stops it), so POSTed jobs stay queued as they would behind real work. /metrics is on its own
# listener (on the main one it needs an admin key).
#   bench_serve BIN DATA_DIR LOG_FILE   starts it; sets api_port, metrics_port, server_pid; returns once /health answers
#   bench_serve_stop                    stops it (call from the script's EXIT trap)
#   bench_metric NAME                   the sum of the samples of metric NAME (0 when absent)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

server_pid=""

bench_serve() {
  local bin=$1 data_dir=$2 log_file=$3
  api_port=$(free_port)
  metrics_port=$(free_port)
  local worker
  worker="$(dirname "$log_file")/long_worker.sh"
  printf '#!/bin/sh\nexec sleep 3600\n' > "$worker"
  chmod +x "$worker"
  LIVE2_TIER_ENTERPRISE_REQUESTS_PER_MINUTE=1000000000 LIVE2_TIER_ENTERPRISE_CONCURRENT_JOBS=1000000000 \
  LIVE2_TIER_ENTERPRISE_JOBS_PER_DAY=1000000000 LIVE2_WORKER_BINARY="$worker" LIVE2_MAX_CONCURRENT_JOBS=1 \
  LIVE2_CANCEL_GRACE_MS=100 LIVE2_METRICS_LISTEN="127.0.0.1:$metrics_port" \
    "$bin/live2" serve --listen "127.0.0.1:$api_port" --data-dir "$data_dir" > "$log_file" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$api_port/health" > /dev/null && return 0; sleep 0.1; done
  echo "live2 serve did not answer /health; its log:" >&2
  cat "$log_file" >&2
  return 1
}

bench_serve_stop() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null || true
  fi
  server_pid=""
}

bench_metric() {
  curl -fs "http://127.0.0.1:$metrics_port/metrics" | awk -v name="$1" '$1 == name || index($1, name "{") == 1 {n += $2} END {print n + 0}'
}
