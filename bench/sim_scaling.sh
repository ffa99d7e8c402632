#!/usr/bin/env bash
# Simulation engine scaling, memory and chemistry overhead (docs/benchmarks.md, "Simulation engine").
#  1. Physics only (`live2-sim bench lj`) from 1,000 to 1,000,000 atoms at a fixed amount of work per point:
#     particle-steps/s by wall clock (flat = time per step linear in N), by CPU time (user + sys of the whole
#     process, setup included; robust on a shared machine), and peak RSS per atom (/usr/bin/time -v).
#  2. Chemistry overhead: the default open_chemistry run at 10,000 atoms with reactions on vs off, same output
#     settings, rate from summary.json.
# Usage: bench/sim_scaling.sh [BUILD_DIR] [THREADS]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
threads=${2:-2}
live2_sim=$build/bin/live2-sim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "physics only, $threads threads"
printf '%10s %8s %16s %16s %10s %9s\n' atoms steps wall_p-steps/s cpu_p-steps/s peak_MB KB/atom
for atoms in 1000 10000 100000 1000000; do
  steps=$((40000000 / atoms))
  ((steps < 40)) && steps=40
  /usr/bin/time -v -o "$work/time.txt" "$live2_sim" bench lj --atoms "$atoms" --steps "$steps" --threads "$threads" \
    --json > "$work/lj.json"
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  rate=$(python3 -c "import json,sys; print('%.4g' % json.load(open(sys.argv[1]))['particle_steps_per_second'])" \
    "$work/lj.json")
  cpu_s=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/time.txt")
  printf '%10d %8d %16s %16.4g %10.1f %9.3f\n' "$atoms" "$steps" "$rate" "$(echo "$atoms * $steps / $cpu_s" | bc -l)" \
    "$(echo "$rss_kb / 1024" | bc -l)" "$(echo "$rss_kb / $atoms" | bc -l)"
done

echo
echo "chemistry overhead: default open_chemistry, 10,000 atoms, 2,000 steps, $threads threads"
for reactions in false true; do
  cat > "$work/params.json" <<JSON
{"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 10000, "steps": 2000,
  "reactions": $reactions, "snapshot_interval": 2000, "analysis_interval": 500}}}
JSON
  "$live2_sim" run --params "$work/params.json" --out "$work/run-$reactions" \
    --threads "$threads" > /dev/null 2>&1
  python3 - "$work/run-$reactions/summary.json" "$reactions" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"reactions={sys.argv[2]:5s}: {s['particle_steps_per_second']:.4g} particle-steps/s, "
      f"{s['runtime_seconds']:.2f} s, bonds at end {s['final_metrics']['n_bonds']}")
PY
done
python3 - "$work/run-false/summary.json" "$work/run-true/summary.json" <<'PY'
import json, sys
off, on = (json.load(open(p))["runtime_seconds"] for p in sys.argv[1:])
print(f"chemistry overhead (time on / time off): {on / off:.2f}x")
PY
