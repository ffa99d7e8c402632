#!/usr/bin/env bash
# The Slurm fixture works: one batch job submitted with sbatch runs on the node and writes its file, squeue --json
# reports it. Exit 77 (a CTest skip, with the fixture's reason) where the cluster cannot run.
#   fixture_smoke.sh <state dir>
set -euo pipefail
state_dir=$1
if [[ -f "$state_dir/unavailable" ]]; then
  echo "skipped: $(cat "$state_dir/unavailable")"
  exit 77
fi
source "$state_dir/env"
export SLURM_CONF
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
job_id=$(sbatch --parsable --job-name=live2-fixture-smoke --chdir="$work" --output="$work/out" \
  --wrap 'echo "ran on $(hostname -s)" > result')
for _ in $(seq 1 200); do
  [[ -f "$work/result" ]] && break
  sleep 0.1
done
grep -q "ran on $(hostname -s)" "$work/result"
squeue --json | /usr/bin/python3 -c "
import json, sys
jobs = {str(j['job_id']): j for j in json.load(sys.stdin)['jobs']}
assert '$job_id' in jobs and jobs['$job_id']['name'] == 'live2-fixture-smoke', jobs.keys()"
echo "job $job_id ran"
