#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Upload throughput on loopback against s3rver (tests/s3, npm ci first):
# one package of N MiB (default 200) sent by `sohoa-cli upload` as a
# multipart upload with 5, 16 and 64 MiB parts (SHA-256 check of the file,
# SHA-256 and MD5 of every part, the store updated after each part), and by
# the peer, `curl --aws-sigv4 -T` in one signed PUT (after `sha256sum` for
# its x-amz-content-sha256), in the same run.  Prints wall and client CPU
# time per run and the CPU ratios last (Sohoa / curl; lower is better).
# Usage: bench/upload-bench.sh [BUILD_DIR] [MIB]
set -eu

build=${1:-_build}
mib=${2:-200}
top=$(cd "$(dirname "$0")/.." && pwd)
cli="$build/src/cli/sohoa-cli"
s3rver="$top/tests/s3/node_modules/s3rver/bin/s3rver.js"
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-upload-bench-XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

[ -f "$s3rver" ] || { echo "upload-bench: run “npm ci” in tests/s3 first" >&2; exit 2; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
node "$s3rver" -d "$work/s3" -a 127.0.0.1 -p "$port" --silent --configure-bucket sohoa >/dev/null 2>&1 &
pid=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.1; done

head -c $((mib * 1024 * 1024)) /dev/urandom > "$work/package.zip"

export SOHOA_WORKSPACE="$work/ws" SOHOA_PASSWORD=bench-pw
export SOHOA_S3_ENDPOINT="http://127.0.0.1:$port" SOHOA_S3_BUCKET=sohoa
export SOHOA_S3_ACCESS_KEY=S3RVER SOHOA_S3_SECRET_KEY=S3RVER
"$cli" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin bench >/dev/null
python3 -c "import sqlite3, sys, time; db = sqlite3.connect(sys.argv[1]); db.execute(\"INSERT INTO batches (id, title, schema_id, created_at) VALUES (1, 'bench', 'khai-sinh', ?)\", (int(time.time()),)); db.commit()" "$work/ws/sohoa.db"

# Wall time depends on the server and on whatever else the machine does;
# the client's CPU time (user + system) much less, so both are printed and
# the ratios are of CPU time.
measure () {
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>&1
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time"
}

# The peer: hash, then one signed PUT.
set -- $(measure sha256sum "$work/package.zip")
hash_wall=$1 hash_cpu=$2
sha=$(sha256sum "$work/package.zip" | cut -d' ' -f1)
set -- $(measure curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER \
  -H "x-amz-content-sha256: $sha" -H "Expect:" -T "$work/package.zip" \
  "http://127.0.0.1:$port/sohoa/peer/package.zip")
curl_wall=$(awk -v a="$hash_wall" -v b="$1" 'BEGIN { printf "%.2f", a + b }')
curl_cpu=$(awk -v a="$hash_cpu" -v b="$2" 'BEGIN { printf "%.2f", a + b }')
echo "sha256sum + curl single PUT: wall ${curl_wall} s, client CPU ${curl_cpu} s"

ratios=""
for part in 5 16 64; do
  cp "$work/package.zip" "$work/package-$part.zip"
  id=$("$cli" -u bench outbox --add "$work/package-$part.zip" --batch 1 | sed 's/[^0-9]//g')
  set -- $(measure "$cli" -u bench upload --package "$id" --part-size "$part")
  [ "$("$cli" outbox | awk -v id="$id" '$1 == id { print $2 }')" = done ] || { echo "upload-bench: upload failed" >&2; exit 1; }
  echo "sohoa-cli upload, ${part} MiB parts: wall $1 s, client CPU $2 s"
  ratios="$ratios part${part}=$(awk -v a="$2" -v b="$curl_cpu" 'BEGIN { printf "%.2f", a / b }')"
done
echo "UPLOAD_CPU_RATIO_VS_CURL (${mib} MiB, load $(cut -d' ' -f1 /proc/loadavg)):$ratios"
