#!/usr/bin/python3
"""The validation plots of docs/simulation.md ("Validation"), from real runs of the worker.

Runs `live2-sim run` on the default open_chemistry run (1,000 atoms, 50,000 steps of 0.8 fs) at 300 K and the same
at 600 K,
then draws from their artifacts:
  validation-temperature.png  measured temperature against time, with the bath temperature
  validation-species.png      counts of the eight most abundant species of the 300 K run against time
  validation-radicals.png     the fraction of molecules with an odd number of electrons against time (a molecule's
                              valences summed: an odd sum leaves an unpaired electron whatever the bond orders)
  validation-radical-relaxation.png
                              the same fraction over 250,000 steps (5 times the default run) at 300 K for the
                              chemistry scales 1/30, 1/15 and the default 1/10: where it levels off (the equilibrium
                              of each scale) and how fast (docs/simulation.md, "Why the defaults")
and prints the numbers the page quotes (final odd-electron fraction, and with h5py the share of 3-membered rings
among all rings, counted as triangles over the cyclomatic number of the last snapshot's bond graph).

Needs python3-matplotlib (python3-h5py optional). Usage: bench/validation_plots.py [BUILD_DIR] [OUT_DIR]
(defaults: build, docs/img).
"""
import os
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from odd_electron import metrics, odd_electron_fraction_by_step, run, species_counts  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DT_PS = 0.0008  # the default dt_fs 0.8
DEFAULT_STEPS = 50000


def three_ring_share(out):
    try:
        import h5py
    except ImportError:
        return None
    with h5py.File(os.path.join(out, "results.h5"), "r") as f:
        last = sorted(f["snapshots"].keys())[-1]
        bonds = f["snapshots"][last]["bonds"][:]
        atoms = len(f["snapshots"][last]["types"])
    neighbours = [set() for _ in range(atoms)]
    for a, b in bonds:
        neighbours[a].add(int(b))
        neighbours[b].add(int(a))
    triangles = sum(1 for a, b in bonds for c in neighbours[a] & neighbours[b] if c > max(a, b))
    # Independent rings: bonds - atoms + components, over atoms that have bonds.
    seen, components = set(), 0
    for start in range(atoms):
        if start in seen or not neighbours[start]:
            continue
        components += 1
        stack = [start]
        seen.add(start)
        while stack:
            for nxt in neighbours[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
    rings = len(bonds) - len(seen) + components
    return triangles, rings


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "img")
    os.makedirs(out_dir, exist_ok=True)
    live2_sim = os.path.join(build, "bin", "live2-sim")
    with tempfile.TemporaryDirectory() as work:
        runs = {kelvin: run(live2_sim, work, "t%d" % kelvin, {"temperature": kelvin}) for kelvin in (300, 600)}

        plt.figure(figsize=(6, 3.5))
        for kelvin, out in runs.items():
            rows = metrics(out)
            plt.plot([int(r["step"]) * DEFAULT_DT_PS for r in rows], [float(r["temperature"]) for r in rows],
                     label="measured, bath %d K" % kelvin)
            plt.axhline(kelvin, color="grey", linewidth=0.8, linestyle="--")
        plt.xlabel("time (ps)")
        plt.ylabel("temperature (K)")
        plt.legend()
        plt.tight_layout()
        plt.savefig(os.path.join(out_dir, "validation-temperature.png"), dpi=100)
        plt.close()

        rows = species_counts(runs[300])
        final_step = max(int(r["step"]) for r in rows)
        final = sorted(((int(r["count"]), r["key"]) for r in rows if int(r["step"]) == final_step), reverse=True)[:8]
        plt.figure(figsize=(6, 3.5))
        for _, key in final:
            series = [(int(r["step"]), int(r["count"])) for r in rows if r["key"] == key]
            plt.plot([s * DEFAULT_DT_PS for s, _ in series], [n for _, n in series], label=key.split("#")[0])
        plt.xlabel("time (ps)")
        plt.ylabel("molecules")
        plt.legend(fontsize=7, ncol=2)
        plt.tight_layout()
        plt.savefig(os.path.join(out_dir, "validation-species.png"), dpi=100)
        plt.close()

        plt.figure(figsize=(6, 3.5))
        for kelvin, out in runs.items():
            fractions = odd_electron_fraction_by_step(species_counts(out))
            plt.plot([s * DEFAULT_DT_PS for s, _ in fractions], [f for _, f in fractions], label="%d K" % kelvin)
            print("odd-electron molecules at the end, %d K: %.1f %%" % (kelvin, 100 * fractions[-1][1]))
        plt.axhline(0.15, color="grey", linewidth=0.8, linestyle="--", label="issue 15 target")
        plt.xlabel("time (ps)")
        plt.ylabel("odd-electron fraction")
        plt.ylim(0, 1)
        plt.legend()
        plt.tight_layout()
        plt.savefig(os.path.join(out_dir, "validation-radicals.png"), dpi=100)
        plt.close()

        long_steps = 5 * DEFAULT_STEPS
        long_runs = [("scale 1/30", {"steps": long_steps, "chemistry_scale": 1 / 30}),
                     ("scale 1/15", {"steps": long_steps, "chemistry_scale": 1 / 15}),
                     ("scale 1/10 (default)", {"steps": long_steps})]
        plt.figure(figsize=(6, 3.5))
        for index, (label, config) in enumerate(long_runs):
            fractions = odd_electron_fraction_by_step(species_counts(run(live2_sim, work, "long%d" % index, config)))
            plt.plot([s * DEFAULT_DT_PS for s, _ in fractions], [f for _, f in fractions], label=label, linewidth=0.9)
            at_default_end = next(f for s, f in fractions if s >= DEFAULT_STEPS)
            tail = [f for s, f in fractions if s > 0.8 * long_steps]
            print("odd-electron molecules, %s: %.1f %% at step %d, %.1f %% averaged over the last fifth of %d steps"
                  % (label, 100 * at_default_end, DEFAULT_STEPS, 100 * sum(tail) / len(tail), long_steps))
        plt.axvline(DEFAULT_STEPS * DEFAULT_DT_PS, color="grey", linewidth=0.8, linestyle=":", label="end of default run")
        plt.axhline(0.15, color="grey", linewidth=0.8, linestyle="--", label="issue 15 target")
        plt.xscale("log")
        plt.xlabel("time (ps)")
        plt.ylabel("odd-electron fraction")
        plt.ylim(0, 0.8)
        plt.legend(fontsize=7)
        plt.tight_layout()
        plt.savefig(os.path.join(out_dir, "validation-radical-relaxation.png"), dpi=100)
        plt.close()

        rings = three_ring_share(runs[300])
        if rings:
            triangles, total = rings
            print("3-membered rings at the end, 300 K: %d of %d rings (%.1f %%)"
                  % (triangles, total, 100.0 * triangles / max(1, total)))


if __name__ == "__main__":
    main()
