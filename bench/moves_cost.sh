#!/usr/bin/env bash
# What the reaction moves cost, apart from the molecules they make (docs/simulation.md, "Cost of the chemistry").
# bench/reactive_cost.sh compares the default reactive run with free atoms (reactions: false). That ratio holds two
# costs: the moves (the sweeps) and the physics of molecules (bond and angle terms, denser neighbour lists), which
# free atoms never pay. This separates them, with the whole worker (`live2-sim run`), 1,000 atoms x 50,000 steps:
#   - free atoms: open_chemistry, reactions false (the bar's reference);
#   - frozen molecules: preset_prebiotic (1,000 atoms already in H2O, CH4, NH3 and H2: about as many bonds as the
#     default run ends with), energy sources off, reactions false: molecules and no moves at all;
#   - the default run at attempt rates 2, 5, 10 and 20 (the default): the sweeps' cost is proportional to the rate,
#     so a line through the four points gives the run's cost at rate 0, its molecules without moves.
# Each case runs REPEATS times, interleaved; the best wall and CPU (user + sys) time of each is printed with its ratio
# to free atoms. Best-of-n because the machine is shared: a slower repeat measures the neighbours, not us.
# Usage: bench/moves_cost.sh [BUILD_DIR] [THREADS] [REPEATS]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
threads=${2:-2}
repeats=${3:-3}
live2_sim=$build/bin/live2-sim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

params() {  # NAME MODE CONFIG-FIELDS
  cat > "$work/$1.json" <<JSON
{"simulation_config": {"mode": "$2", "config": {"num_particles": 1000, "steps": 50000, $3}}}
JSON
}
params free open_chemistry '"reactions": false'
params frozen preset_prebiotic '"reactions": false, "energy_sources": []'
rates=(2 5 10 20)
for rate in "${rates[@]}"; do params "rate$rate" open_chemistry "\"reactions\": true, \"attempt_rate\": $rate"; done
cases=(free frozen "${rates[@]/#/rate}")

for ((r = 0; r < repeats; r++)); do
  for name in "${cases[@]}"; do
    rm -rf "$work/out"
    /usr/bin/time -f '%e %U %S' -o "$work/time-$name-$r" \
      "$live2_sim" run --params "$work/$name.json" --out "$work/out" --threads "$threads" > /dev/null 2>&1
  done
done

python3 - "$work" "$repeats" "$threads" "${rates[@]}" <<'PY'
import sys
work, repeats, threads, rates = sys.argv[1], int(sys.argv[2]), sys.argv[3], [int(r) for r in sys.argv[4:]]
def best(name):
    rows = [list(map(float, open(f"{work}/time-{name}-{r}").read().split())) for r in range(repeats)]
    return min(w for w, _, _ in rows), min(u + s for _, u, s in rows)
free = best("free")
print(f"1,000 atoms x 50,000 steps, {threads} threads, best of {repeats} (wall s, CPU s, ratio to free atoms)")
def show(label, t):
    print(f"  {label:<40} {t[0]:6.2f} {t[1]:6.2f}   wall {t[0] / free[0]:.2f}x  CPU {t[1] / free[1]:.2f}x")
show("free atoms (reactions: false)", free)
show("frozen molecules (preset, no moves)", best("frozen"))
series = [best(f"rate{rate}") for rate in rates]
for rate, t in zip(rates, series):
    show(f"default run, attempt_rate {rate}", t)
# Least squares t = a + b * rate, for wall and CPU: a is the run without moves, b * 20 what the default rate's moves add.
def fit(values):
    n, mean_x, mean_y = len(rates), sum(rates) / len(rates), sum(values) / len(values)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(rates, values)) / sum((x - mean_x) ** 2 for x in rates)
    return mean_y - slope * mean_x, slope
(wall_a, wall_b), (cpu_a, cpu_b) = fit([t[0] for t in series]), fit([t[1] for t in series])
show("default run at attempt_rate 0 (the line)", (wall_a, cpu_a))
print(f"  the moves at attempt_rate 20 add {20 * wall_b:.2f} s wall, {20 * cpu_b:.2f} s CPU: the default run costs "
      f"{(wall_a + 20 * wall_b) / wall_a:.2f}x wall, {(cpu_a + 20 * cpu_b) / cpu_a:.2f}x CPU its molecules without moves")
PY
