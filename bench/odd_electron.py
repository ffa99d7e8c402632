#!/usr/bin/python3
"""The share of odd-electron molecules at the end of live2-sim runs, seed by seed (docs/simulation.md, "Why the
defaults"). A molecule (two or more atoms, as species_counts.csv lists them) is odd-electron when its valences sum to
an odd number: it has an unpaired electron whatever its bond orders.

Usage: bench/odd_electron.py BUILD_DIR CONFIG_JSON SEED...
  e.g. bench/odd_electron.py build '{"steps": 30000, "dt_fs": 0.4}' 1 2 3 4 5 6
CONFIG_JSON holds simulation_config.config fields over the defaults (open_chemistry). Prints each seed's fraction
and bonds broken, then the range and mean. Also the helpers bench/validation_plots.py draws with.
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

VALENCE = {"H": 1, "C": 4, "N": 3, "O": 2, "P": 3, "S": 2}


def run(live2_sim, work, name, config):
    params = {"simulation_config": {"mode": "open_chemistry", "config": dict({"seed": 42}, **config)}}
    path = os.path.join(work, name + ".json")
    with open(path, "w") as f:
        json.dump(params, f)
    out = os.path.join(work, name)
    subprocess.run([live2_sim, "run", "--params", path, "--out", out, "--threads", "2"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def metrics(out):
    with open(os.path.join(out, "metrics.csv")) as f:
        return list(csv.DictReader(f))


def species_counts(out):
    with open(os.path.join(out, "species_counts.csv")) as f:
        return list(csv.DictReader(f))


def valence_sum(formula):
    return sum(VALENCE[e] * (int(n) if n else 1) for e, n in re.findall(r"([A-Z])(\d*)", formula))


def odd_electron_fraction_by_step(rows):
    total, odd = {}, {}
    for row in rows:
        step, n = int(row["step"]), int(row["count"])
        total[step] = total.get(step, 0) + n
        if valence_sum(row["key"].split("#")[0]) % 2:
            odd[step] = odd.get(step, 0) + n
    return sorted((s, odd.get(s, 0) / total[s]) for s in total)



def main():
    build, config, seeds = sys.argv[1], json.loads(sys.argv[2]), [int(s) for s in sys.argv[3:]]
    live2_sim = os.path.join(build, "bin", "live2-sim")
    fractions = []
    with tempfile.TemporaryDirectory() as work:
        for seed in seeds:
            out = run(live2_sim, work, "seed%d" % seed, dict(config, seed=seed))
            fraction = odd_electron_fraction_by_step(species_counts(out))[-1][1]
            broken = sum(int(row["bonds_broken"]) for row in metrics(out))
            fractions.append(fraction)
            print("seed %d: %.1f %% odd-electron molecules at the end, %d bonds broken" % (seed, 100 * fraction, broken))
    print("%s: %.1f-%.1f %%, mean %.1f %% over %d seeds" % (json.dumps(config), 100 * min(fractions),
                                                            100 * max(fractions), 100 * sum(fractions) / len(fractions),
                                                            len(fractions)))


if __name__ == "__main__":
    main()
