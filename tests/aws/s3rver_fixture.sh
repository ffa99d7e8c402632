#!/usr/bin/env bash
# CTest fixture: starts s3rver (tests/aws/s3rver, installed with `npm ci`) on a free loopback port with bucket
# live2-test, or stops it. The endpoint URL is written to <state dir>/endpoint for the tests; when s3rver is not
# installed only <state dir>/unavailable is written and the S3 tests skip with that message.
#   s3rver_fixture.sh start|stop <state dir>
set -euo pipefail
action=$1
state_dir=$2
s3rver_dir="$(cd "$(dirname "$0")/s3rver" && pwd)"

if [[ "$action" == "stop" ]]; then
  if [[ -f "$state_dir/pid" ]]; then
    kill "$(cat "$state_dir/pid")" 2>/dev/null || true
    rm -f "$state_dir/pid"
  fi
  exit 0
fi

rm -rf "$state_dir"
mkdir -p "$state_dir/data"
if [[ ! -x "$s3rver_dir/node_modules/.bin/s3rver" ]] || ! command -v node >/dev/null; then
  echo "s3rver is not installed: run (cd tests/aws/s3rver && npm ci)" > "$state_dir/unavailable"
  exit 0
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# s3rver encrypts its continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
node --openssl-legacy-provider "$s3rver_dir/node_modules/s3rver/bin/s3rver.js" -d "$state_dir/data" -a 127.0.0.1 -p "$port" --silent \
  --configure-bucket live2-test > "$state_dir/s3rver.log" 2>&1 &
echo $! > "$state_dir/pid"
for _ in $(seq 1 100); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/live2-test"; then
    echo "http://127.0.0.1:$port" > "$state_dir/endpoint"
    exit 0
  fi
  sleep 0.1
done
echo "s3rver did not start; its log:" >&2
cat "$state_dir/s3rver.log" >&2
exit 1
