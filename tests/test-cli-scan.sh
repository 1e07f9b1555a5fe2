#!/bin/sh
# sohoa-cli scan against SANE's "test" backend (SANE_CONFIG_DIR=tests/sane):
# a feeder run lands in a batch page by page, and a missing scanner is
# reported plainly.
# Usage: test-cli-scan.sh SOHOA-CLI
set -eu

cli=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-scan-XXXXXX")
trap 'rm -rf "$work"' EXIT
ws="$work/workspace"

say() { printf '%s\n' "$*" | sed 's/^/# /'; }
fail() { printf 'not ok - %s\n' "$*"; exit 1; }

[ -n "${SANE_CONFIG_DIR:-}" ] || fail "SANE_CONFIG_DIR is not set (meson test sets it to tests/sane)"
# The test backend cancels its reader thread asynchronously at the end of
# each page; glibc's freed-memory filling makes that deadlock now and then
# (see tests/test-scanner.c).
MALLOC_PERTURB_=0
export MALLOC_PERTURB_

echo admin-pw | "$cli" --workspace "$ws" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin \
  || fail "init"
printf 'admin-pw\ncanbo-pw\n' | "$cli" -w "$ws" --user admin user-add canbo --role operator \
  || fail "user-add"

out=$("$cli" -w "$ws" scan --list) || fail "scan --list"
say "$out"
printf '%s\n' "$out" | grep -q '^test:0	Noname	frontend-tester	virtual device$' \
  || fail "scan --list does not show SANE's test scanner (is libsane1 installed?)"

# Three sheets from the feeder, each imported as it arrives.
out=$(SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo scan --device test:0 --source feeder --pages 3 \
        --resolution 200) || fail "scan: $out"
say "$out"
[ "$(printf '%s\n' "$out" | grep -c '^Page [0-9]* added to batch')" -eq 3 ] || fail "not three pages added: $out"
batch=$(printf '%s\n' "$out" | sed -n 's/^Batch \([0-9]*\): 3 pages scanned$/\1/p')
[ -n "$batch" ] || fail "no batch summary in: $out"

batches=$("$cli" -w "$ws" batches)
say "$batches"
printf '%s\n' "$batches" | awk -F '\t' -v id="$batch" '$1 == id && $4 == 3 { found = 1 } END { exit !found }' \
  || fail "batch $batch does not have 3 pages"

# The whole feeder (ten sheets in the test backend) into the same batch.
out=$(SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo scan --device test:0 --source feeder \
        --batch "$batch" --gray) || fail "second scan: $out"
printf '%s\n' "$out" | grep -q "^Batch $batch: 10 pages scanned$" || fail "second scan: $out"
"$cli" -w "$ws" batches | awk -F '\t' -v id="$batch" '$1 == id && $4 == 13 { found = 1 } END { exit !found }' \
  || fail "batch $batch does not have 13 pages"

# A scanner that is not there: a plain message and a failing exit status.
if err=$(SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo scan --device nosuch:scanner 2>&1); then
  fail "scanning a missing scanner succeeded"
fi
say "$err"
printf '%s\n' "$err" | grep -q 'The scanner “nosuch:scanner” was not found' || fail "unclear error: $err"

# Resolutions below what the archive accepts are refused up front.
if SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo scan --device test:0 --resolution 150 2>/dev/null; then
  fail "a 150 dpi scan was accepted"
fi

"$cli" -w "$ws" audit-verify || fail "audit log"
echo "ok - sohoa-cli scan"
