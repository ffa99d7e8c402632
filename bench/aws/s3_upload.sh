#!/usr/bin/env bash
# Upload throughput of a 1 GiB artifact set (results.h5 896 MiB, checkpoint/state.bin 120 MiB, 8 MiB of small
# files) through live2's S3 sink vs `aws s3 cp --recursive`, both against the same s3rver on loopback, in one run.
#   bench/aws/s3_upload.sh [build dir]     (default build; needs tests/aws/s3rver installed with npm ci)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
work="$(mktemp -d)"
trap '"$root/tests/aws/s3rver_fixture.sh" stop "$work/s3rver"; rm -rf "$work"' EXIT

"$root/tests/aws/s3rver_fixture.sh" start "$work/s3rver"
if [[ -f "$work/s3rver/unavailable" ]]; then cat "$work/s3rver/unavailable" >&2; exit 1; fi
endpoint="$(cat "$work/s3rver/endpoint")"

set_dir="$work/artifacts"
mkdir -p "$set_dir/checkpoint"
head -c $((896 << 20)) /dev/urandom > "$set_dir/results.h5"
head -c $((120 << 20)) /dev/urandom > "$set_dir/checkpoint/state.bin"
for name in metrics.csv energy.csv simulation.log final.png; do head -c $((2 << 20)) /dev/urandom > "$set_dir/$name"; done
echo '{"progress":1}' > "$set_dir/progress.json"
echo '{"ok":true}' > "$set_dir/metadata.json"

export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL_S3="$endpoint"
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=""
echo "live2 S3 sink:"
"$build/bin/live2-bench-s3-upload" --dir "$set_dir" --bucket live2-test --prefix live2/
aws_cli="$(command -v /usr/bin/aws || command -v aws)"
echo "$("$aws_cli" --version 2>&1 | cut -d' ' -f1) s3 cp --recursive:"
start=$(date +%s.%N)
"$aws_cli" s3 cp --recursive --only-show-errors --endpoint-url "$endpoint" "$set_dir" s3://live2-test/awscli/
end=$(date +%s.%N)
python3 -c "b=$(du -sb "$set_dir" | cut -f1); s=$end-$start; print('{\"bytes\":%d,\"seconds\":%.3f,\"mib_per_s\":%.1f}' % (b, s, b/2**20/s))"
