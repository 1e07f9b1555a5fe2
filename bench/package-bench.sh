#!/bin/sh
# Packaging and verifying speed, against a peer measured in the same run on
# the same files (issue 5):
#   sohoa-cli package   vs  tar -cf - DIR | sha256sum   (target ≥ 0.8)
#   sohoa-cli verify    vs  sha256sum FILES             (target ≥ 0.8)
# Usage: bench/package-bench.sh [BUILD_DIR] [MIB]        (defaults: _build, 1024)
# A batch of 64 documents is made whose searchable PDFs (incompressible
# content, as scanned images are) total MIB; the package is signed with a
# PKCS#12 key made for the run.  Files are read once before timing, so
# every tool reads from the page cache.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/_build}" && pwd)
mib=${2:-1024}
cli="$build/src/cli/sohoa-cli"
n_docs=64
work=$(mktemp -d "${SOHOA_BENCH_DIR:-/var/tmp}/sohoa-package-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
export SOHOA_DATADIR="$top/data"
ws="$work/ws"

now() { date +%s.%N; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
rate() { python3 -c "import sys; print('%.0f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$mib" "$1"; }

# Pages: tiny distinct PNGs, one document each.
python3 - "$work/pages" "$n_docs" <<'PY'
import os, struct, sys, zlib
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
for i in range(n):
    raw = b''.join(b'\0' + bytes((x * (i + 3) + y) % 256 for x in range(48)) for y in range(16))
    png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 16, 16, 8, 2, 0, 0, 0)) \
        + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
    open(os.path.join(out, 'page-%03d.png' % i), 'wb').write(png)
PY
echo admin-pw | "$cli" -w "$ws" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin >/dev/null
printf 'admin-pw\ngs-pw\n' | "$cli" -w "$ws" --user admin user-add gs --role supervisor >/dev/null
SOHOA_PASSWORD=admin-pw "$cli" -w "$ws" --user admin import "$work"/pages/*.png >/dev/null

# The searchable PDFs the OCR step would have written, MIB in all.
mkdir -p "$ws/derived/pdf"
per_doc=$((mib * 1024 * 1024 / n_docs))
python3 - "$ws/derived/pdf" "$n_docs" "$per_doc" <<'PY'
import os, sys
out, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(1, n + 1):
    head = b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length ' + str(size).encode() + b' >>\nstream\n'
    tail = b'\nendstream\nendobj\n%%EOF\n'
    with open(os.path.join(out, 'document-%d.pdf' % i), 'wb') as f:
        f.write(head + os.urandom(size - len(head) - len(tail)) + tail)
PY
SOHOA_PASSWORD=admin-pw "$cli" -w "$ws" --user admin submit --batch 1 >/dev/null
SOHOA_PASSWORD=gs-pw "$cli" -w "$ws" --user gs approve --batch 1 >/dev/null

# A signing key for the run.
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

cat "$ws"/derived/pdf/*.pdf > /dev/null

t0=$(now); tar -cf - -C "$ws/derived" pdf | sha256sum > /dev/null; t1=$(now)
tar_time=$(python3 -c "print($t1 - $t0)")
t0=$(now)
SOHOA_PIN=pw SOHOA_PASSWORD=gs-pw "$cli" -w "$ws" --user gs package --batch 1 --out "$work/package.zip" --p12 "$work/key.p12" >/dev/null
t1=$(now)
package_time=$(python3 -c "print($t1 - $t0)")

t0=$(now); sha256sum "$ws"/derived/pdf/*.pdf > /dev/null; t1=$(now)
sum_time=$(python3 -c "print($t1 - $t0)")
t0=$(now); "$cli" verify "$work/package.zip" --ca "$work/ca.pem" >/dev/null; t1=$(now)
verify_time=$(python3 -c "print($t1 - $t0)")

printf '%-40s %8s %8s\n' "" "seconds" "MiB/s"
printf '%-40s %8.2f %8s\n' "tar -cf - | sha256sum" "$tar_time" "$(rate "$tar_time")"
printf '%-40s %8.2f %8s\n' "sohoa-cli package (signed, fsync)" "$package_time" "$(rate "$package_time")"
printf '%-40s %8.2f %8s\n' "sha256sum" "$sum_time" "$(rate "$sum_time")"
printf '%-40s %8.2f %8s\n' "sohoa-cli verify" "$verify_time" "$(rate "$verify_time")"
echo "package-bench: $mib MiB in $n_docs PDFs; package/tar+sha256sum = $(ratio "$tar_time" "$package_time") (target >= 0.8); verify/sha256sum = $(ratio "$sum_time" "$verify_time") (target >= 0.8)"
