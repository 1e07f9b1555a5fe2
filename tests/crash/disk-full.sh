#!/bin/sh
# Disk full during import: the workspace's file system fills up (a small
# tmpfs when mounting is allowed, as root in CI) or its files may not grow
# (RLIMIT_FSIZE, everywhere).  Import must fail with a clear error, leave
# the database whole (sqlite3's integrity_check) and the audit log valid,
# and succeed once space returns.
# Usage: disk-full.sh SOHOA-CLI SOHOA-RENDER-PAGE
set -eu

cli=$1
render=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-diskfull-XXXXXX")
mounted=""
cleanup() {
  [ -z "$mounted" ] || umount "$mounted" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { printf 'not ok - %s\n' "$*"; exit 1; }
say() { printf '# %s\n' "$*"; }

"$render" --kind birth --seed 3 --dpi 300 --font "Liberation Serif" --out "$work/page.png" > /dev/null
"$render" --kind birth --seed 4 --dpi 300 --font "Liberation Serif" --out "$work/page2.png" > /dev/null

new_workspace() {
  echo admin-pw | "$cli" --workspace "$1" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin > /dev/null \
    || fail "init"
  printf 'admin-pw\ncanbo-pw\n' | "$cli" -w "$1" --user admin user-add canbo --role operator > /dev/null \
    || fail "user-add"
}

check_whole() {
  ic=$(sqlite3 "$1/sohoa.db" 'PRAGMA integrity_check') || fail "sqlite3 cannot open the database"
  [ "$ic" = ok ] || fail "integrity_check after a full disk: $ic"
  "$cli" -w "$1" audit verify > /dev/null || fail "the audit log does not verify after a full disk"
}

# Scenario 1: a full file system (ENOSPC).
if mkdir "$work/small" && mount -t tmpfs -o size=4m tmpfs "$work/small" 2>/dev/null; then
  mounted="$work/small"
  ws="$work/small/workspace"
  new_workspace "$ws"
  # Fill what is left but a few kilobytes.
  dd if=/dev/zero of="$work/small/filler" bs=4k 2>/dev/null || true
  rm -f "$work/small/filler"
  free_kb=$(df -k --output=avail "$work/small" | tail -n 1)
  dd if=/dev/zero of="$work/small/filler" bs=1k count=$((free_kb - 24)) 2>/dev/null
  if SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import "$work/page.png" > "$work/out" 2> "$work/err"; then
    fail "import into a full file system succeeded: $(cat "$work/out")"
  fi
  say "ENOSPC: $(cat "$work/err")"
  grep -qi "disk .*full" "$work/err" || fail "no clear error for a full disk: $(cat "$work/err")"
  grep -q "CRITICAL\|assertion\|Segmentation" "$work/err" && fail "a full disk made sohoa-cli fail badly"
  rm -f "$work/small/filler"
  check_whole "$ws"
  SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import "$work/page.png" > "$work/out" \
    || fail "import after space returned"
  grep -q "1 page" "$work/out" || fail "import after space returned: $(cat "$work/out")"
  check_whole "$ws"
  umount "$mounted"
  mounted=""
  say "tmpfs scenario passed"
else
  say "mounting a tmpfs is not allowed here: RLIMIT_FSIZE only"
fi

# Scenario 2: files may not grow past 256 KB (EFBIG; SIGXFSZ ignored as a
# service manager's limit would leave it).
ws="$work/limited"
new_workspace "$ws"
db_kb=$(du -k "$ws/sohoa.db" | cut -f1)
if (trap '' XFSZ; ulimit -f 512; SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import "$work/page.png" "$work/page2.png") \
     > "$work/out" 2> "$work/err"; then
  fail "import past RLIMIT_FSIZE succeeded: $(cat "$work/out")"
fi
say "EFBIG (database $db_kb KB): $(cat "$work/err")"
[ -s "$work/err" ] || fail "no error message when a file could not grow"
grep -q "CRITICAL\|assertion\|Segmentation" "$work/err" && fail "RLIMIT_FSIZE made sohoa-cli fail badly"
check_whole "$ws"
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import --batch 1 "$work/page.png" "$work/page2.png" > "$work/out" 2>&1 \
  || SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import "$work/page.png" "$work/page2.png" > "$work/out" 2>&1 \
  || fail "import after the limit was lifted: $(cat "$work/out")"
check_whole "$ws"
[ "$(sqlite3 "$ws/sohoa.db" 'SELECT count(*) FROM pages')" = 2 ] || fail "pages missing after the limit was lifted"

echo "ok - a full disk refuses the import cleanly and the import resumes"
