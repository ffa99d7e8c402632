#!/usr/bin/env bash
# CTest entry of the contract's npm checks: `run_npm_check.sh contract lint` (redocly lint, tests/contract) or
# `run_npm_check.sh web api-types:check` (openapi-typescript, web/). Exits 77 (skipped) without node or the
# package's node_modules; nothing is downloaded here (scripts/test.sh runs `npm ci` first).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
case "$1" in
  contract) package="$root/tests/contract" ;;
  web) package="$root/web" ;;
  *) echo "usage: $0 contract|web SCRIPT" >&2; exit 2 ;;
esac
command -v node >/dev/null || { echo "SKIP: node is not installed" >&2; exit 77; }
[[ -d "$package/node_modules/.bin" ]] || { echo "SKIP: run 'npm ci' in $package" >&2; exit 77; }
cd "$package"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
exec npm run --silent "$2"
