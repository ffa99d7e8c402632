#!/usr/bin/env bash
# CTest entry of the dashboard's unit tests (web/test): exits 77 (skipped) without node or web/node_modules.
set -euo pipefail
web="$(cd "$(dirname "$0")/../../web" && pwd)"
command -v node >/dev/null || { echo "SKIP: node is not installed" >&2; exit 77; }
[[ -d "$web/node_modules/typescript" ]] || { echo "SKIP: run 'npm ci' in web" >&2; exit 77; }
cd "$web"
exec npm test --silent
