#!/bin/sh
# Makes the seed packages of corpus/package/ with the real code: a tiny
# batch imported, read by Tesseract, keyed, approved and packaged by
# sohoa-cli, signed with a key of tests/fuzz/package-ca.pem's CA.  Run once
# by hand (the seeds are committed); the CA and signer are made here too
# when package-ca.pem is missing (its key is not kept: new seeds need a new
# CA, committed with them).
# Usage: make-package-seeds.sh SOHOA-CLI
set -eu

cli=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-seeds-XXXXXX")
trap 'rm -rf "$work"' EXIT
ws="$work/workspace"
# Sohoa's data, but for a stub in place of the 138 kB METS schema that
# every package carries (only its bytes and checksum matter to verify).
data=$(cd "$here/../../data" && pwd)
mkdir -p "$work/data/standards"
for entry in "$data"/*; do
  [ "$(basename "$entry")" = standards ] || ln -s "$entry" "$work/data/"
done
ln -s "$data/standards/xlink.xsd" "$work/data/standards/"
printf '<?xml version="1.0"?>\n<!-- the METS schema, left out of the fuzz seeds -->\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>\n' \
  > "$work/data/standards/mets.xsd"
export SOHOA_DATADIR="$work/data"

cat > "$work/ca.tmpl" <<'TMPL'
cn = "Sohoa Fuzz CA"
organization = "Sohoa test"
serial = 1
expiration_days = -1
ca
cert_signing_key
TMPL
cat > "$work/signer.tmpl" <<'TMPL'
cn = "UBND Phường Sài Gòn"
organization = "Sohoa test"
serial = 2
expiration_days = -1
signing_key
TMPL
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$work/ca-key.pem" 2>/dev/null
certtool --generate-self-signed --load-privkey "$work/ca-key.pem" --template "$work/ca.tmpl" \
  --outfile "$here/package-ca.pem" 2>/dev/null
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$work/signer-key.pem" 2>/dev/null
certtool --generate-certificate --load-privkey "$work/signer-key.pem" --load-ca-certificate "$here/package-ca.pem" \
  --load-ca-privkey "$work/ca-key.pem" --template "$work/signer.tmpl" --outfile "$work/signer.pem" 2>/dev/null
certtool --to-p12 --load-privkey "$work/signer-key.pem" --load-certificate "$work/signer.pem" \
  --load-ca-certificate "$here/package-ca.pem" --p12-name ky-so --password p12-pw --outder \
  --outfile "$work/signer.p12" >/dev/null 2>&1

# Small pages (a few kB each in the searchable PDF), two documents.
convert -size 160x120 xc:white -fill black -pointsize 18 -draw "text 8,40 'Khai sinh 12'" "$work/a.png"
convert -size 160x120 xc:white -fill black -pointsize 18 -draw "text 8,40 'Khai sinh 13'" "$work/b.png"
echo admin-pw | "$cli" -w "$ws" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin >/dev/null
printf 'admin-pw\ncanbo-pw\n' | "$cli" -w "$ws" --user admin user-add canbo --role operator >/dev/null
printf 'admin-pw\ngiamsat-pw\n' | "$cli" -w "$ws" --user admin user-add giamsat --role supervisor >/dev/null
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo import "$work/a.png" "$work/b.png" >/dev/null
"$cli" -w "$ws" ocr --batch 1 >/dev/null
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo set --batch 1 --document 1 \
  so=12 quyenSo=01/2025 nksHoTen="Nguyễn Văn An" >/dev/null
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo set --batch 1 --document 2 \
  so=13 quyenSo=01/2025 nksHoTen="Trần Thị Hoà, \"Bé\"" >/dev/null
SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo submit --batch 1 >/dev/null
SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat approve --batch 1 >/dev/null

SOHOA_PIN=p12-pw SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat package --batch 1 \
  --out "$work/signed.zip" --p12 "$work/signer.p12" >/dev/null
SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat package --batch 1 --out "$work/unsigned.zip" >/dev/null
"$cli" verify "$work/signed.zip" --ca "$here/package-ca.pem"
ls -l "$work"/*.zip
cp "$work/signed.zip" "$here/corpus/package/signed.zip"
cp "$work/unsigned.zip" "$here/corpus/package/unsigned.zip"
# Hostile packages (tests/package-malicious.py); instead of its 64 MiB
# bomb, 2 MiB of zeros deflated to 2 kB, over fuzz-package's 1 MiB limit.
mkdir "$work/evil"
python3 "$here/../package-malicious.py" "$work/signed.zip" "$work/evil" 2>/dev/null
for kind in dotdot absolute symlink duplicate unlisted; do
  cp "$work/evil/$kind.zip" "$here/corpus/package/$kind.zip"
done
python3 - "$work/signed.zip" "$here/corpus/package/bomb.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
root = entries[0][0].split('/')[0]
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_STORED) as z:
    z.writestr(zipfile.ZipInfo(root + '/representations/rep1/data/big.pdf'), bytes(2 << 20),
               compress_type=zipfile.ZIP_DEFLATED)
    for filename, data in entries:
        z.writestr(filename, data)
PY
