#!/usr/bin/env bash
# CTest entry of the report.html browser test: exits 77 (skipped) when Chromium, node_modules or live2-sim is
# missing, else runs it with node's test runner.   usage: run_report_html.sh BIN_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
chromium="${LIVE2_E2E_CHROMIUM:-/usr/bin/chromium}"

skip() { echo "SKIP: $1" >&2; exit 77; }
[[ -d "${1:?usage: run_report_html.sh BIN_DIR}" ]] || skip "$1 does not exist (build live2-sim first)"
bin_dir="$(cd "$1" && pwd)"
command -v node >/dev/null || skip "node is not installed"
[[ -x "$chromium" ]] || skip "$chromium is missing (scripts/install-deps.sh --test installs it)"
[[ -d "$here/node_modules/playwright-core" ]] || skip "run 'npm ci' in tests/e2e"
[[ -x "$bin_dir/live2-sim" ]] || skip "live2-sim is not built in $bin_dir"

cd "$here"
LIVE2_BIN_DIR="$bin_dir" exec node --test report_html.test.mjs
