#!/bin/sh
# End to end: an approved batch becomes a TT 05/2025 package, signed through
# a PKCS#11 token (SoftHSM2) and with a PKCS#12 file, and is checked with
# tools Sohoa does not control (xmllint with the METS schema, openssl cms,
# sha256sum, Python's zipfile), then damaged in every way we can think of.
# Usage: test-package.sh SOHOA-CLI SOHOA-RENDER-PAGE
set -eu

cli=$(realpath "$1")
render=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-package-XXXXXX")
trap 'rm -rf "$work"' EXIT
ws="$work/workspace"
pki="$work/pki"
mkdir "$pki"

say() { printf '# %s\n' "$*"; }
fail() { printf 'not ok - %s\n' "$*"; exit 1; }

# A CA and a signer certificate (RSA, so signatures are reproducible).
cat > "$pki/ca.tmpl" <<'TMPL'
cn = "Sohoa Test CA"
organization = "Sohoa test"
serial = 1
expiration_days = 30
ca
cert_signing_key
TMPL
cat > "$pki/signer.tmpl" <<'TMPL'
cn = "UBND Phường Sài Gòn"
organization = "Sohoa test"
serial = 2
expiration_days = 30
signing_key
TMPL
cat > "$pki/other.tmpl" <<'TMPL'
cn = "Another CA"
serial = 3
expiration_days = 30
ca
cert_signing_key
TMPL
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$pki/ca-key.pem" 2>/dev/null
certtool --generate-self-signed --load-privkey "$pki/ca-key.pem" --template "$pki/ca.tmpl" --outfile "$pki/ca.pem" 2>/dev/null
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$pki/other-key.pem" 2>/dev/null
certtool --generate-self-signed --load-privkey "$pki/other-key.pem" --template "$pki/other.tmpl" --outfile "$pki/other.pem" 2>/dev/null
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$pki/signer-key.pem" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$pki/signer-key.pem" -out "$pki/signer-key.p8"
certtool --generate-certificate --load-privkey "$pki/signer-key.pem" --load-ca-certificate "$pki/ca.pem" \
  --load-ca-privkey "$pki/ca-key.pem" --template "$pki/signer.tmpl" --outfile "$pki/signer.pem" 2>/dev/null
certtool --to-p12 --load-privkey "$pki/signer-key.pem" --load-certificate "$pki/signer.pem" \
  --load-ca-certificate "$pki/ca.pem" --p12-name ky-so --password p12-pw --outder --outfile "$pki/signer.p12" >/dev/null 2>&1 \
  || fail "certtool --to-p12"

# A SoftHSM2 token holding the signer's key and certificate; a PIN that
# cannot appear in the workspace by chance.
pin="Sohoa-PIN-73915"
export SOFTHSM2_CONF="$work/softhsm2.conf"
mkdir "$work/tokens"
echo "directories.tokendir = $work/tokens" > "$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label SohoaTest --pin "$pin" --so-pin 567890 >/dev/null || fail "softhsm2 init"
softhsm2-util --import "$pki/signer-key.p8" --token SohoaTest --label ky-so --id 01 --pin "$pin" >/dev/null \
  || fail "softhsm2 key import"
GNUTLS_PIN="$pin" p11tool --login --write --load-certificate "$pki/signer.pem" --label ky-so --id 01 \
  "pkcs11:token=SohoaTest" >/dev/null 2>&1 || fail "p11tool certificate import"
token="pkcs11:token=SohoaTest;object=ky-so"

