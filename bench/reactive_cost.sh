#!/usr/bin/env bash
# What the chemistry costs in all: the reactive run against the same run with reactions: false, i.e. free atoms.
# Issue 14 bounded this at 1.5x; since issue 15 it is a reported figure and the bound is on the moves alone
# (bench/moves_cost.sh; docs/simulation.md, "Cost of the chemistry"). Runs `live2-sim run` (the whole worker: engine,
# analyses, artifacts) with reactions true and false for two sizes -- the default run (1,000 atoms, 50,000 steps) and
# 10,000 atoms x 2,000 steps -- REPEATS times each, interleaved, and prints the best wall and CPU (user + sys) time of
# each and their ratios.
# Usage: bench/reactive_cost.sh [BUILD_DIR] [THREADS] [REPEATS]
set -euo pipefail
# shellcheck source=bench/timed_runs.sh
source "$(dirname "$0")/timed_runs.sh"
timed_runs_setup "$@"

for size in "1000 50000" "10000 2000"; do
  read -r atoms steps <<< "$size"
  for reactions in true false; do
    cat > "$work/$reactions.json" <<JSON
{"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": $atoms, "steps": $steps,
  "reactions": $reactions}}}
JSON
  done
  for ((r = 0; r < repeats; r++)); do
    for reactions in true false; do timed_run "$reactions" "$r"; done
  done
  read -r on_wall on_cpu < <(best_times true)
  read -r off_wall off_cpu < <(best_times false)
  awk -v atoms="$atoms" -v steps="$steps" -v threads="$threads" -v repeats="$repeats" \
    -v on_wall="$on_wall" -v on_cpu="$on_cpu" -v off_wall="$off_wall" -v off_cpu="$off_cpu" 'BEGIN {
      printf "%s atoms x %s steps, %s threads, best of %s: reactions on %.2f s wall / %.2f s CPU, off %.2f s / %.2f s; ",
        atoms, steps, threads, repeats, on_wall, on_cpu, off_wall, off_cpu
      printf "ratio wall %.2fx, CPU %.2fx\n", on_wall / off_wall, on_cpu / off_cpu
    }'
done
