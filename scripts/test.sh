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

# The engine, worker and HTTP-server tests again, built with AddressSanitizer + UBSan (CMake option LIVE2_SANITIZE) in
# build-asan: only their targets, then only their tests (tests/sim, tests/worker and the api.http_server. tests).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
asan_generator=()
if [[ ! -f build-asan/CMakeCache.txt ]] && command -v ninja >/dev/null; then asan_generator=(-G Ninja); fi
cmake -S . -B build-asan "${asan_generator[@]}" -DCMAKE_BUILD_TYPE=Release -DLIVE2_SANITIZE=ON >/dev/null
cmake --build build-asan -j"${LIVE2_BUILD_JOBS:-$(nproc)}" --target sanitizer_tests

# fontconfig's process-wide cache (cairo draws final.png's text with it) lives until exit: not a leak of ours.
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizer/lsan.supp" UBSAN_OPTIONS=print_stacktrace=1
status=0
ctest --test-dir build --output-on-failure -j"${LIVE2_TEST_JOBS:-2}" --timeout 600 "$@" || status=$?
# The output-size estimate's over-estimate factor is measured on the release build only: a sanitizer build takes
# another chemical trajectory (its floating point differs), so its artifacts' size differs by some percent. The
# frozen-graph stationarity checks draw a million samples through the reaction moves, which every other sim test also
# runs under the sanitizers: 70 s of sanitizer time for no code path of their own, so they run in the release build.
# So do the two whole default runs (50,000 steps each) and the equilibrium-constant runs (2 x 100,000 steps of 2,000
# atoms, over 3 minutes under the sanitizers): the same moves run in the shorter reactive runs.
for area in sim worker; do
  ctest --test-dir "build-asan/tests/$area" -E 'WorkerOutputEstimate|FrozenGraphs|DefaultRun|EquilibriumConstant' \
    --output-on-failure \
    -j"${LIVE2_TEST_JOBS:-2}" \
    --timeout 600 "$@" || status=$?
done
ctest --test-dir build-asan/tests/api -R '^api[.]http_server[.]' --output-on-failure -j"${LIVE2_TEST_JOBS:-2}" \
  --timeout 600 "$@" || status=$?
exit "$status"
