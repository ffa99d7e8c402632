#!/bin/sh
# A stand-in for live2-sim in process tests: same command line (`run --out DIR --threads N`), same environment
# (JOB_ID, JOB_PARAMS, AWS_BATCH_JOB_ATTEMPT), same exit codes and files, but no physics. Knobs in JOB_PARAMS:
#   "steps": N (default 20), "step_ms": M (default 20), "exit_code": C (exit with C at once, message on stderr),
#   "checkpoint_ms": D (time SIGTERM handling takes, default 0), "ignore_sigterm": true.
# Writes progress.json and checkpoint/state.bin atomically, appends to simulation.log, resumes from the checkpoint,
# exits 75 after checkpointing on SIGTERM, writes metadata.json last and exits 0. Holds an flock on DIR/.lock
# (exit 1 if another worker has it) and records "start <attempt>"/"end <attempt>" lines in DIR/.attempts.
set -u
number_param() {
  value=$(printf '%s' "$JOB_PARAMS" | sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p")
  echo "${value:-$2}"
}

terminated=0
if printf '%s' "$JOB_PARAMS" | grep -q '"ignore_sigterm": *true'; then
  trap '' TERM
else
  trap 'terminated=1' TERM
fi

[ "${1:-}" = run ] || { echo "usage: $0 run --out DIR --threads N" >&2; exit 64; }
shift
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --threads) shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 64 ;;
  esac
done
[ -n "$out" ] || { echo "--out is required" >&2; exit 64; }

exit_code=$(number_param exit_code "")
if [ -n "$exit_code" ]; then
  echo "fake worker told to exit with $exit_code" >&2
  exit "$exit_code"
fi
steps=$(number_param steps 20)
step_seconds=$(awk "BEGIN { print $(number_param step_ms 20) / 1000 }")
checkpoint_seconds=$(awk "BEGIN { print $(number_param checkpoint_ms 0) / 1000 }")
attempt="${AWS_BATCH_JOB_ATTEMPT:-1}"

mkdir -p "$out/checkpoint"
exec 9>"$out/.lock"
flock -n 9 || { echo "another worker holds $out" >&2; exit 1; }
echo "start $attempt" >> "$out/.attempts"

write_atomically() {  # file content
  printf '%s\n' "$2" > "$1.tmp" && mv "$1.tmp" "$1"
}

step=0
[ -f "$out/checkpoint/state.bin" ] && step=$(cat "$out/checkpoint/state.bin")
echo "attempt $attempt of job ${JOB_ID:-?} starts at step $step of $steps" >> "$out/simulation.log"

while [ "$step" -lt "$steps" ]; do
  if [ "$terminated" = 1 ]; then
    sleep "$checkpoint_seconds"
    write_atomically "$out/checkpoint/state.bin" "$step"
    echo "interrupted at step $step; checkpoint written" >> "$out/simulation.log"
    echo "end $attempt" >> "$out/.attempts"
    exit 75
  fi
  sleep "$step_seconds"
  step=$((step + 1))
  write_atomically "$out/progress.json" \
    "{\"step\": $step, \"steps\": $steps, \"progress\": $(awk "BEGIN { print $step / $steps }"), \"eta_seconds\": $((steps - step)), \"attempt\": $attempt}"
  write_atomically "$out/checkpoint/state.bin" "$step"
  echo "step $step of $steps" >> "$out/simulation.log"
done

echo "finished" >> "$out/simulation.log"
echo "end $attempt" >> "$out/.attempts"
write_atomically "$out/metadata.json" "{\"job_id\": \"${JOB_ID:-}\", \"attempt\": $attempt, \"exit_status\": 0}"
exit 0
