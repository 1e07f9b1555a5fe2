#!/bin/sh
# Personal data stays out of logs, and the workspace is private.  A whole
# workflow runs with every debug message on (G_MESSAGES_DEBUG=all); what
# each command writes to stderr, what commands that do not show records
# write to stdout, and any log file in the workspace are searched for the
# personal values keyed (names, ID numbers, dates of birth) and the ID
# number printed on the page: none may appear.  Every file the workspace
# holds is then checked to be its owner's alone (0600, folders 0700).
# Usage: test-cli-private.sh SOHOA-CLI SOHOA-RENDER-PAGE
set -eu

cli=$1
render=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-private-XXXXXX")
trap 'rm -rf "$work"' EXIT
ws="$work/workspace"
logs="$work/logs"
mkdir "$logs"
export G_MESSAGES_DEBUG=all
# A permissive umask, as on many desktops: privacy must not depend on it.
umask 022

fail() { printf 'not ok - %s\n' "$*"; exit 1; }
n=0
# Runs a command; its stderr always goes to the logs, its stdout too
# unless it is meant to show records (search).
# (Numbered from the files, as a piped run has its own shell.)
run() {
  n=$(($(find "$logs" -name '*.err' | wc -l) + 1))
  "$@" > "$logs/$n.out" 2> "$logs/$n.err" || fail "command $n failed: $* ($(tail -n 3 "$logs/$n.err"))"
}

"$render" --kind birth --seed 11 --dpi 300 --font "Liberation Serif" \
  --out "$work/page.png" --text-out "$work/truth.txt"
page_id=$(grep -oE '[0-9]{12}' "$work/truth.txt" | head -n 1)

echo admin-pw | run "$cli" --workspace "$ws" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin
printf 'admin-pw\ncanbo-pw\n' | run "$cli" -w "$ws" --user admin user-add canbo --role operator
printf 'admin-pw\ngiamsat-pw\n' | run "$cli" -w "$ws" --user admin user-add giamsat --role supervisor
SOHOA_PASSWORD=canbo-pw run "$cli" -w "$ws" --user canbo import "$work/page.png"
batch=$(sed -n 's/^Batch \([0-9]*\):.*/\1/p' "$logs/$n.out")
[ -n "$batch" ] || fail "no batch number"
run "$cli" -w "$ws" ocr --batch "$batch"

name="Hoàng Thị Xuyến Quỳnh"
mother="Đoàn Thị Mỹ Khuê"
father="Tạ Văn Thượng Lũy"
id_number=079302009876
mother_id=079169001357
birth=17/09/2002
mother_birth=21/04/1969
SOHOA_PASSWORD=canbo-pw run "$cli" -w "$ws" --user canbo set --batch "$batch" --document 1 \
  so=7 quyenSo=01/2002 ngayDangKy=20/09/2002 nksHoTen="$name" nksGioiTinh=2 nksNgaySinh="$birth" \
  nksSoDinhDanh="$id_number" nksDanToc=01 nksQuocTich=VN meHoTen="$mother" meNgaySinh="$mother_birth" \
  meSoGiayToTuyThan="$mother_id" chaHoTen="$father"
# Search shows records by design: its stdout is not a log.
"$cli" -w "$ws" search "$name" > "$work/search.out" 2> "$logs/search.err" || fail "search"
grep -qF "$name" "$work/search.out" || fail "search did not find the record"
SOHOA_PASSWORD=canbo-pw run "$cli" -w "$ws" --user canbo submit --batch "$batch"
SOHOA_PASSWORD=giamsat-pw run "$cli" -w "$ws" --user giamsat review --batch "$batch" --document 1 --return "Kiểm tra lại"
SOHOA_PASSWORD=giamsat-pw run "$cli" -w "$ws" --user giamsat review --batch "$batch" --document 1 --approve
SOHOA_PASSWORD=giamsat-pw run "$cli" -w "$ws" --user giamsat approve --batch "$batch"
SOHOA_PASSWORD=giamsat-pw run "$cli" -w "$ws" --user giamsat export --batch "$batch" --out "$work/lo.zip"
run "$cli" -w "$ws" audit verify
# A record with errors, checked by the validator: its messages name
# fields, never values.
printf '{"nksHoTen":"%s","nksSoDinhDanh":"07930200987","nksNgaySinh":"31/02/2002"}' "$name" > "$work/record.json"
"$cli" validate --schema ho-tich.khai-sinh "$work/record.json" > "$logs/validate.out" 2> "$logs/validate.err" || true
[ -s "$logs/validate.out" ] || fail "validate reported nothing"

# Debug output was really on (GLib writes it to stdout): the scan below
# is not vacuous.
cat "$logs"/* | grep -q -- "-DEBUG: " || fail "no debug messages came out; the scan would prove nothing"
find "$ws" -name '*.log' -exec cp {} "$logs" \;

for value in "$name" "$mother" "$father" "$id_number" "$mother_id" "$birth" "$mother_birth" \
             "Xuyến" "Quỳnh" "07930200987" "$page_id"; do
  if hits=$(grep -rlF -- "$value" "$logs"); then
    fail "\"$value\" was written to a log: $hits"
  fi
done

# The workspace is its owner's alone, whatever the umask.
leaks=$(find "$ws" \( -type f -perm /077 \) -o \( -type d -perm /077 \))
[ -z "$leaks" ] || fail "readable by others: $(echo "$leaks" | head -n 5 | tr '\n' ' ')"
# So is the export written outside it.
[ -z "$(find "$work/lo.zip" -perm /077)" ] || fail "the export lo.zip is readable by others"

echo "ok - $(find "$logs" -name '*.err' | wc -l) commands with debug messages on wrote no personal value; the workspace is private"
