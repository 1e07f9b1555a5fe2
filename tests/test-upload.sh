#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end: sohoa-cli uploads packages to a real S3-compatible server on
# loopback (s3rver, from tests/s3/package-lock.json), through a proxy
# (tests/s3/s3-proxy.py) that checks every SigV4 signature and payload hash
# with the secret key, logs every request, and breaks the connection on
# purpose.  Checked: a 23 MiB package goes up in parts and comes back
# byte-identical; a connection cut mid-part is retried; a dead network leaves
# the package failed and the next run resumes without sending finished parts
# again; SIGKILL mid-upload, then a new run, resumes from the stored upload
# id; Ctrl+C leaves it pending; a wrong secret key is refused.
#
# Usage: test-upload.sh SOHOA-CLI
set -eu

cli=$1
srcdir=${G_TEST_SRCDIR:-$(dirname "$0")}
s3dir="$srcdir/s3"
s3rver="$s3dir/node_modules/s3rver/bin/s3rver.js"

if [ ! -f "$s3rver" ]; then
  # build-aux/dev test installs it; a developer's tree may not have it yet.
  (cd "$s3dir" && npm ci --no-audit --no-fund >/dev/null 2>&1) || true
fi
if [ ! -f "$s3rver" ]; then
  echo "Bail out! s3rver is not installed: run “npm ci” in tests/s3 (build-aux/dev test does)"
  exit 1
fi

tmp=$(mktemp -d)
pids=""
cleanup () {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; echo "1..$n"; exit 1; }
check () { desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }

