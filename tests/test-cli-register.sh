#!/bin/sh
# sohoa-cli register-check: one line per hole or repeat in the register
# numbers of a batch (translated), exit status 1 when a number is repeated.
# Usage: test-cli-register.sh SOHOA-CLI SOHOA-RENDER-PAGE
set -eu

cli=$1
render=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-register-XXXXXX")
trap 'rm -rf "$work"' EXIT
ws="$work/workspace"

fail() { printf 'not ok - %s\n' "$*"; exit 1; }

for seed in 1 2 3 4; do
  "$render" --kind birth --seed "$seed" --dpi 200 --out "$work/p$seed.png"
done
echo admin-pw | "$cli" --workspace "$ws" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin \
  || fail "init"
out=$(SOHOA_PASSWORD=admin-pw "$cli" -w "$ws" --user admin import "$work/p1.png" "$work/p2.png" "$work/p3.png" "$work/p4.png") \
  || fail "import"
batch=$(echo "$out" | sed -n 's/^Batch \([0-9]*\):.*/\1/p')
[ -n "$batch" ] || fail "no batch number in: $out"

key() {
  SOHOA_PASSWORD=admin-pw "$cli" -w "$ws" --user admin set --batch "$batch" --document "$1" \
    so="$2" quyenSo=01 ngayDangKy="$3" || fail "set document $1"
}
key 1 1 02/01/2025
key 2 1 03/01/2025
key 3 4 05/01/2025
key 4 1 06/01/2026

if "$cli" -w "$ws" register-check --batch "$batch" > "$work/out.txt"; then
  fail "a repeated number passed"
fi
cat "$work/out.txt"
grep -qx "Book 01, year 2025: number 1 is used 2 times (documents 1, 2)" "$work/out.txt" || fail "no repeat line"
grep -qx "Book 01, year 2025: numbers 2 to 3 are missing" "$work/out.txt" || fail "no gap line"
[ "$(wc -l < "$work/out.txt")" -eq 2 ] || fail "2026 starts again at 1: no other line expected"

# In Vietnamese.
LANGUAGE=vi "$cli" -w "$ws" register-check --batch "$batch" > "$work/vi.txt" || true
cat "$work/vi.txt"
grep -q "^Quyển 01, năm 2025: số 1 được dùng 2 lần" "$work/vi.txt" || fail "not translated"

# Put right: no repeat, exit status 0 even with the hole left.
key 2 2 03/01/2025
"$cli" -w "$ws" register-check --batch "$batch" > "$work/out.txt" || fail "exit status without repeats"
grep -qx "Book 01, year 2025: number 3 is missing" "$work/out.txt" || fail "no gap line after the fix"
echo "ok - register-check"
