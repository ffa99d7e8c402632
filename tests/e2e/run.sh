#!/usr/bin/env bash
# CTest entry of the dashboard end-to-end tests: exits 77 (skipped) when something they need is missing, else
# runs them with node's test runner.   usage: run.sh BIN_DIR   (the build's bin/ with live2 and live2-sim)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
chromium="${LIVE2_E2E_CHROMIUM:-/usr/bin/chromium}"

skip() { echo "SKIP: $1" >&2; exit 77; }
[[ -d "${1:?usage: run.sh BIN_DIR}" ]] || skip "$1 does not exist (build live2 first)"
bin_dir="$(cd "$1" && pwd)"
command -v node >/dev/null || skip "node is not installed"
[[ -x "$chromium" ]] || skip "$chromium is missing (scripts/install-deps.sh --test installs it)"
[[ -d "$here/node_modules/playwright-core" ]] || skip "run 'npm ci' in tests/e2e"
[[ -f "$repo/web/dist/index.html" ]] || skip "build the dashboard: cd web && npm ci && npm run build"
[[ -x "$bin_dir/live2" && -x "$bin_dir/live2-sim" ]] || skip "live2 or live2-sim is not built in $bin_dir"

cd "$here"
LIVE2_BIN_DIR="$bin_dir" LIVE2_WEB_DIR="$repo/web/dist" exec node --test dashboard.test.mjs
