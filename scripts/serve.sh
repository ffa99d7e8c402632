#!/usr/bin/env bash
# Quick start, step 1: install, build what serving needs (the `live2` and `live2-sim` targets and the dashboard, not
# the test suite), and start `live2 serve` on the embedded default (SQLite store, local executor, local artifact
# store) with its data in ./data. On a terminal the first start prints a short summary: the URL, an API key for the
# local user and the next commands; the JSON access log then goes to data/access.log (`--access-log stdout` keeps it
# on the terminal). Extra arguments go to `live2 serve` (e.g. --listen 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh live2 live2-sim
exec build/bin/live2 serve --data-dir "${LIVE2_DATA_DIR:-./data}" "$@"
