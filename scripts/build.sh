#!/usr/bin/env bash
# Installs what is missing, then builds live2 (Release) into build/ and the dashboard into web/dist/.
# Incremental: a second run only rebuilds what changed.
#   scripts/build.sh                  every target, the test suite included
#   scripts/build.sh TARGET...        only these CMake targets (and what they need), e.g. live2 live2-sim
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# Paths relative to the checkout let ccache reuse objects compiled in another clone of the repository.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
jobs="${LIVE2_BUILD_JOBS:-$(nproc)}"
generator=()
if [[ ! -f build/CMakeCache.txt ]] && command -v ninja >/dev/null; then generator=(-G Ninja); fi
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
targets=()
if (($# > 0)); then targets=(--target "$@"); fi
cmake --build build -j"$jobs" "${targets[@]}"

if [[ -f web/package.json ]]; then
  # npm ci again whenever package-lock.json changed after the last install (npm writes node_modules/.package-lock.json).
  (cd web && { [[ node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund --loglevel=error; } &&
     npm run --silent build)
fi
