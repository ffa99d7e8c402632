#!/usr/bin/env bash
# CTest entry of the browser tests (node --test + playwright-core + Debian's Chromium): exits 77 (skipped) when
# something a test needs is missing, else runs it with node's test runner.
#   usage: run.sh BIN_DIR [TEST.mjs NEED...]
# BIN_DIR is the build's bin/; a NEED is a binary that must be built there, or `web` for the built dashboard. Without
# TEST.mjs: the dashboard tests, which need live2, live2-sim and web.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
chromium="${LIVE2_E2E_CHROMIUM:-/usr/bin/chromium}"

skip() { echo "SKIP: $1" >&2; exit 77; }
[[ -d "${1:?usage: run.sh BIN_DIR [TEST.mjs NEED...]}" ]] || skip "$1 does not exist (build live2 first)"
bin_dir="$(cd "$1" && pwd)"
if (($# > 1)); then
  test_file="$2"
  needs=("${@:3}")
else
  test_file=dashboard.test.mjs
  needs=(live2 live2-sim web)
fi
command -v node >/dev/null || skip "node is not installed"
[[ -x "$chromium" ]] || skip "$chromium is missing (scripts/install-deps.sh --test installs it)"
[[ -d "$here/node_modules/playwright-core" ]] || skip "run 'npm ci' in tests/e2e"
for need in "${needs[@]}"; do
  if [[ "$need" == web ]]; then
    [[ -f "$repo/web/dist/index.html" ]] || skip "build the dashboard: cd web && npm ci && npm run build"
  else
    [[ -x "$bin_dir/$need" ]] || skip "$need is not built in $bin_dir"
  fi
done

cd "$here"
LIVE2_BIN_DIR="$bin_dir" LIVE2_WEB_DIR="$repo/web/dist" exec node --test "$test_file"