# A civil-status batch of two entries in one book, read by Tesseract.
"$render" --kind birth --seed 3 --dpi 200 --out "$work/a.png" --text-out /dev/null
"$render" --kind birth --seed 4 --dpi 200 --out "$work/b.png" --text-out /dev/null
echo admin-pw | "$cli" -w "$ws" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin >/dev/null || fail "init"
printf 'admin-pw\ncanbo-pw\n' | "$cli" -w "$ws" --user admin user-add canbo --role operator >/dev/null
printf 'admin-pw\ngiamsat-pw\n' | "$cli" -w "$ws" --user admin user-add giamsat --role supervisor >/dev/null
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import "$work/a.png" "$work/b.png" >/dev/null || fail "import"
"$cli" -w "$ws" ocr --batch 1 >/dev/null || fail "ocr"
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo set --batch 1 --document 1 \
  so=12 quyenSo=01/2025 nksHoTen="Nguyễn Văn An" >/dev/null || fail "set 1"
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo set --batch 1 --document 2 \
  so=13 quyenSo=01/2025 nksHoTen="Trần Thị Hoà, \"Bé\"" >/dev/null || fail "set 2"
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo submit --batch 1 >/dev/null

# Not before approval, and not by an operator.
if SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat package --batch 1 --out "$work/early.zip" 2>/dev/null; then
  fail "an unapproved batch was packaged"
fi
SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat approve --batch 1 >/dev/null || fail "approve"
if SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo package --batch 1 --out "$work/op.zip" 2>/dev/null; then
  fail "an operator made a package"
fi

# Signed on the token.  A wrong PIN is refused once and never retried.
if SOHOA_PIN=0000 SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat package --batch 1 \
     --out "$work/wrong.zip" --pkcs11 "$token" 2>"$work/wrong.err"; then
  fail "a wrong PIN signed"
fi
[ ! -e "$work/wrong.zip" ] || fail "a package was left behind after a wrong PIN"
SOHOA_PIN="$pin" SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat package --batch 1 \
  --out "$work/token.zip" --pkcs11 "$token" || fail "package signed on the token"
# The token still works (the wrong PIN did not lock it) and the PIN is nowhere on disk.
if grep -rqsF "$pin" "$ws/sohoa.db" "$ws/sohoa.db-wal"; then fail "the PIN was stored"; fi

"$cli" verify "$work/token.zip" --ca "$pki/ca.pem" || fail "verify (token)"
if "$cli" verify "$work/token.zip" --ca "$pki/other.pem" 2>/dev/null; then
  fail "a signature from an untrusted CA was accepted"
fi

# Independent checks on the unpacked package.
mkdir "$work/x"
unzip -q "$work/token.zip" -d "$work/x" || fail "unzip"
root=$(ls "$work/x")
cd "$work/x/$root"
xmllint --noout --nonet --schema schemas/mets.xsd METS.xml || fail "METS.xml does not validate"
xmllint --noout metadata/descriptive/EAD.xml metadata/preservation/PREMIS.xml || fail "EAD/PREMIS not well-formed"
openssl cms -verify -binary -inform DER -in METS.xml.p7s -content METS.xml -CAfile "$pki/ca.pem" \
  -out /dev/null 2>/dev/null || fail "openssl cms -verify refused the signature"
# Every file has its SHA-256 in METS.xml, and METS.xml lists nothing else.
xmllint --xpath '//*[local-name()="file"]/@CHECKSUM | //*[local-name()="mdRef"]/@CHECKSUM' METS.xml \
  | tr ' ' '\n' | sed -n 's/^CHECKSUM="\(.*\)"$/\1/p' | sort > "$work/listed"
find . -type f ! -name METS.xml ! -name METS.xml.p7s -exec sha256sum {} + | cut -c1-64 | sort > "$work/actual"
cmp -s "$work/listed" "$work/actual" || fail "METS.xml checksums differ from sha256sum"
# mã hồ sơ: ward code, year of approval, batch; then the document's number.
[ "$(ls representations/rep1/data | tr '\n' ' ')" = "26740.$(TZ=Asia/Ho_Chi_Minh date +%Y).1.1.pdf 26740.$(TZ=Asia/Ho_Chi_Minh date +%Y).1.2.pdf " ] \
  || fail "the PDFs are not named <mã hồ sơ>.<số thứ tự>.pdf: $(ls representations/rep1/data)"
