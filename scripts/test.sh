#!/usr/bin/env bash
# Quick start, step 2: install, build, and run the whole test suite (unit, integration, end-to-end) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --test
scripts/build.sh
for test_package in tests/*/package.json tests/*/*/package.json; do
  [[ -f "$test_package" ]] || continue
  (cd "$(dirname "$test_package")" &&
     { [[ node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund --loglevel=error; })
done
ctest --test-dir build --output-on-failure -j"${LIVE2_TEST_JOBS:-2}" --timeout 600 "$@"
