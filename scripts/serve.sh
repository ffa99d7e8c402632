#!/usr/bin/env bash
# Quick start, step 1: install, build, and start `live2 serve` on the embedded default (SQLite store, local executor,
# local artifact store) with its data in ./data. The first start prints the URL, an API key for the local user and a
# curl command that submits a job. Extra arguments go to `live2 serve` (e.g. --listen 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh
exec build/bin/live2 serve --data-dir "${LIVE2_DATA_DIR:-./data}" "$@"
