#!/bin/sh
# Crash harness: kills sohoa-cli with SIGKILL after a random delay during
# the work on a batch, and checks what a power cut must leave.  Three
# phases, the runs dealt out in turn:
#   work     import of rendered pages, OCR, many fields set, submit,
#            approve (tests/crash/workflow.sh);
#   package  `sohoa-cli package` of the approved batch, signed with a
#            PKCS#12 file, into WORKSPACE/packages (tests/crash/outbox.sh);
#   upload   `sohoa-cli upload --all` of that package and of a 12 MiB one
#            (three parts) to s3rver on loopback, through the checking
#            proxy slowed down so the kills land mid-transfer.
# After each kill:
#   - PRAGMA integrity_check is "ok" (sqlite3, not Sohoa, says so);
#   - every field value whose `sohoa-cli set` returned success is stored;
#   - the audit log verifies;
#   - the outbox lists no package whose file is missing, changed or does
#     not verify, and the packages folder holds nothing else than listed
#     packages, whole unlisted packages and *.part files;
#   - the step, run again, completes: the batch approved, packaged once
#     with a package that verifies and nothing left beside it, every
#     package uploaded and byte-identical in the store.
# Usage: run.sh SOHOA-CLI SOHOA-RENDER-PAGE [--runs N] [--seed S]
#               [--phases work,package,upload]
# (tests/crash/README.md has the figures of a 200-run session).
set -eu

cli=$(realpath "$1")
render=$2
shift 2
runs=20
seed=$$
phases=work,package,upload
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --phases) phases=$2; shift 2 ;;
    *) echo "usage: run.sh SOHOA-CLI SOHOA-RENDER-PAGE [--runs N] [--seed S] [--phases work,package,upload]" >&2; exit 2 ;;
  esac
done
phases=$(echo "$phases" | tr ',' ' ')
has_phase() { case " $phases " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
for phase in $phases; do
  case "$phase" in work|package|upload) ;; *) echo "run.sh: unknown phase $phase" >&2; exit 2 ;; esac
done
n_phases=$(echo $phases | wc -w)

first_seed=$seed
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-crash-XXXXXX")
pids=""
cleanup() {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# Every run works in the same place: packages are recorded by absolute
# path, so a workspace copied back to $ws finds its files.
ws="$work/run/ws"
state="$work/run/state"

run=setup
phase=setup
fail() {
  printf 'not ok - run %s, phase %s (--seed %s, delay %s ms): %s\n' "$run" "$phase" "$first_seed" "${delay:-0}" "$*"
  for log in "$state/log" "$state/resume.log"; do
    [ ! -s "$log" ] || sed 's/^/#   /' "$log"
  done
  exit 1
}
say() { printf '# %s\n' "$*"; }
now_ms() { date +%s%3N; }
# A small deterministic generator, so a failing run can be repeated with
# --seed.
# Sets $r to a number below $1.
rand() { seed=$(( (seed * 1103515245 + 12345) % 2147483648 )); r=$(( (seed / 65536) % $1 )); }
sql() { sqlite3 "$ws/sohoa.db" "$1"; }

# Two pages at 200 dpi: OCR is a real part of the workflow, but short.
for i in 1 2; do
  "$render" --kind birth --seed "$i" --dpi 200 --font "Liberation Serif" --out "$work/page-$i.png" > /dev/null
done
echo admin-pw | "$cli" --workspace "$work/template" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin > /dev/null
printf 'admin-pw\ncanbo-pw\n' | "$cli" -w "$work/template" --user admin user-add canbo --role operator > /dev/null
printf 'admin-pw\ngiamsat-pw\n' | "$cli" -w "$work/template" --user admin user-add giamsat --role supervisor > /dev/null

# The signer: a CA and a key with its certificate in a PKCS#12 file.
pki="$work/pki"
if has_phase package || has_phase upload; then
  "$here/signer.sh" "$pki" || fail "signer.sh (certtool)"
fi

# The store: s3rver (tests/s3, at the locked version) behind the proxy
# that checks every signature and reads request bodies at $rate bytes/s.
rate=8000000
if has_phase upload; then
  s3dir="$here/../s3"
  s3rver="$s3dir/node_modules/s3rver/bin/s3rver.js"
  if [ ! -f "$s3rver" ]; then
    # build-aux/dev test installs it; a developer's tree may not have it yet.
    (cd "$s3dir" && npm ci --no-audit --no-fund > /dev/null 2>&1) || true
  fi
  [ -f "$s3rver" ] || { echo "Bail out! s3rver is not installed: run “npm ci” in tests/s3 (build-aux/dev test does)"; exit 1; }
  free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  }
  wait_port() {
    i=0
    while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null; do
      i=$((i + 1))
      [ $i -lt 100 ] || fail "nothing listens on port $1"
      sleep 0.1
    done
  }
  s3_port=$(free_port)
  proxy_port=$(free_port)
  node "$s3rver" -d "$work/s3data" -a 127.0.0.1 -p "$s3_port" --silent --configure-bucket sohoa \
    > "$work/s3rver.out" 2>&1 &
  pids="$pids $!"
  wait_port "$s3_port"
  python3 "$s3dir/s3-proxy.py" --listen "$proxy_port" --upstream "$s3_port" \
    --access-key S3RVER --secret S3RVER --log "$work/requests.log" --rate "$rate" > "$work/proxy.out" 2>&1 &
  pids="$pids $!"
  wait_port "$proxy_port"
  export SOHOA_S3_ENDPOINT="http://127.0.0.1:$proxy_port"
  export SOHOA_S3_BUCKET=sohoa
  export SOHOA_S3_REGION=us-east-1
  export SOHOA_S3_ACCESS_KEY=S3RVER
  export SOHOA_S3_SECRET_KEY=S3RVER
  export SOHOA_S3_PART_SIZE=$((5 * 1024 * 1024))
  export SOHOA_S3_RETRY_DELAY_MS=100
  export SOHOA_S3_MAX_ATTEMPTS=3
  export SOHOA_S3_LOW_SPEED_TIME=10
