# shellcheck shell=bash
# Sourced by the benches that time whole `live2-sim run`s (reactive_cost.sh, moves_cost.sh): their common arguments
# [BUILD_DIR] [THREADS] [REPEATS], a scratch directory removed on exit, and the best-of-n timing of interleaved runs.
# Best-of-n because the machine is shared: a slower repeat measures the neighbours, not us.
#   timed_runs_setup "$@"  sets root, build, threads, repeats, live2_sim and work
#   timed_run NAME R       runs $work/NAME.json (params) on $threads threads; repeat R's time in $work/time-NAME-R
#   best_times NAME        prints the best wall and the best CPU (user + sys) seconds of NAME's repeats

timed_runs_setup() {
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  build=${1:-$root/build}
  threads=${2:-2}
  repeats=${3:-3}
  live2_sim=$build/bin/live2-sim
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
}

timed_run() {
  rm -rf "$work/out"
  /usr/bin/time -f '%e %U %S' -o "$work/time-$1-$2" \
    "$live2_sim" run --params "$work/$1.json" --out "$work/out" --threads "$threads" > /dev/null 2>&1
}

best_times() {
  local r
  for ((r = 0; r < repeats; r++)); do cat "$work/time-$1-$r"; done |
    awk 'NR == 1 || $1 < wall { wall = $1 } NR == 1 || $2 + $3 < cpu { cpu = $2 + $3 } END { print wall, cpu }'
}
