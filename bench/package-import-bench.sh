#!/bin/sh
# Receiving a package (issue 5), against peers measured in the same run on
# the same package:
#   sohoa-cli import-package (into a workspace)
#     vs  sohoa-cli verify  +  pdftoppm (Poppler's own renderer, same pages)
# The import does what both do (checks the package, renders every page for
# its thumbnail and image) plus the database and the copies; the ratio
# (import ÷ the two peers) says how much that adds.
# Usage: bench/package-import-bench.sh [BUILD_DIR] [N_DOCS]   (defaults: _build, 24)
# Each document is one page: a synthetic birth extract at 200 dpi, in a PDF
# holding the page image (Flate, as a scan's PDF does).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/_build}" && pwd)
n_docs=${2:-24}
cli="$build/src/cli/sohoa-cli"
render="$build/src/render/sohoa-render-page"
work=$(mktemp -d "${SOHOA_BENCH_DIR:-/var/tmp}/sohoa-receive-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
export SOHOA_DATADIR="$top/data"
a="$work/a"
b="$work/b"

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }

mkdir "$work/pages"
i=1
while [ "$i" -le "$n_docs" ]; do
  "$render" --kind birth --seed "$i" --dpi 200 --out "$work/pages/$(printf %03d "$i").png" --text-out /dev/null
  i=$((i + 1))
done

echo admin-pw | "$cli" -w "$a" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin >/dev/null
printf 'admin-pw\ngs-pw\n' | "$cli" -w "$a" --user admin user-add gs --role supervisor >/dev/null
SOHOA_PASSWORD=admin-pw "$cli" -w "$a" --user admin import "$work"/pages/*.png >/dev/null

# The searchable PDFs the OCR step would have written: each page's image,
# its PNG rows passed to the PDF as they are (Flate with PNG predictors).
mkdir -p "$a/derived/pdf"
python3 - "$work/pages" "$a/derived/pdf" <<'PY'
import os, struct, sys, zlib
src, out = sys.argv[1:3]
for n, name in enumerate(sorted(os.listdir(src)), 1):
    data = open(os.path.join(src, name), 'rb').read()
    pos, idat = 8, b''
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    assert depth == 8 and interlace == 0 and colour in (0, 2), (name, depth, colour)
    colours = 1 if colour == 0 else 3
    space = '/DeviceGray' if colours == 1 else '/DeviceRGB'
    w_pt, h_pt = width * 72 / 200, height * 72 / 200
    content = ('q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q' % (w_pt, h_pt)).encode()
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        ('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents 4 0 R '
         '/Resources << /XObject << /Im0 5 0 R >> >> >>' % (w_pt, h_pt)).encode(),
        b'<< /Length %d >>\nstream\n' % len(content) + content + b'\nendstream',
        ('<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 '
         '/Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors %d /BitsPerComponent 8 /Columns %d >> '
         '/Length %d >>\nstream\n' % (width, height, space, colours, width, len(idat))).encode() + idat + b'\nendstream',
    ]
    pdf, offsets = b'%PDF-1.4\n', []
    for i, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b'%d 0 obj\n' % i + body + b'\nendobj\n'
    xref = len(pdf)
    pdf += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    pdf += b''.join(b'%010d 00000 n \n' % o for o in offsets)
    pdf += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objects) + 1, xref)
    open(os.path.join(out, 'document-%d.pdf' % n), 'wb').write(pdf)
PY
SOHOA_PASSWORD=admin-pw "$cli" -w "$a" --user admin submit --batch 1 >/dev/null
SOHOA_PASSWORD=gs-pw "$cli" -w "$a" --user gs approve --batch 1 >/dev/null

cat > "$work/ca.tmpl" <<'T'
cn = "Bench CA"
ca
cert_signing_key
expiration_days = 2
T
cat > "$work/signer.tmpl" <<'T'
cn = "Bench signer"
signing_key
expiration_days = 2
T
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$work/ca-key.pem" 2>/dev/null
certtool --generate-self-signed --load-privkey "$work/ca-key.pem" --template "$work/ca.tmpl" --outfile "$work/ca.pem" 2>/dev/null
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$work/key.pem" 2>/dev/null
certtool --generate-certificate --load-privkey "$work/key.pem" --load-ca-certificate "$work/ca.pem" \
  --load-ca-privkey "$work/ca-key.pem" --template "$work/signer.tmpl" --outfile "$work/cert.pem" 2>/dev/null
certtool --to-p12 --load-privkey "$work/key.pem" --load-certificate "$work/cert.pem" --p12-name bench \
  --password pw --outder --outfile "$work/key.p12" >/dev/null 2>&1
SOHOA_PIN=pw SOHOA_PASSWORD=gs-pw "$cli" -w "$a" --user gs package --batch 1 --out "$work/package.zip" \
  --p12 "$work/key.p12" >/dev/null

echo admin-pw | "$cli" -w "$b" init --ward-code 26743 --ward-name "Phường Tân Định" --admin admin >/dev/null
printf 'admin-pw\ngs-pw\n' | "$cli" -w "$b" --user admin user-add gs --role supervisor >/dev/null
cat "$work/package.zip" "$a"/derived/pdf/*.pdf > /dev/null

t0=$(now); "$cli" verify "$work/package.zip" --ca "$work/ca.pem" >/dev/null; t1=$(now)
verify_time=$(elapsed "$t0" "$t1")
mkdir "$work/ppm"
t0=$(now)
for pdf in "$a"/derived/pdf/*.pdf; do
  pdftoppm -r 200 -png "$pdf" "$work/ppm/$(basename "$pdf" .pdf)"
done
t1=$(now)
render_time=$(elapsed "$t0" "$t1")
t0=$(now)
SOHOA_PASSWORD=gs-pw "$cli" -w "$b" --user gs import-package "$work/package.zip" --ca "$work/ca.pem" >/dev/null
t1=$(now)
import_time=$(elapsed "$t0" "$t1")

size=$(stat -c %s "$work/package.zip")
printf '%-44s %8s %10s\n' "" "seconds" "pages/s"
for row in "sohoa-cli verify:$verify_time" "pdftoppm -r 200 -png (every page):$render_time" \
           "sohoa-cli import-package:$import_time"; do
  printf '%-44s %8s %10s\n' "${row%%:*}" "${row##*:}" \
    "$(python3 -c "import sys; print('%.1f' % (int(sys.argv[1]) / float(sys.argv[2])))" "$n_docs" "${row##*:}")"
done
echo "package-import-bench: $n_docs pages, $((size / 1024)) KiB package; import/(verify+pdftoppm) =" \
  "$(python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / (float(sys.argv[2]) + float(sys.argv[3]))))" \
     "$import_time" "$verify_time" "$render_time")"
