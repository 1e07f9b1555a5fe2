#!/bin/sh
# Crash harness: runs a sohoa-cli workflow (tests/crash/workflow.sh: import
# of rendered pages, OCR, many fields set, submit, approve), kills it with
# SIGKILL after a random delay, and checks what a power cut must leave:
#   - PRAGMA integrity_check is "ok" (sqlite3, not Sohoa, says so);
#   - every field value whose `sohoa-cli set` returned success is stored;
#   - the audit log verifies;
#   - the workflow, run again, resumes and completes.
# Usage: run.sh SOHOA-CLI SOHOA-RENDER-PAGE [--runs N] [--seed S]
# (tests/crash/README.md has the figures of a 200-run session).
set -eu

cli=$(realpath "$1")
render=$2
shift 2
runs=20
seed=$$
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "usage: run.sh SOHOA-CLI SOHOA-RENDER-PAGE [--runs N] [--seed S]" >&2; exit 2 ;;
  esac
done

first_seed=$seed
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-crash-XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { printf 'not ok - run %s (--seed %s, delay %s ms): %s\n' "$run" "$first_seed" "${delay:-0}" "$*"; exit 1; }
now_ms() { date +%s%3N; }
# A small deterministic generator, so a failing run can be repeated with
# --seed.
# Sets $r to a number below $1.
rand() { seed=$(( (seed * 1103515245 + 12345) % 2147483648 )); r=$(( (seed / 65536) % $1 )); }

run=setup
# Two pages at 200 dpi: OCR is a real part of the workflow, but short.
for i in 1 2; do
  "$render" --kind birth --seed "$i" --dpi 200 --font "Liberation Serif" --out "$work/page-$i.png" > /dev/null
done
echo admin-pw | "$cli" --workspace "$work/template" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin > /dev/null
printf 'admin-pw\ncanbo-pw\n' | "$cli" -w "$work/template" --user admin user-add canbo --role operator > /dev/null
printf 'admin-pw\ngiamsat-pw\n' | "$cli" -w "$work/template" --user admin user-add giamsat --role supervisor > /dev/null

check () {
  ws=$1
  state=$2
  ic=$(sqlite3 "$ws/sohoa.db" 'PRAGMA integrity_check') || fail "sqlite3 cannot open the database"
  [ "$ic" = ok ] || fail "integrity_check: $ic"
  if [ -s "$state/committed" ]; then
    batch=$(cat "$state/batch")
    while IFS='	' read -r doc pair; do
      key=${pair%%=*}
      value=${pair#*=}
      stored=$(sqlite3 "$ws/sohoa.db" "SELECT v.value FROM field_values v
          JOIN records r ON r.id = v.record_id JOIN documents d ON d.id = r.document_id
          WHERE d.batch_id = $batch AND v.key = '$key'
          ORDER BY d.position LIMIT 1 OFFSET $((doc - 1))")
      [ "$stored" = "$value" ] || fail "document $doc: $key is \"$stored\", \"$value\" was saved"
    done < "$state/committed"
  fi
  "$cli" -w "$ws" audit verify > /dev/null 2>&1 || fail "the audit log does not verify"
}

# Runs 0 and -1: uninterrupted, to time the workflow the kills are spread
# over (the faster of the two: the first loads the OCR model cold).
total=0
for run in 0 -1; do
  cp -a "$work/template" "$work/ws$run"
  mkdir "$work/state$run"
  start=$(now_ms)
  "$here/workflow.sh" "$cli" "$work/ws$run" "$work/state$run" "$work/page-1.png" "$work/page-2.png" \
    || fail "the workflow fails without a kill"
  took=$(( $(now_ms) - start ))
  if [ "$total" -eq 0 ] || [ "$took" -lt "$total" ]; then
    total=$took
  fi
  check "$work/ws$run" "$work/state$run"
  [ "$(grep -c . "$work/state$run/committed")" -eq 24 ] || fail "the uninterrupted workflow did not save 24 fields"
  rm -rf "$work/ws$run" "$work/state$run"
done
printf '# workflow takes %s ms uninterrupted\n' "$total"

killed_in=""
run=1
while [ "$run" -le "$runs" ]; do
  ws="$work/ws$run"
  state="$work/state$run"
  cp -a "$work/template" "$ws"
  mkdir "$state"
  rand "$total"
  delay=$r
  # Its own process group, so the kill takes sohoa-cli and the shell alike.
  setsid "$here/workflow.sh" "$cli" "$ws" "$state" "$work/page-1.png" "$work/page-2.png" \
    > "$state/log" 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  step=$(tail -n 1 "$state/done" 2>/dev/null || echo start)
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  killed_in="$killed_in $step"

  check "$ws" "$state"
  # Resume: the interrupted step and the rest complete.
  "$here/workflow.sh" "$cli" "$ws" "$state" "$work/page-1.png" "$work/page-2.png" > "$state/log" 2>&1 \
    || fail "the workflow does not resume: $(tail -n 5 "$state/log")"
  check "$ws" "$state"
  [ "$(sqlite3 "$ws/sohoa.db" "SELECT state FROM batches WHERE id = $(cat "$state/batch")")" = approved ] \
    || fail "the resumed batch is not approved"
  [ "$(sqlite3 "$ws/sohoa.db" 'SELECT count(*) FROM batches')" = 1 ] || fail "a resumed import made a second batch"
  [ "$(sqlite3 "$ws/sohoa.db" 'SELECT count(*) FROM pages')" = 2 ] || fail "pages lost or duplicated"
  printf '# run %s: killed %s ms in, after step "%s"\n' "$run" "$delay" "$step"
  rm -rf "$ws" "$state"
  run=$((run + 1))
done

printf 'ok - %s runs killed at random points (--seed %s); last step done before the kill ("approve": the workflow had finished):' "$runs" "$first_seed"
printf '%s\n' $killed_in | sed 's/^set-.*/set/' | sort | uniq -c | tr -s ' \n' '  '
echo
