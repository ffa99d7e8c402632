#!/usr/bin/env bash
# Cost of the reaction moves (issue 14's performance bound: the default reactive run costs at most 1.5x the same run
# with reactions: false). Runs `live2-sim run` (the whole worker: engine, analyses, artifacts) with reactions true
# and false for two sizes -- the default run (1,000 atoms, 50,000 steps) and 10,000 atoms x 2,000 steps -- REPEATS
# times each, interleaved, and prints the best wall and CPU (user + sys) time of each and their ratios. Best-of-n
# because the machine is shared: a slower repeat measures the neighbours, not us.
# Usage: bench/reactive_cost.sh [BUILD_DIR] [THREADS] [REPEATS]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
threads=${2:-2}
repeats=${3:-3}
live2_sim=$build/bin/live2-sim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for size in "1000 50000" "10000 2000"; do
  read -r atoms steps <<< "$size"
  for reactions in true false; do
    cat > "$work/params-$reactions.json" <<JSON
{"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": $atoms, "steps": $steps,
  "reactions": $reactions}}}
JSON
  done
  for ((r = 0; r < repeats; r++)); do
    for reactions in true false; do
      rm -rf "$work/out"
      /usr/bin/time -f '%e %U %S' -o "$work/time-$reactions-$r" \
        "$live2_sim" run --params "$work/params-$reactions.json" --out "$work/out" --threads "$threads" > /dev/null 2>&1
    done
  done
  python3 - "$work" "$repeats" "$atoms" "$steps" "$threads" <<'PY'
import sys
work, repeats, atoms, steps, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
best = {}
for reactions in ("true", "false"):
    rows = [list(map(float, open(f"{work}/time-{reactions}-{r}").read().split())) for r in range(repeats)]
    best[reactions] = (min(w for w, _, _ in rows), min(u + s for _, u, s in rows))
on, off = best["true"], best["false"]
print(f"{atoms} atoms x {steps} steps, {threads} threads, best of {repeats}: "
      f"reactions on {on[0]:.2f} s wall / {on[1]:.2f} s CPU, off {off[0]:.2f} s / {off[1]:.2f} s; "
      f"ratio wall {on[0] / off[0]:.2f}x, CPU {on[1] / off[1]:.2f}x")
PY
done
