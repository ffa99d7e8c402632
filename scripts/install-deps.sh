#!/usr/bin/env bash
# Installs every Debian bookworm package live2 needs to build, test and benchmark.
# Idempotent: packages already present are skipped, so a second run takes about a second.
#   scripts/install-deps.sh          what building and running live2 needs
#   scripts/install-deps.sh --test   also what the test suite drives (AWS CLI, botocore models, Chromium, promtool, Slurm and munge, sshd, Caddy)
#   scripts/install-deps.sh --bench  also the reference tools of bench/ (lammps, wrk, nginx, matplotlib for the validation plots)
set -euo pipefail

build=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates curl
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev sqlite3
  libpugixml-dev libhdf5-dev hdf5-tools libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcairo2-dev
  python3 python3-h5py python3-yaml
)
test=(awscli python3-botocore python3-jsonschema chromium prometheus slurm-wlm munge openssh-server openssh-client caddy)
bench=(lammps openmpi-bin wrk nginx-light hyperfine time python3-matplotlib)

wanted=("${build[@]}")
# The project's machine image brings Node 20 and npm; plain bookworm gets Debian's Node 18.
if ! command -v npm >/dev/null; then wanted+=(nodejs npm); fi
for option in "$@"; do
  case "$option" in
    --test) wanted+=("${test[@]}") ;;
    --bench) wanted+=("${test[@]}" "${bench[@]}") ;;
    *) echo "usage: $0 [--test] [--bench]" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "installing: ${missing[*]}" >&2
sudo_prefix=()
if [[ $(id -u) -ne 0 ]]; then sudo_prefix=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_prefix[@]}" apt-get update -qq
"${sudo_prefix[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
