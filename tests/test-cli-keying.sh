#!/bin/sh
# Double keying and search through sohoa-cli: a second clerk keys the
# critical fields blind, the disagreement blocks submission, a supervisor
# settles it, the batch goes through; search finds the record without marks.
# Usage: test-cli-keying.sh SOHOA-CLI SOHOA-RENDER-PAGE
set -eu

cli=$1
render=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-keying-XXXXXX")
trap 'rm -rf "$work"' EXIT
ws="$work/workspace"

fail() { printf 'not ok - %s\n' "$*"; exit 1; }
as() { user=$1; shift; SOHOA_PASSWORD="$user-pw" "$cli" -w "$ws" --user "$user" "$@"; }

"$render" --kind birth --seed 3 --dpi 150 --out "$work/page.png" --text-out "$work/truth.txt"
echo admin-pw | "$cli" -w "$ws" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin >/dev/null || fail "init"
for u in canbo canbo2; do
  printf 'admin-pw\n%s-pw\n' "$u" | "$cli" -w "$ws" --user admin user-add "$u" --role operator >/dev/null || fail "user-add $u"
done
printf 'admin-pw\ngiamsat-pw\n' | "$cli" -w "$ws" --user admin user-add giamsat --role supervisor >/dev/null || fail "user-add giamsat"

out=$(as canbo import "$work/page.png") || fail "import"
batch=$(echo "$out" | sed -n 's/^Batch \([0-9]*\):.*/\1/p')

as canbo set --batch "$batch" nksHoTen="Nguyễn Văn Hoà" nksNgaySinh=01/02/2020 || fail "set"

# The first keyer cannot key again; another clerk can, blind.
if as canbo key2 --batch "$batch" nksHoTen="Nguyễn Văn Hoà" 2>/dev/null; then
  fail "the first keyer keyed a second time"
fi
as canbo2 key2 --batch "$batch" nksHoTen="  Nguyễn Văn Hoà " nksNgaySinh=01/02/2021 || fail "key2"

# The keyers do not see each other's values; the supervisor does.
as canbo2 mismatches --batch "$batch" | grep -q "01/02/20" && fail "the second keyer saw a value"
as giamsat mismatches --batch "$batch" | grep -qF "$(printf '1\tnksNgaySinh\t01/02/2020\t01/02/2021')" \
  || fail "mismatch not listed"
as giamsat mismatches --batch "$batch" | grep -q nksHoTen && fail "agreeing values listed as a mismatch"

if as canbo submit --batch "$batch" 2>/dev/null; then
  fail "a batch with a disagreement was submitted"
fi
as giamsat arbitrate --batch "$batch" nksNgaySinh=value:02/02/2020 || fail "arbitrate"
[ -z "$(as giamsat mismatches --batch "$batch" 2>/dev/null)" ] || fail "mismatch left after arbitration"
as canbo submit --batch "$batch" || fail "submit after arbitration"

"$cli" -w "$ws" search nguyen van hoa | grep -qF "Nguyễn Văn Hoà" || fail "search"
"$cli" -w "$ws" audit-verify >/dev/null || fail "audit log"
echo "ok - double keying and search through the CLI"
