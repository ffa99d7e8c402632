#!/usr/bin/env bash
# Compares the live2 physics core with LAMMPS on the system of bench/in.lj2d (10,000 LJ atoms, 2-D, density
# 0.7, cut 2.5 shifted, skin 0.3, dt 0.005, Langevin T = 1, 2000 steps) on 2 cores, back to back in one go.
# Prints both rates in particle-steps/s, their ratio and both state points (PE/atom, T, virial pressure).
# Usage: bench/lj_vs_lammps.sh [BUILD_DIR] [IN_LJ2D]    (needs: lammps, openmpi-bin; scripts/install-deps.sh --bench)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
input=${2:-$root/bench/in.lj2d}
live2_sim=$build/bin/live2-sim
threads=2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Same physics as ours: LAMMPS's lj/cut is unshifted unless told.
sed 's/^pair_coeff.*/&\npair_modify shift yes/' "$input" > "$work/in.lj2d"

ours=$("$live2_sim" bench lj --atoms 10000 --steps 2000 --threads "$threads" --json)
lammps_log=$(cd "$work" && mpirun --allow-run-as-root -np "$threads" lmp -sf opt -in in.lj2d -log none 2>&1)

python3 - "$ours" "$lammps_log" <<'PY'
import json, re, sys
ours = json.loads(sys.argv[1])
log = sys.argv[2]
steps_per_s = float(re.search(r"([\d.]+) timesteps/s", log).group(1))
lammps_rate = 10000 * steps_per_s
# Thermo rows "Step Temp E_pair ..." after step 1000 (second half), as ours averages.
rows = [l.split() for l in log.splitlines() if re.match(r"^\s+\d+\s+[-\d.]", l)]
half = [r for r in rows if int(r[0]) > 1000]
lammps_T = sum(float(r[1]) for r in half) / len(half)
lammps_pe = sum(float(r[2]) for r in half) / len(half)
lammps_p = sum(float(r[5]) for r in half) / len(half)  # thermo style one: Step Temp E_pair E_mol TotEng Press
rate = ours["particle_steps_per_second"]
print(f"live2-sim bench lj : {rate:12.4g} particle-steps/s  ({ours['threads']} threads, {ours['seconds']:.2f} s)")
print(f"LAMMPS -sf opt np 2: {lammps_rate:12.4g} particle-steps/s  ({steps_per_s:.1f} timesteps/s)")
print(f"ratio live2/LAMMPS : {rate / lammps_rate:12.2f}")
print(f"PE/atom  live2 {ours['potential_energy_per_atom']:.4f} +- {ours['potential_energy_stderr']:.4f}   "
      f"LAMMPS {lammps_pe:.4f} (thermo rows of the second half)")
print(f"T        live2 {ours['temperature']:.4f} +- {ours['temperature_stderr']:.4f}   LAMMPS {lammps_T:.4f}")
print(f"P        live2 {ours['pressure']:.4f} +- {ours['pressure_stderr']:.4f}   LAMMPS {lammps_p:.4f}")
PY
