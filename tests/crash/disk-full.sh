#!/bin/sh
# Disk full during import and during packaging: the file system fills up
# (a small tmpfs when mounting is allowed, as root in CI) or files may not
# grow (RLIMIT_FSIZE, everywhere).  Import and packaging must fail with a
# clear, translated error, leave the database whole (sqlite3's
# integrity_check), the audit log valid and no half package behind (in
# the folder or in the outbox), and succeed once space returns.
# Usage: disk-full.sh SOHOA-CLI SOHOA-RENDER-PAGE
set -eu

cli=$(realpath "$1")
render=$2
here=$(cd "$(dirname "$0")" && pwd)
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
  grep -q "CRITICAL\|assertion\|Segmentation\|Sanitizer\|runtime error" "$work/err" && fail "a full disk made sohoa-cli fail badly"
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
grep -q "CRITICAL\|assertion\|Segmentation\|Sanitizer\|runtime error" "$work/err" && fail "RLIMIT_FSIZE made sohoa-cli fail badly"
check_whole "$ws"
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import --batch 1 "$work/page.png" "$work/page2.png" > "$work/out" 2>&1 \
  || SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import "$work/page.png" "$work/page2.png" > "$work/out" 2>&1 \
  || fail "import after the limit was lifted: $(cat "$work/out")"
check_whole "$ws"
[ "$(sqlite3 "$ws/sohoa.db" 'SELECT count(*) FROM pages')" = 2 ] || fail "pages missing after the limit was lifted"

say "import scenarios passed"

# Packaging.  An approved batch of two pages (tests/crash/workflow.sh),
# packaged and signed with a PKCS#12 file.
"$here/signer.sh" "$work/pki" || fail "signer.sh (certtool)"
for i in 1 2; do
  "$render" --kind birth --seed "$i" --dpi 200 --font "Liberation Serif" --out "$work/small-$i.png" > /dev/null
done
ws="$work/approved"
new_workspace "$ws"
printf 'admin-pw\ngiamsat-pw\n' | "$cli" -w "$ws" --user admin user-add giamsat --role supervisor > /dev/null \
  || fail "user-add"
mkdir "$work/state"
"$here/workflow.sh" "$cli" "$ws" "$work/state" "$work/small-1.png" "$work/small-2.png" > /dev/null \
  || fail "the workflow before packaging"
batch=$(cat "$work/state/batch")

package() {
  SOHOA_PIN=p12-pw SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat \
    package --batch "$batch" --out "$1" --p12 "$work/pki/signer.p12"
}
n_packages() { sqlite3 "$ws/sohoa.db" 'SELECT count(*) FROM packages'; }

# A refused package: a clear error, in English and in Vietnamese, nothing
# in the folder $2, nothing more in the outbox, the batch as it was.
check_refused() {
  say "$1: $(cat "$work/err")"
  grep -q "could not be written.*free space" "$work/err" || fail "$1: no clear error: $(cat "$work/err")"
  grep -q "CRITICAL\|assertion\|Segmentation\|Sanitizer\|runtime error" "$work/err" "$work/err-vi" \
    && fail "$1 made sohoa-cli fail badly"
  grep -q "Không ghi được gói .*còn chỗ trống" "$work/err-vi" || fail "$1: the error is not translated: $(cat "$work/err-vi")"
  leftover=$(ls -A "$2" | grep -v '^filler$' || true)
  [ -z "$leftover" ] || fail "$1 left files behind: $leftover"
  [ "$(n_packages)" = "$packaged" ] || fail "$1: a package is in the outbox"
  [ "$(sqlite3 "$ws/sohoa.db" "SELECT state FROM batches WHERE id = $batch")" = "$state_before" ] \
    || fail "$1: the batch changed state"
  check_whole "$ws"
}

# A package made once space returned: it verifies and the outbox lists it.
check_packaged() {
  "$cli" verify "$1" --ca "$work/pki/ca.pem" > /dev/null || fail "the package made after space returned does not verify"
  [ "$(n_packages)" = $((packaged + 1)) ] || fail "the package made after space returned is not in the outbox"
  "$cli" -w "$ws" outbox | grep -q "	$(basename "$1")	" || fail "sohoa-cli outbox does not list $(basename "$1")"
  [ -z "$(ls -A "$(dirname "$1")" | grep -v -e '^filler$' -e "^$(basename "$1")\$")" ] \
    || fail "files left beside the package: $(ls -A "$(dirname "$1")")"
  check_whole "$ws"
}

# Scenario 3: the folder of the packages is full (ENOSPC).
if mkdir "$work/full" && mount -t tmpfs -o size=1m tmpfs "$work/full" 2>/dev/null; then
  mounted="$work/full"
  packaged=$(n_packages)
  state_before=$(sqlite3 "$ws/sohoa.db" "SELECT state FROM batches WHERE id = $batch")
  dd if=/dev/zero of="$work/full/filler" bs=1k count=$(( $(df -k --output=avail "$work/full" | tail -n 1) - 128 )) 2>/dev/null
  package "$work/full/26740-$batch.zip" > /dev/null 2> "$work/err" && fail "packaging into a full file system succeeded"
  LANGUAGE=vi package "$work/full/26740-$batch.zip" > /dev/null 2> "$work/err-vi" || true
  check_refused "ENOSPC while packaging" "$work/full"
  rm -f "$work/full/filler"
  package "$work/full/26740-$batch.zip" > /dev/null || fail "packaging after space returned"
  check_packaged "$work/full/26740-$batch.zip"
  umount "$mounted"
  mounted=""
  say "tmpfs packaging scenario passed"
else
  say "mounting a tmpfs is not allowed here: RLIMIT_FSIZE only"
fi

# Scenario 4: files may not grow past 256 KB (EFBIG), the package being
# some 600 KB.
packaged=$(n_packages)
state_before=$(sqlite3 "$ws/sohoa.db" "SELECT state FROM batches WHERE id = $batch")
mkdir -p "$ws/packages"
out="$ws/packages/26740-$batch.zip"
(trap '' XFSZ; ulimit -f 512; package "$out") > /dev/null 2> "$work/err" && fail "packaging past RLIMIT_FSIZE succeeded"
(trap '' XFSZ; ulimit -f 512; LANGUAGE=vi package "$out") > /dev/null 2> "$work/err-vi" || true
check_refused "EFBIG while packaging" "$ws/packages"
package "$out" > /dev/null || fail "packaging after the limit was lifted"
check_packaged "$out"

echo "ok - a full disk refuses the import and the packaging cleanly, and both resume"
