#!/usr/bin/env bash
# The Spot stop window (docs/sim-worker.md, "The stop window"): ECS stops a container 30 s after SIGTERM and a Batch job
# definition cannot lengthen that, so live2-sim must checkpoint, publish and exit within 25 s. This runs live2-sim
# with ATOMS atoms (default 2,000,000, the most a job accepts and about what 16 GB holds), sends SIGTERM once the run
# is under way (progress past step 0) and reports the seconds from SIGTERM to exit, the exit code (75 expected), the
# checkpoint's and results.h5's bytes, and the ratio of the seconds to the 25 s budget.
#   SINK=dir: the working directory is the destination (publishing is a no-op): the cost of stopping and writing.
#   SINK=s3:  the artifacts go to s3rver on loopback (tests/aws/s3rver, installed with npm ci): writing + uploading.
# Usage: bench/spot_stop.sh [BUILD_DIR] [ATOMS] [SINK] [THREADS]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
atoms=${2:-2000000}
sink=${3:-dir}
threads=${4:-2}
budget_seconds=25
work=$(mktemp -d)
cleanup() {
  [[ -n "${worker_pid:-}" ]] && kill "$worker_pid" 2>/dev/null || true
  [[ "$sink" == s3 ]] && "$root/tests/aws/s3rver_fixture.sh" stop "$work/s3rver"
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/params.json" <<JSON
{"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": $atoms, "steps": 1000000,
  "analysis_interval": 10, "snapshot_interval": 1000000}}}
JSON

environment=(JOB_ID=bench_spot USER_ID=bench OMP_WAIT_POLICY=passive)
if [[ "$sink" == s3 ]]; then
  "$root/tests/aws/s3rver_fixture.sh" start "$work/s3rver"
  if [[ -f "$work/s3rver/unavailable" ]]; then cat "$work/s3rver/unavailable" >&2; exit 1; fi
  environment+=(S3_BUCKET=live2-test AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
                AWS_ENDPOINT_URL_S3="$(cat "$work/s3rver/endpoint")" AWS_CONFIG_FILE=/dev/null
                AWS_SHARED_CREDENTIALS_FILE=/dev/null)
fi

env "${environment[@]}" "$build/bin/live2-sim" run --params "$work/params.json" --out "$work/out" \
  --threads "$threads" > "$work/stdout.txt" 2> "$work/stderr.txt" &
worker_pid=$!
step_of_progress() {
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['step'])" "$work/out/progress.json" 2>/dev/null || echo -1
}
while (( $(step_of_progress) < 1 )); do
  kill -0 "$worker_pid" 2>/dev/null || { cat "$work/stderr.txt" >&2; exit 1; }
  sleep 0.2
done

load_average=$(cut -d' ' -f1 /proc/loadavg)
sigterm=$(date +%s.%N)
kill -TERM "$worker_pid"
set +e
wait "$worker_pid"
code=$?
set -e
worker_pid=
exited=$(date +%s.%N)

if [[ "$sink" == s3 ]]; then
  objects="$work/s3rver/data/live2-test/prod/bench/bench_spot"
  checkpoint_bytes=$(find "$objects/checkpoint" -name 'state.bin._S3rver_object' -printf '%s')
  results_bytes=$(find "$objects" -maxdepth 1 -name 'results.h5._S3rver_object' -printf '%s')
else
  checkpoint_bytes=$(stat -c %s "$work/out/checkpoint/state.bin")
  results_bytes=$(stat -c %s "$work/out/results.h5")
fi
python3 - "$atoms" "$sink" "$code" "$sigterm" "$exited" "$checkpoint_bytes" "$results_bytes" "$budget_seconds" \
  "$load_average" <<'PY'
import json, sys
atoms, sink, code, sigterm, exited, checkpoint, results, budget, load = sys.argv[1:]
seconds = float(exited) - float(sigterm)
print(json.dumps({"atoms": int(atoms), "sink": sink, "exit_code": int(code), "sigterm_to_exit_seconds": round(seconds, 2),
                  "checkpoint_bytes": int(checkpoint), "checkpoint_bytes_per_atom": round(int(checkpoint) / int(atoms), 1),
                  "results_bytes": int(results), "budget_seconds": int(budget),
                  "ratio_to_budget": round(seconds / float(budget), 3), "load_average_1m": float(load)}))
PY
grep -E 'stop requested|interrupted' "$work/out/simulation.log" | sed 's/^/  log: /'
