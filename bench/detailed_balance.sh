#!/usr/bin/env bash
# The longer physics runs behind the DetailedBalance.* tests (docs/simulation.md, "Reactions"):
#  1. 2 H <-> H2 (pure hydrogen, 2000 atoms, density 0.01, dt 0.01 (dt_fs 0.8), 3000 time units per point) at 280-360 K:
#     K = rho_H2 / rho_H^2 measured (block average over the last 80 %) against K = pi r0 sqrt(2 pi kT / k) exp(D / kT),
#     and the van 't Hoff slope d ln K / d(-1/kT) fitted over the points against D - <kT>/2.
#  2. Break rate per unit time of the default run over 100 time units at dt 0.005, 0.0025 and 0.00125 (model time
#     units of 80 fs; dt_fs 0.4, 0.2, 0.1).
# Usage: bench/detailed_balance.sh [BUILD_DIR] [THREADS]      (about 10 minutes on one idle core)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
threads=${2:-1}
live2_sim=$build/bin/live2-sim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for kelvin in 280 300 330 360; do
  cat > "$work/k-$kelvin.json" <<JSON
{"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 2000, "composition": {"H": 1},
  "density": 0.01, "dt_fs": 0.8, "steps": 300000, "attempt_rate": 100, "barrier_scale": 0, "temperature": $kelvin,
  "analysis_interval": 500, "snapshot_interval": 300000}}}
JSON
  "$live2_sim" run --params "$work/k-$kelvin.json" --out "$work/k-$kelvin" --threads "$threads" > /dev/null 2>&1
done
for dt in 0.005 0.0025 0.00125; do
  steps=$(python3 -c "print(round(100 / $dt))")
  cat > "$work/rate-$dt.json" <<JSON
{"simulation_config": {"mode": "open_chemistry", "config": {"dt_fs": $(python3 -c "print($dt * 80)"), "steps": $steps,
  "analysis_interval": $(python3 -c "print(round(0.5 / $dt))"), "snapshot_interval": $steps}}}
JSON
  "$live2_sim" run --params "$work/rate-$dt.json" --out "$work/rate-$dt" --threads "$threads" > /dev/null 2>&1
done

python3 - "$work" <<'PY'
import csv, math, sys
work = sys.argv[1]
D, r0, k, N, density = 5.81, 0.8, 400.0, 2000, 0.01
area = N / density

def block(samples, blocks=10):
    per = len(samples) // blocks
    means = [sum(samples[b * per:(b + 1) * per]) / per for b in range(blocks)]
    m = sum(means) / blocks
    return m, math.sqrt(sum((x - m) ** 2 for x in means) / (blocks * (blocks - 1)))

points = []
print("2 H <-> H2: K = rho_H2 / rho_H^2")
for kelvin in (280, 300, 330, 360):
    kT = kelvin / 300
    rows = list(csv.DictReader(open(f"{work}/k-{kelvin}/metrics.csv")))
    samples = []
    for r in rows[len(rows) // 5:]:
        dimers = int(r["n_bonds"])
        atoms = N - 2 * dimers
        samples.append((dimers / area) / (atoms / area) ** 2)
    K, err = block(samples)
    predicted = math.pi * r0 * math.sqrt(2 * math.pi * kT / k) * math.exp(D / kT)
    points.append((1 / kT, math.log(K), kT))
    print(f"  {kelvin} K (beta D {D / kT:.2f}): measured {K:8.2f} +- {err:5.2f}, predicted {predicted:8.2f}, "
          f"ratio {K / predicted:.3f}")
n = len(points)
mx = sum(p[0] for p in points) / n
my = sum(p[1] for p in points) / n
slope = sum((p[0] - mx) * (p[1] - my) for p in points) / sum((p[0] - mx) ** 2 for p in points)
mean_kT = sum(p[2] for p in points) / n
print(f"  van 't Hoff slope d ln K / d(1/kT) = {slope:.3f}; D - <kT>/2 = {D - mean_kT / 2:.3f}; D = {D}")

print("break rate per unit time, default run, 100 time units (after the first 10)")
for dt in ("0.005", "0.0025", "0.00125"):
    rows = list(csv.DictReader(open(f"{work}/rate-{dt}/metrics.csv")))
    rates = [int(r["bonds_broken"]) / 0.5 for r in rows if float(r["time"]) > 10.0 + 1e-9]
    rate, err = block(rates)
    print(f"  dt {dt:8s}: {rate:7.1f} +- {err:4.1f} breaks per unit time")
PY