head -c 5 representations/rep1/data/26740.*.1.1.pdf | grep -q '%PDF-' || fail "not a PDF"
head -c 3 metadata/other/records.csv | od -An -tx1 | grep -q 'ef bb bf' || fail "the CSV has no BOM"
grep -q 'Trần Thị Hoà, ""Bé""' metadata/other/records.csv || fail "the CSV does not quote"
grep -q '"Nguyễn Văn An"' metadata/other/records.json || fail "records.json lacks a record"
python3 - "documentation/moj/01_2025.xlsx" <<'PY' || fail "the Ministry of Justice sheet"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
text = z.read('xl/sharedStrings.xml').decode()
for word in ('nksHoTen', 'quyenSo', 'Nguyễn Văn An', 'Trần Thị Hoà', '.1.2.pdf'):
    assert word in text, word
PY
cd "$work"

# Signed with the PKCS#12 file, twice: the same bytes.
SOHOA_PIN=p12-pw SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat package --batch 1 \
  --out "$work/p12.zip" --p12 "$pki/signer.p12" >/dev/null || fail "package signed with PKCS#12"
sleep 2
SOHOA_PIN=p12-pw SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat package --batch 1 \
  --out "$work/p12-again.zip" --p12 "$pki/signer.p12" >/dev/null || fail "package again"
cmp "$work/p12.zip" "$work/p12-again.zip" || fail "the same batch gave two different packages"
cmp -s "$work/p12.zip" "$work/token.zip" || fail "the token and the PKCS#12 file gave different packages"
TZ=America/New_York "$cli" verify "$work/p12.zip" --ca "$pki/ca.pem" >/dev/null || fail "verify in another time zone"
if SOHOA_PIN=wrong SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat package --batch 1 \
     --out "$work/bad-pw.zip" --p12 "$pki/signer.p12" 2>/dev/null; then
  fail "a wrong PKCS#12 password signed"
fi

# An unsigned package is refused by verify.
SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat package --batch 1 --out "$work/unsigned.zip" >/dev/null
if "$cli" verify "$work/unsigned.zip" --ca "$pki/ca.pem" 2>/dev/null; then fail "an unsigned package verified"; fi

# Every single changed byte is caught: each header, the start and end of
# each file, the central directory, random places, added and cut bytes.
python3 "$here/package-flip.py" "$cli" "$work/p12.zip" "$pki/ca.pem" "$work" || fail "a damaged package verified"

# Import: the good package unpacks; hostile ones are refused, name the
# problem and leave nothing behind.
"$cli" import-package "$work/p12.zip" --ca "$pki/ca.pem" --out "$work/received" >/dev/null || fail "import-package"
[ -f "$work/received/$root/METS.xml" ] || fail "import-package did not unpack"
mkdir "$work/evil"
python3 "$here/package-malicious.py" "$work/p12.zip" "$work/evil" 2>/dev/null
for kind in dotdot absolute symlink duplicate casefold outside oversized unlisted; do
  if "$cli" import-package "$work/evil/$kind.zip" --ca "$pki/ca.pem" --out "$work/in-$kind" \
       --max-entry-size 16777216 2>"$work/$kind.err"; then
    fail "import-package accepted the $kind package"
  fi
  say "$kind: $(cat "$work/$kind.err")"
  [ ! -e "$work/in-$kind" ] || fail "the $kind package left a folder"
  ls "$work" | grep -q "in-$kind.part" && fail "the $kind package left a temporary folder"
done
[ ! -e "$work/evil.txt" ] && [ ! -e /tmp/sohoa-evil.txt ] || fail "a file was written outside the folder"

# Every package is in the store and the audit log, which still verifies.
python3 - "$ws/sohoa.db" <<'PY' || fail "packages or audit rows missing"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("SELECT count(*) FROM packages WHERE signer LIKE 'CN=UBND%'").fetchone()[0] == 3
assert db.execute("SELECT count(*) FROM audit WHERE action = 'batch.package'").fetchone()[0] == 4
assert db.execute("SELECT state FROM batches WHERE id = 1").fetchone()[0] == 'packaged'
PY
"$cli" -w "$ws" audit-verify >/dev/null || fail "audit log"

echo "ok - package, sign (token and PKCS#12), verify, import"
