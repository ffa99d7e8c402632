#!/usr/bin/env bash
# What the reaction moves cost, apart from the molecules they make (docs/simulation.md, "Cost of the chemistry").
# bench/reactive_cost.sh compares the default reactive run with free atoms (reactions: false). That ratio holds two
# costs: the moves (the sweeps) and the physics of molecules (bond and angle terms, denser neighbour lists), which
# free atoms never pay. This separates them, with the whole worker (`live2-sim run`), 1,000 atoms x 50,000 steps:
#   - free atoms: open_chemistry, reactions false (the bar's reference);
#   - frozen molecules: preset_prebiotic (1,000 atoms already in H2O, CH4, NH3 and H2: about as many bonds as the
#     default run ends with), energy sources off, reactions false: molecules and no moves at all;
#   - the same molecules reacting: as above with reactions true (the default attempt rate): the moves on molecules
#     that exist from the first step, against the run just above, the only difference the `reactions` switch;
#   - the default run at attempt rates 2, 5, 10 and 20 (the default): the sweeps' cost is proportional to the rate,
#     so a line through the four points gives the run's cost at rate 0, its molecules without moves.
# Each case runs REPEATS times, interleaved; the best wall and CPU (user + sys) time of each is printed with its ratio
# to free atoms.
# Usage: bench/moves_cost.sh [BUILD_DIR] [THREADS] [REPEATS]
set -euo pipefail
# shellcheck source=bench/timed_runs.sh
source "$(dirname "$0")/timed_runs.sh"
timed_runs_setup "$@"

params() {  # NAME MODE CONFIG-FIELDS
  cat > "$work/$1.json" <<JSON
{"simulation_config": {"mode": "$2", "config": {"num_particles": 1000, "steps": 50000, $3}}}
JSON
}
params free open_chemistry '"reactions": false'
params frozen preset_prebiotic '"reactions": false, "energy_sources": []'
params reacting preset_prebiotic '"reactions": true, "energy_sources": []'
rates=(2 5 10 20)
for rate in "${rates[@]}"; do params "rate$rate" open_chemistry "\"reactions\": true, \"attempt_rate\": $rate"; done
cases=(free frozen reacting "${rates[@]/#/rate}")

for ((r = 0; r < repeats; r++)); do
  for name in "${cases[@]}"; do timed_run "$name" "$r"; done
done
for name in "${cases[@]}"; do echo "$name $(best_times "$name")"; done > "$work/best"

python3 - "$work/best" "$repeats" "$threads" "${rates[@]}" <<'PY'
import sys
best_of, repeats, threads, rates = sys.argv[1], sys.argv[2], sys.argv[3], [int(r) for r in sys.argv[4:]]
best = {name: (float(wall), float(cpu)) for name, wall, cpu in (line.split() for line in open(best_of))}
free = best["free"]
print(f"1,000 atoms x 50,000 steps, {threads} threads, best of {repeats} (wall s, CPU s, ratio to free atoms)")
def show(label, t):
    print(f"  {label:<40} {t[0]:6.2f} {t[1]:6.2f}   wall {t[0] / free[0]:.2f}x  CPU {t[1] / free[1]:.2f}x")
show("free atoms (reactions: false)", free)
show("frozen molecules (preset, no moves)", best["frozen"])
show("the same molecules reacting", best["reacting"])
series = [best[f"rate{rate}"] for rate in rates]
for rate, t in zip(rates, series):
    show(f"default run, attempt_rate {rate}", t)
# Least squares t = a + b * rate, for wall and CPU: a is the run without moves, b * 20 what the default rate's moves add.
def fit(values):
    mean_x, mean_y = sum(rates) / len(rates), sum(values) / len(values)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(rates, values)) / sum((x - mean_x) ** 2 for x in rates)
    return mean_y - slope * mean_x, slope
(wall_a, wall_b), (cpu_a, cpu_b) = fit([t[0] for t in series]), fit([t[1] for t in series])
show("default run at attempt_rate 0 (the line)", (wall_a, cpu_a))
print(f"  the moves at attempt_rate 20 add {20 * wall_b:.2f} s wall, {20 * cpu_b:.2f} s CPU: the default run costs "
      f"{(wall_a + 20 * wall_b) / wall_a:.2f}x wall, {(cpu_a + 20 * cpu_b) / cpu_a:.2f}x CPU its molecules without moves")
frozen, reacting = best["frozen"], best["reacting"]
print(f"  the moves on the preset's molecules: {reacting[0] / frozen[0]:.2f}x wall, {reacting[1] / frozen[1]:.2f}x CPU "
      "the same run with reactions: false")
print("The moves' bar (docs/simulation.md, 'The bar'): both ratios of the moves at most 1.5x.")
PY
