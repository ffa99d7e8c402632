#!/usr/bin/env bash
# CTest entry: ESLint with the React hooks rules over the dashboard's sources. Fails (never skips) without its
# node_modules: scripts/test.sh installs them with `npm ci` before CTest runs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[[ -x "$here/node_modules/.bin/eslint" ]] || { echo "tests/lint/node_modules is missing: run 'npm ci' in tests/lint" >&2; exit 1; }
cd "$here/../../web"
ESLINT_USE_FLAT_CONFIG=true exec "$here/node_modules/.bin/eslint" --config "$here/eslint.config.js" --max-warnings 0 src
