#!/bin/sh
# End to end through sohoa-cli: a rendered Vietnamese civil-status page is
# imported, read by Tesseract, keyed, submitted, approved and exported; the
# ZIP is then checked with unzip and sha256sum, tools Sohoa does not control.
# Usage: test-cli-e2e.sh SOHOA-CLI SOHOA-RENDER-PAGE
set -eu

cli=$1
render=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-e2e-XXXXXX")
trap 'rm -rf "$work"' EXIT
ws="$work/workspace"

say() { printf '# %s\n' "$*"; }
fail() { printf 'not ok - %s\n' "$*"; exit 1; }

# The CLI runs without a display: it must not link GTK.
if ldd "$cli" | grep -Eq 'libgtk|libadwaita|libgdk'; then
  fail "sohoa-cli links GTK"
fi

"$render" --kind birth --seed 7 --dpi 300 --font "Liberation Serif" \
  --out "$work/trich-luc.png" --text-out "$work/truth.txt"

echo admin-pw | "$cli" --workspace "$ws" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin \
  || fail "init"
printf 'admin-pw\ncanbo-pw\n' | "$cli" -w "$ws" --user admin user-add canbo --role operator --full-name "Nguyễn Thị Lan" \
  || fail "user-add operator"
printf 'admin-pw\ngiamsat-pw\n' | "$cli" -w "$ws" --user admin user-add giamsat --role supervisor \
  || fail "user-add supervisor"

out=$(SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import "$work/trich-luc.png") || fail "import"
say "$out"
batch=$(echo "$out" | sed -n 's/^Batch \([0-9]*\):.*/\1/p')
[ -n "$batch" ] || fail "no batch number in: $out"

# Importing the same file again does not duplicate it.
out=$(SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import --batch "$batch" "$work/trich-luc.png") || fail "re-import"
echo "$out" | grep -q "0 pages imported, 1 already" || fail "re-import duplicated: $out"

"$cli" -w "$ws" ocr --batch "$batch" || fail "ocr"
"$cli" -w "$ws" text --batch "$batch" > "$work/ocr.txt"
say "OCR: $(head -c 300 "$work/ocr.txt" | tr '\n' ' ')"

# Known words of the rendered page must come out of OCR, diacritics intact.
for word in "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "Độc lập" "Hạnh phúc" "khai sinh" "Quốc tịch"; do
  grep -qF "$word" "$work/ocr.txt" || fail "OCR lost \"$word\""
done
# And the 12-digit personal number printed on the page.
id=$(grep -oE '[0-9]{12}' "$work/truth.txt" | head -n 1)
[ -n "$id" ] || fail "the rendered page has no 12-digit number"
grep -qF "$id" "$work/ocr.txt" || fail "OCR lost the ID number $id"

SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo set --batch "$batch" --document 1 \
  so=42 nksHoTen="Nguyễn Văn An" || fail "set"
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo submit --batch "$batch" || fail "submit"

# An operator cannot approve.
if SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo approve --batch "$batch" 2>/dev/null; then
  fail "an operator approved a batch"
fi
# Nor can anyone export before approval.
if SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat export --batch "$batch" --out "$work/early.zip" 2>/dev/null; then
  fail "an unapproved batch was exported"
fi
SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat approve --batch "$batch" || fail "approve"
SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat export --batch "$batch" --out "$work/lo.zip" || fail "export"

mkdir "$work/unzipped"
unzip -q "$work/lo.zip" -d "$work/unzipped" || fail "unzip"
(cd "$work/unzipped" && sha256sum --strict -c manifest-sha256.txt) || fail "checksums"
grep -q '"Nguyễn Văn An"' "$work/unzipped/records.json" || fail "the keyed name is not in records.json"
ls "$work/unzipped/pages/" | grep -q '\.png$' || fail "no page image in the ZIP"

"$cli" -w "$ws" audit-verify || fail "audit log"

# The stateless OCR used by the benchmarks: DIR/<name without extension>.txt, NFC.
"$cli" ocr-file "$work/trich-luc.png" --out-dir "$work/txt" || fail "ocr-file"
grep -qF "Độc lập" "$work/txt/trich-luc.txt" || fail "ocr-file lost \"Độc lập\""
cmp -s "$work/txt/trich-luc.txt" "$work/ocr.txt" || fail "ocr-file and ocr read the page differently"

# A record checked as the form checks it: errors make exit status 1.
printf '{"nksHoTen":"Nguyễn Văn An","nksSoDinhDanh":"07920300123","_ghi":"x"}' > "$work/record.json"
if "$cli" validate --schema ho-tich.khai-sinh "$work/record.json" > "$work/problems.txt"; then
  fail "validate accepted an 11-digit personal number"
fi
grep -q '^nksSoDinhDanh: error: ' "$work/problems.txt" || fail "validate did not name nksSoDinhDanh"
grep -q '^nksHoTen' "$work/problems.txt" && fail "validate complained of a good name"

echo "ok - import, OCR, approval and export of batch $batch"
