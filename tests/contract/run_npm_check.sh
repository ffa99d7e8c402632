#!/usr/bin/env bash
# CTest entry of the contract's npm checks: `run_npm_check.sh contract lint` (redocly lint, tests/contract) or
# `run_npm_check.sh web api-types:check` (openapi-typescript, web/). Nothing is downloaded here: scripts/test.sh and
# scripts/build.sh run `npm ci` first. Fails (never skips) when the tool is not installed, so CI cannot pass without it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
case "$1" in
  contract) package="$root/tests/contract" tool=redocly ;;
  web) package="$root/web" tool=openapi-typescript ;;
  *) echo "usage: $0 contract|web SCRIPT" >&2; exit 2 ;;
esac
[[ -x "$package/node_modules/.bin/$tool" ]] || { echo "$tool is missing: run 'npm ci' in $package" >&2; exit 1; }
cd "$package"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
exec npm run --silent "$2"
