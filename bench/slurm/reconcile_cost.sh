#!/usr/bin/env bash
# Reconcile cost of the Slurm executor with JOBS live2 jobs (1,000 by default) in a real one-node Slurm cluster's
# queue (tests/slurm/slurm_fixture.sh, its own in a temp dir; needs root and slurm-wlm): one cycle against the one
# `squeue --json` it makes, interleaved, as a ratio (docs/benchmarks.md). Prints one JSON object; exits 2 when a
# cycle made more than one Slurm call.
# With MODE `array`, the JOBS are the runs of one dataset, queued as one job array (docs/slurm.md, "Datasets").
#   bench/slurm/reconcile_cost.sh [BUILD_DIR] [JOBS] [ROUNDS] [jobs|array]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
jobs="${2:-1000}"
rounds="${3:-20}"
mode="${4:-jobs}"
work="$(mktemp -d)"
state="$work/cluster"
chmod 755 "$work"  # munged runs as the munge user and must reach its files below it
trap '"$root/tests/slurm/slurm_fixture.sh" stop "$state" > /dev/null; rm -rf "$work"' EXIT
"$root/tests/slurm/slurm_fixture.sh" start "$state" > "$work/fixture.log" 2>&1 || { cat "$work/fixture.log" >&2; exit 1; }
if [[ -f "$state/unavailable" ]]; then cat "$state/unavailable" >&2; exit 1; fi
export SLURM_CONF="$state/slurm.conf"
# The stand-in worker only waits: the cost measured is the server's, not the simulation's.
printf '#!/bin/sh\nexec sleep 3600\n' > "$work/worker.sh"
chmod +x "$work/worker.sh"
"$build/bin/live2-bench-slurm-reconcile" --work "$work" --worker "$work/worker.sh" --jobs "$jobs" --rounds "$rounds" \
  $([[ "$mode" == array ]] && echo --array)