fi

# The object as the store holds it, fetched with a signed GET.
object_sha256() {
  curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "$SOHOA_S3_ENDPOINT/sohoa/$1" | sha256sum | cut -d' ' -f1
}

# What every kill must leave, in every phase.
check() {
  ic=$(sqlite3 "$ws/sohoa.db" 'PRAGMA integrity_check') || fail "sqlite3 cannot open the database"
  [ "$ic" = ok ] || fail "integrity_check: $ic"
  if [ -s "$state/committed" ]; then
    batch=$(cat "$state/batch")
    while IFS='	' read -r doc pair; do
      key=${pair%%=*}
      value=${pair#*=}
      stored=$(sql "SELECT v.value FROM field_values v
          JOIN records r ON r.id = v.record_id JOIN documents d ON d.id = r.document_id
          WHERE d.batch_id = $batch AND v.key = '$key'
          ORDER BY d.position LIMIT 1 OFFSET $((doc - 1))")
      [ "$stored" = "$value" ] || fail "document $doc: $key is \"$stored\", \"$value\" was saved"
    done < "$state/committed"
  fi
  "$cli" -w "$ws" audit verify > /dev/null 2>&1 || fail "the audit log does not verify"
  check_outbox "$1"
}

# The outbox and the packages folder.  $1: "killed" (just after a kill:
# *.part files and whole packages not yet recorded may be there) or
# "resumed" (nothing but the packages the outbox lists).
check_outbox() {
  listed=$("$cli" -w "$ws" outbox) || fail "sohoa-cli outbox fails"
  sql "SELECT id, file, sha256, size, signer IS NOT NULL, upload_state, coalesce(upload_key, '') FROM packages" \
    > "$state/rows"
  while IFS='|' read -r id file sha size signed upload key; do
    echo "$listed" | grep -q "^$id	.*	$(basename "$file")	" || fail "sohoa-cli outbox does not list package $id"
    [ -f "$file" ] || fail "the outbox lists package $id, whose file $file is missing"
    [ "$(stat -c %s "$file")" = "$size" ] || fail "the outbox lists package $id, whose file is not $size bytes"
    [ "$(sha256sum < "$file" | cut -d' ' -f1)" = "$sha" ] || fail "the outbox lists package $id, whose file has changed"
    if [ "$signed" = 1 ]; then
      "$cli" verify "$file" --ca "$pki/ca.pem" > /dev/null 2> "$state/verify.err" \
        || fail "the outbox lists package $id, which does not verify: $(cat "$state/verify.err")"
    fi
    if [ "$upload" = done ]; then
      [ "$(object_sha256 "$key")" = "$sha" ] || fail "package $id is marked sent but the object $key differs"
    fi
  done < "$state/rows"
  [ -d "$ws/packages" ] || return 0
  for f in "$ws/packages"/* "$ws/packages"/.[!.]*; do
    [ -e "$f" ] || continue
    cut -d'|' -f2 "$state/rows" | grep -qxF "$f" && continue
    [ "$1" = killed ] || fail "$(basename "$f") is left in the packages folder"
    case "$f" in
      *.part) ;;
      *.zip)
        "$cli" verify "$f" --ca "$pki/ca.pem" > /dev/null 2>&1 \
          || fail "a package that does not verify is in the packages folder: $(basename "$f")" ;;
      *) fail "a stray file is in the packages folder: $(basename "$f")" ;;
    esac
  done
}

# Where the kill fell, for the summary.
where() {
  case "$phase" in
    work) if [ -s "$state/done" ]; then tail -n 1 "$state/done" | sed 's/^set-.*/set/'; else echo start; fi ;;
    package)
      if [ "$(sql 'SELECT count(*) FROM packages')" != 0 ]; then echo package:recorded
      elif ls "$ws/packages"/*.zip > /dev/null 2>&1; then echo package:written
      elif ls "$ws/packages"/*.part > /dev/null 2>&1; then echo package:writing
      else echo package:before
      fi ;;
    upload) echo "upload:$(sql "SELECT group_concat(upload_state || '/' || json_array_length(coalesce(parts_done, '[]')), ',') FROM (SELECT * FROM packages ORDER BY id)")" ;;
  esac
}

# The phase's step, uninterrupted (the kill loop below starts the same
# command lines in their own process group).
run_step() {
  case "$phase" in
    work) "$here/workflow.sh" "$cli" "$ws" "$state" "$work/page-1.png" "$work/page-2.png" ;;
    package) "$here/outbox.sh" "$cli" "$ws" "$state" package "$pki/signer.p12" ;;
    upload) env SOHOA_S3_PREFIX="r$run" "$here/outbox.sh" "$cli" "$ws" "$state" upload ;;
  esac
}

# After the resumed step: all done.
check_complete() {
  batch=$(cat "$state/batch")
  [ "$(sql 'SELECT count(*) FROM batches')" = 1 ] || fail "a resumed import made a second batch"
  [ "$(sql 'SELECT count(*) FROM pages')" = 2 ] || fail "pages lost or duplicated"
  [ "$(grep -c . "$state/committed")" -eq 24 ] || fail "the workflow did not save 24 fields"
  case "$phase" in
    work) [ "$(sql "SELECT state FROM batches WHERE id = $batch")" = approved ] || fail "the resumed batch is not approved" ;;
    package|upload)
      [ "$(sql "SELECT state FROM batches WHERE id = $batch")" = packaged ] || fail "the batch is not packaged"
      [ "$(sql "SELECT count(*) FROM packages WHERE batch_id = $batch AND signer IS NOT NULL")" = 1 ] \
        || fail "the batch was packaged $(sql "SELECT count(*) FROM packages WHERE signer IS NOT NULL") times"
      ;;
  esac
  if [ "$phase" = upload ]; then
    [ "$(sql "SELECT count(*) FROM packages WHERE upload_state <> 'done'")" = 0 ] || fail "a package was not sent"
  fi
}

# Copies the workspace and state kept in $1 to where the runs work.
restore() {
  rm -rf "$work/run"
  cp -a "$1" "$work/run"
}

# Keeps what the runs made, as the starting point of the next phase.
keep() {
  rm -rf "$1"
  cp -a "$work/run" "$1"
}

# Packaging signs in (a slow password hash) and opens the key before it
# writes anything, then writes for a tenth of a second: its kills are
# timed from the moment its first file appears, found by polling.
# Returns when it appeared or the step $1 ended.
wait_first_write() {
  while kill -0 "$1" 2> /dev/null; do
    for f in "$ws/packages"/*; do
      [ -e "$f" ] && return 0
    done
    sleep 0.005
  done
}

# Times the phase's step uninterrupted (the work twice: the first run
# loads the OCR model cold): the kills are spread over the faster run,
# from its start or, when packaging, from its first write.
# $1: what the step starts from.
time_phase() {
  total=0
  # (Packaging and upload load nothing big: once is enough.)
  runs_to_time="0 -1"
  [ "$phase" = work ] || runs_to_time=0
  for run in $runs_to_time; do
    restore "$1"
    start=$(now_ms)
    run_step > "$state/log" 2>&1 &
    pid=$!
    if [ "$phase" = package ]; then
      wait_first_write "$pid"
      start=$(now_ms)
    fi
    wait "$pid" || fail "the step fails without a kill: $(tail -n 5 "$state/log")"
    took=$(( $(now_ms) - start ))
    if [ "$total" -eq 0 ] || [ "$took" -lt "$total" ]; then
      total=$took
    fi
    check resumed
    check_complete
  done
  eval "took_$phase=$total"
  if [ "$phase" = package ]; then
    say "$phase takes $total ms from its first write, uninterrupted"
  else
    say "$phase takes $total ms uninterrupted"
  fi
}

mkdir -p "$work/run"
cp -a "$work/template" "$ws"
mkdir "$state"
keep "$work/start"
phase=work
time_phase "$work/start"
keep "$work/approved"
if has_phase package || has_phase upload; then
  phase=package
  restore "$work/approved"
  time_phase "$work/approved"
  # A second package of 12 MiB, made elsewhere (sohoa-cli outbox --add):
  # the upload phase kills multipart uploads too.
  head -c $((12 * 1024 * 1024)) /dev/urandom > "$ws/packages/26740-extra.zip"
  SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat outbox --add "$ws/packages/26740-extra.zip" \
    --batch "$(cat "$state/batch")" > /dev/null || fail "outbox --add"
  keep "$work/packaged"
fi
if has_phase upload; then
  phase=upload
  time_phase "$work/packaged"
fi

summary=""
run=1
i=0
while [ "$run" -le "$runs" ]; do
  phase=$(echo $phases | cut -d' ' -f$((i % n_phases + 1)))
  i=$((i + 1))
  case "$phase" in
    work) restore "$work/start"; total=$took_work ;;
    package) restore "$work/approved"; total=$took_package ;;
    upload) restore "$work/packaged"; total=$took_upload ;;
  esac
  rand $((total + 1))
  delay=$r
  # Its own process group (setsid execs the step, so $! leads it).
  case "$phase" in
    work) set -- "$here/workflow.sh" "$cli" "$ws" "$state" "$work/page-1.png" "$work/page-2.png" ;;
    package) set -- "$here/outbox.sh" "$cli" "$ws" "$state" package "$pki/signer.p12" ;;
    upload) set -- env SOHOA_S3_PREFIX="r$run" "$here/outbox.sh" "$cli" "$ws" "$state" upload ;;
  esac
  setsid "$@" > "$state/log" 2>&1 &
  pid=$!
  [ "$phase" != package ] || wait_first_write "$pid"
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  # (dash's kill takes no "--": "kill -KILL -- -PID" kills nothing.)
  kill -KILL "-$pid" 2>/dev/null || true
  status=0
  wait "$pid" 2>/dev/null || status=$?
  at=$(where)
  # The machine's load changes while the runs go on: a step that ended
  # before its kill takes at most $delay now, and one that was killed
  # may take a little longer than thought.  So the spread follows it.
  case "$status" in
    137) eval "took_$phase=\$(( total + total / 20 + 1 ))" ;;
    0)
      at="finished-before-kill"
      eval "took_$phase=\$(( delay > 10 ? delay : 10 ))"
      ;;
    *) fail "the step failed before the kill (status $status): $(tail -n 5 "$state/log")" ;;
  esac
  summary="$summary $at"

  check killed
  # Resume: the interrupted step and the rest complete.
  "$@" > "$state/resume.log" 2>&1 || fail "the step does not resume: $(tail -n 5 "$state/resume.log")"
  check resumed
  check_complete
  say "run $run: $phase killed $delay ms in ($at)"
  run=$((run + 1))
done

printf 'ok - %s runs killed at random points (--seed %s); where the kills fell:' "$runs" "$first_seed"
printf '%s\n' $summary | sort | uniq -c | tr -s ' \n' '  '
echo