free_port () {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port () {
  i=0
  while ! python3 -c "import socket, sys; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 100 ] || { echo "Bail out! nothing listens on port $1"; exit 1; }
    sleep 0.1
  done
}

s3_port=$(free_port)
proxy_port=$(free_port)
log="$tmp/requests.log"
: > "$log"

node "$s3rver" -d "$tmp/s3data" -a 127.0.0.1 -p "$s3_port" --silent --configure-bucket sohoa \
  > "$tmp/s3rver.out" 2>&1 &
pids="$pids $!"
wait_port "$s3_port"

proxy_pid=""
start_proxy () {
  if [ -n "$proxy_pid" ]; then
    kill "$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" 2>/dev/null || true
  fi
  python3 "$s3dir/s3-proxy.py" --listen "$proxy_port" --upstream "$s3_port" \
    --access-key S3RVER --secret S3RVER --log "$log" "$@" > "$tmp/proxy.out" 2>&1 &
  proxy_pid=$!
  pids="$pids $proxy_pid"
  wait_port "$proxy_port"
}
start_proxy

export SOHOA_WORKSPACE="$tmp/ws"
export SOHOA_PASSWORD=secret-admin
# s3rver's account; the proxy checks the signatures with this secret.
export SOHOA_S3_ENDPOINT="http://127.0.0.1:$proxy_port"
export SOHOA_S3_BUCKET=sohoa
export SOHOA_S3_REGION=us-east-1
export SOHOA_S3_ACCESS_KEY=S3RVER
export SOHOA_S3_SECRET_KEY=S3RVER
export SOHOA_S3_PART_SIZE=$((5 * 1024 * 1024))
export SOHOA_S3_RETRY_DELAY_MS=100
export SOHOA_S3_MAX_ATTEMPTS=3
export SOHOA_S3_LOW_SPEED_TIME=10

"$cli" init --ward-code 26734 --ward-name "Phường Bến Thành" --admin admin > /dev/null
check "workspace set up" test -f "$tmp/ws/sohoa.db"

# A batch to hang the packages on.
python3 - "$tmp/ws/sohoa.db" <<'EOF'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO batches (id, title, schema_id, created_at) VALUES (1, 'Sổ khai sinh 1998', 'khai-sinh', ?)", (int(time.time()),))
db.commit()
EOF

db_value () {
  python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" \
    "$tmp/ws/sohoa.db" "$1"
}

# How many times the proxy saw part $2 of key $1 stored (status 200), or a
# request matching another status ($3).
count_parts () {
  python3 - "$log" "$1" "$2" "${3:-200}" <<'EOF'
import json, sys
log, key, part, status = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
n = 0
for line in open(log):
    e = json.loads(line)
    if e["path"].endswith("/" + key) and e["part"] == part and str(e["status"]) == status:
        n += 1
print(n)
EOF
}

count_requests () {
  python3 - "$log" "$1" "$2" <<'EOF'
import json, sys
log, key, what = sys.argv[1], sys.argv[2], sys.argv[3]
n = 0
for line in open(log):
    e = json.loads(line)
    if not e["path"].endswith("/" + key):
        continue
    if what == "initiate" and e["method"] == "POST" and "uploads" in e["query"]:
        n += 1
    if what == "refused" and e["status"] == 403:
        n += 1
print(n)
EOF
}

# The object as the server holds it, fetched with a signed GET through the
# checking proxy.
object_sha256 () {
  curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "http://127.0.0.1:$proxy_port/sohoa/26734/$1" | sha256sum | cut -d' ' -f1
}

make_package () {
  head -c $((23 * 1024 * 1024)) /dev/urandom > "$tmp/$1"
  "$cli" -u admin outbox --add "$tmp/$1" --batch 1 | sed 's/[^0-9]//g'
}

# 1. A 23 MiB package in five parts, byte-identical on the server.
id=$(make_package one.zip)
check "package queued" test "$(db_value "SELECT upload_state FROM packages WHERE id = $id")" = pending
"$cli" -u admin upload --package "$id" > "$tmp/out1" 2> "$tmp/err1"
check "upload succeeds" grep -q "sent to sohoa/26734/one.zip" "$tmp/out1"
check "progress printed" grep -q "Sending part 5 of 5" "$tmp/err1"
check "state done" test "$(db_value "SELECT upload_state FROM packages WHERE id = $id")" = done
check "five parts recorded" test "$(db_value "SELECT json_array_length (parts_done) FROM packages WHERE id = $id")" = 5
check "each part sent once" test "$(count_parts one.zip 1)$(count_parts one.zip 3)$(count_parts one.zip 5)" = 111
check "object sha256 matches" test "$(object_sha256 one.zip)" = "$(sha256sum "$tmp/one.zip" | cut -d' ' -f1)"
check "every request correctly signed" test "$(grep -c '"status": 403' "$log" || true)" = 0
check "audit row written" test "$(db_value "SELECT count (*) FROM audit WHERE action = 'package.upload' AND entity_id = $id")" = 1
"$cli" audit-verify > /dev/null
ok "audit chain intact"
"$cli" -u admin upload --package "$id" > /dev/null
check "a done package is not sent again" test "$(count_requests one.zip initiate)" = 1

# 2. The connection drops in the middle of part 2; the retry within the same
#    run sends part 2 again, and nothing else twice.
start_proxy --drop-part 2 --drop-after 1000000
id=$(make_package two.zip)
"$cli" -u admin upload --package "$id" > /dev/null 2>&1
check "upload survives a dropped connection" test "$(db_value "SELECT upload_state FROM packages WHERE id = $id")" = done
check "dropped part sent again" test "$(count_parts two.zip 2 dropped)$(count_parts two.zip 2)" = 11
check "other parts sent once" test "$(count_parts two.zip 1)$(count_parts two.zip 3)$(count_parts two.zip 4)$(count_parts two.zip 5)" = 1111
check "object two sha256 matches" test "$(object_sha256 two.zip)" = "$(sha256sum "$tmp/two.zip" | cut -d' ' -f1)"

# 3. The network dies during part 3 and stays dead: the run gives up, the
#    package is failed with its upload id and two parts kept; the next run
#    resumes and sends only parts 3 to 5.
start_proxy --drop-part 3 --drop-after 2000000 --refuse-after-drop 3600
id=$(make_package three.zip)
if "$cli" -u admin upload --package "$id" > /dev/null 2> "$tmp/err3"; then not_ok "upload fails while offline"; fi
ok "upload fails while offline"
check "failed with retry" test "$(db_value "SELECT upload_state FROM packages WHERE id = $id")" = failed
check "error kept" test -n "$(db_value "SELECT upload_error FROM packages WHERE id = $id")"
check "upload id kept" test "$(db_value "SELECT upload_id IS NOT NULL FROM packages WHERE id = $id")" = 1
check "two parts kept" test "$(db_value "SELECT json_array_length (parts_done) FROM packages WHERE id = $id")" = 2
"$cli" outbox | grep -q "^$id	failed" && ok "outbox lists it as failed" || not_ok "outbox lists it as failed"
start_proxy
"$cli" -u admin upload --all > /dev/null 2>&1
check "resumed upload done" test "$(db_value "SELECT upload_state FROM packages WHERE id = $id")" = done
check "finished parts not sent again" test "$(count_parts three.zip 1)$(count_parts three.zip 2)" = 11
check "missing parts sent" test "$(count_parts three.zip 3)$(count_parts three.zip 4)$(count_parts three.zip 5)" = 111
check "one multipart upload only" test "$(count_requests three.zip initiate)" = 1
check "object three sha256 matches" test "$(object_sha256 three.zip)" = "$(sha256sum "$tmp/three.zip" | cut -d' ' -f1)"

# 4. sohoa-cli is killed (SIGKILL) after two parts; a new run resumes from
#    the stored upload id.
start_proxy --rate 4000000
id=$(make_package four.zip)
"$cli" -u admin upload --package "$id" > /dev/null 2>&1 &
upload_pid=$!
i=0
while [ "$(db_value "SELECT json_array_length (parts_done) FROM packages WHERE id = $id")" -lt 2 ]; do
  i=$((i + 1))
  [ $i -lt 300 ] || not_ok "two parts sent before the kill"
  sleep 0.1
done
kill -KILL "$upload_pid"
wait "$upload_pid" 2>/dev/null || true
parts_before=$(db_value "SELECT json_array_length (parts_done) FROM packages WHERE id = $id")
check "killed while uploading" test "$(db_value "SELECT upload_state FROM packages WHERE id = $id")" = uploading
check "parts before the kill kept" test "$parts_before" -ge 2 -a "$parts_before" -lt 5
start_proxy
"$cli" -u admin upload --package "$id" > /dev/null 2>&1
check "upload after the kill done" test "$(db_value "SELECT upload_state FROM packages WHERE id = $id")" = done
resent=0
for p in $(seq 1 "$parts_before"); do
  [ "$(count_parts four.zip "$p")" = 1 ] || resent=1
done
check "parts stored before the kill not sent again" test "$resent" = 0
check "one multipart upload for four" test "$(count_requests four.zip initiate)" = 1
check "object four sha256 matches" test "$(object_sha256 four.zip)" = "$(sha256sum "$tmp/four.zip" | cut -d' ' -f1)"

# 5. Ctrl+C (SIGINT) stops the upload from the progress callback; the
#    package waits, pending.
start_proxy --rate 2000000
id=$(make_package five.zip)
"$cli" -u admin upload --package "$id" > /dev/null 2>&1 &
upload_pid=$!
i=0
while [ "$(db_value "SELECT json_array_length (parts_done) FROM packages WHERE id = $id")" -lt 1 ]; do
  i=$((i + 1))
  [ $i -lt 300 ] || not_ok "a part sent before Ctrl+C"
  sleep 0.1
done
kill -INT "$upload_pid"
status=0
wait "$upload_pid" || status=$?
check "cancelled upload exits with an error" test "$status" = 1
check "cancelled upload is pending" test "$(db_value "SELECT upload_state FROM packages WHERE id = $id")" = pending

# 6. A wrong secret key: the proxy refuses the signature; the package fails
#    with a message about the keys and nothing is stored.
start_proxy
if SOHOA_S3_SECRET_KEY=wrong "$cli" -u admin upload --package "$id" > /dev/null 2> "$tmp/err6"; then
  not_ok "wrong secret refused"
fi
check "wrong secret refused" grep -q "access key" "$tmp/err6"
check "refused by signature check" test "$(count_requests five.zip refused)" -ge 1
"$cli" -u admin upload --package "$id" > /dev/null 2>&1
check "then sent with the right key" test "$(object_sha256 five.zip)" = "$(sha256sum "$tmp/five.zip" | cut -d' ' -f1)"

# 7. A small package goes in one PUT.
head -c 300000 /dev/urandom > "$tmp/small.zip"
id=$("$cli" -u admin outbox --add "$tmp/small.zip" --batch 1 | sed 's/[^0-9]//g')
"$cli" -u admin upload --package "$id" > /dev/null 2>&1
check "small package in one PUT" test "$(count_requests small.zip initiate)" = 0
check "small object sha256 matches" test "$(object_sha256 small.zip)" = "$(sha256sum "$tmp/small.zip" | cut -d' ' -f1)"

# 8. A package file that changed after it was made is not sent; a missing
#    one fails clearly; both stay in the outbox.
head -c 200000 /dev/urandom > "$tmp/changed.zip"
id=$("$cli" -u admin outbox --add "$tmp/changed.zip" --batch 1 | sed 's/[^0-9]//g')
printf 'x' | dd of="$tmp/changed.zip" bs=1 seek=1000 conv=notrunc 2>/dev/null
if "$cli" -u admin upload --package "$id" > /dev/null 2> "$tmp/err8"; then not_ok "changed package refused"; fi
check "changed package refused" grep -q "SHA-256" "$tmp/err8"
check "changed package not stored" test "$(count_requests changed.zip initiate)$(grep -c 'changed.zip' "$log" || true)" = 00
check "changed package failed" test "$(db_value "SELECT upload_state FROM packages WHERE id = $id")" = failed
rm "$tmp/changed.zip"
if "$cli" -u admin upload --package "$id" > /dev/null 2> "$tmp/err9"; then not_ok "missing package refused"; fi
check "missing package refused" grep -q "could not be opened" "$tmp/err9"
check "attempts counted" test "$(db_value "SELECT upload_attempts FROM packages WHERE id = $id")" = 2

# 9. Killed after the store completed the object and before the outbox
#    recorded it (the row left "uploading", as such a kill leaves it): the
#    next run finds the object by its size and SHA-256 and sends nothing
#    again.  s3rver, which has no ListParts, once made this a package
#    failed for good.
id=$(db_value "SELECT id FROM packages WHERE file LIKE '%/one.zip'")
python3 -c "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute(\"UPDATE packages SET upload_state = 'uploading' WHERE id = ?\", (int(sys.argv[2]),)); db.commit()" \
  "$tmp/ws/sohoa.db" "$id"
"$cli" -u admin upload --package "$id" > /dev/null 2>&1 || not_ok "an upload completed before a kill is finished"
check "an upload completed before a kill is finished" test "$(db_value "SELECT upload_state FROM packages WHERE id = $id")" = done
check "nothing sent again" test "$(count_requests one.zip initiate)$(count_parts one.zip 1)$(count_parts one.zip 5)" = 111
check "object one still matches" test "$(object_sha256 one.zip)" = "$(sha256sum "$tmp/one.zip" | cut -d' ' -f1)"

echo "1..$n"
