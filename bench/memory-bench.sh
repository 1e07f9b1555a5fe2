#!/bin/sh
# Peak memory of OCR over a large batch: N pages (default 200) from the
# bench corpus generator are imported into a fresh workspace, then
# `sohoa-cli ocr` reads them all, with searchable PDFs and hOCR, as the GUI
# does.  Prints the peak resident set size last, in MiB (target ≤ 600).
# Usage: bench/memory-bench.sh [BUILD_DIR] [N_PAGES]
set -eu

build=${1:-_build}
n=${2:-200}
cli="$build/src/cli/sohoa-cli"
corpus="$build/bench/sohoa-corpus"
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-memory-XXXXXX")
trap 'rm -rf "$work"' EXIT

[ -x /usr/bin/time ] || { echo "memory-bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

"$corpus" --out "$work/pages" --pages "$n" --seed 7 >/dev/null
echo bench-pw | "$cli" -w "$work/ws" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin bench >/dev/null
SOHOA_PASSWORD=bench-pw "$cli" -w "$work/ws" --user bench import "$work/pages" >/dev/null

/usr/bin/time -v -o "$work/time.txt" "$cli" -w "$work/ws" ocr
kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
echo "pages=$n elapsed=$secs"
echo "PEAK_RSS_MIB=$((kib / 1024))"
