#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# ocr-bench.sh: Sohoa's OCR against plain Tesseract and OCRmyPDF, on the same
# freshly generated degraded pages, in the same run.
#
# Usage: bench/ocr-bench.sh [BUILD_DIR] [N_PAGES]
#
#   BUILD_DIR  a configured and built tree (default: _build beside bench/)
#   N_PAGES    pages to generate (default 36: every degradation 3 times or more)
#
# Environment:
#   SOHOA_BENCH_SEED   corpus seed (default 1)
#   SOHOA_BENCH_CORES  cores Sohoa may use (default 2)
#   SOHOA_BENCH_KEEP   keep pages and OCR output in this folder (default: a
#                      temporary folder, removed at the end)
#
# Prints a table of error rates per tool, then the ratios the OCR work is
# judged by, and last a single summary line.  POSIX sh, awk and coreutils;
# no Python.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../_build}
pages=${2:-36}
seed=${SOHOA_BENCH_SEED:-1}
cores=${SOHOA_BENCH_CORES:-2}

corpus_bin=$build/bench/sohoa-corpus
cer_bin=$build/bench/sohoa-cer
cli_bin=$build/src/cli/sohoa-cli

die () {
    echo "ocr-bench: $*" >&2
    exit 2
}

for program in "$corpus_bin" "$cer_bin" "$cli_bin"; do
    [ -x "$program" ] || die "$program is missing: build first (ninja -C $build)"
done
command -v tesseract >/dev/null 2>&1 \
    || die "tesseract is missing: apt-get install -y tesseract-ocr tesseract-ocr-vie"
tesseract --list-langs 2>/dev/null | grep -qx vie \
    || die "Tesseract has no Vietnamese data: apt-get install -y tesseract-ocr-vie"
case $pages in
    ''|*[!0-9]*) die "N_PAGES must be a whole number, not '$pages'" ;;
esac

if [ -n "${SOHOA_BENCH_KEEP:-}" ]; then
    work=$SOHOA_BENCH_KEEP
    rm -rf "$work/corpus" "$work/tesseract" "$work/sohoa" "$work/ocrmypdf"
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-bench.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    trap 'exit 130' INT TERM
fi
mkdir -p "$work/tesseract" "$work/sohoa" "$work/ocrmypdf"

# Seconds since the epoch, with a fraction where date(1) gives one.
now () {
    t=$(date +%s.%N)
    case $t in
        *N) date +%s ;;
        *) echo "$t" ;;
    esac
}

per_minute () {
    awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { s = b - a; printf "%.2f", (s > 0 ? n * 60 / s : 0) }'
}

seconds () {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'
}

stem () {
    b=${1##*/}
    echo "${b%.*}"
}

# --- Corpus ---------------------------------------------------------------

echo "== Corpus: $pages pages, seed $seed, in $work"
"$corpus_bin" --out "$work/corpus" --pages "$pages" --seed "$seed" >/dev/null
manifest=$work/corpus/corpus.tsv
awk -F '\t' -v dir="$work/corpus" 'NR > 1 { print dir "/" $1 }' "$manifest" >"$work/images.txt"
n_images=$(wc -l <"$work/images.txt")
first=$(head -n 1 "$work/images.txt")

# --- (a) Tesseract, page after page, one thread ---------------------------

echo "== Tesseract: OMP_THREAD_LIMIT=1 tesseract PAGE out -l vie, page after page"
# Untimed warm-up, so that nobody pays for reading vie.traineddata from disk.
OMP_THREAD_LIMIT=1 tesseract "$first" "$work/warm-up" -l vie >/dev/null 2>&1 </dev/null || true
tess_failed=0
start=$(now)
while IFS= read -r image; do
    OMP_THREAD_LIMIT=1 tesseract "$image" "$work/tesseract/$(stem "$image")" -l vie \
        >/dev/null 2>>"$work/tesseract.log" </dev/null \
        || tess_failed=$((tess_failed + 1))
done <"$work/images.txt"
end=$(now)
tess_seconds=$(seconds "$start" "$end")
tess_ppm=$(per_minute "$n_images" "$start" "$end")
echo "   $n_images pages in $tess_seconds s: $tess_ppm pages/min ($tess_failed failed)"

# --- (b) Sohoa, all pages in one call -------------------------------------

echo "== Sohoa: sohoa-cli ocr-file, $cores workers, preprocessing included"
pin=
if [ "$(nproc)" -gt "$cores" ] && command -v taskset >/dev/null 2>&1; then
    pin="taskset -c 0-$((cores - 1))"
fi
set --
while IFS= read -r image; do
    set -- "$@" "$image"
done <"$work/images.txt"
sohoa_status=0
start=$(now)
SOHOA_OCR_THREADS=$cores $pin "$cli_bin" ocr-file --out-dir "$work/sohoa" "$@" \
    >/dev/null 2>"$work/sohoa.log" </dev/null || sohoa_status=$?
end=$(now)
sohoa_seconds=$(seconds "$start" "$end")
sohoa_ppm=$(per_minute "$n_images" "$start" "$end")
echo "   $n_images pages in $sohoa_seconds s: $sohoa_ppm pages/min (exit status $sohoa_status)"

# --- (c) OCRmyPDF, if installed -------------------------------------------

have_ocrmypdf=no
ocrmypdf_ppm=-
ocrmypdf_failed=
if command -v ocrmypdf >/dev/null 2>&1; then
    have_ocrmypdf=yes
    echo "== OCRmyPDF: ocrmypdf --jobs 2 --deskew --clean --rotate-pages -l vie, page after page"
    start=$(now)
    while IFS= read -r image; do
        name=$(stem "$image")
        set -- --jobs 2 --deskew --clean --rotate-pages -l vie --output-type pdf \
            --sidecar "$work/ocrmypdf/$name.txt"
        if ! ocrmypdf "$@" "$image" "$work/ocrmypdf/$name.pdf" >>"$work/ocrmypdf.log" 2>&1 </dev/null; then
            # An image without a usable resolution needs one given.
            dpi=$(awk -F '\t' -v f="${image##*/}" '$1 == f { print $5 }' "$manifest")
            if ! ocrmypdf "$@" --image-dpi "${dpi:-300}" "$image" "$work/ocrmypdf/$name.pdf" \
                    >>"$work/ocrmypdf.log" 2>&1 </dev/null; then
                rm -f "$work/ocrmypdf/$name.txt"
                ocrmypdf_failed="$ocrmypdf_failed $name"
            fi
        fi
    done <"$work/images.txt"
    end=$(now)
    ocrmypdf_ppm=$(per_minute "$n_images" "$start" "$end")
    echo "   $n_images pages in $(seconds "$start" "$end") s: $ocrmypdf_ppm pages/min"
    if [ -n "$ocrmypdf_failed" ]; then
        echo "   OCRmyPDF failed on:$ocrmypdf_failed (counted as all errors; see $work/ocrmypdf.log)"
    fi
else
    echo "== OCRmyPDF: not installed, skipped (apt-get install -y ocrmypdf unpaper)"
fi

# --- Scoring ----------------------------------------------------------------

# Page stems in a group: all, degraded, degradation:X, kind:X, font:X, dpi:X.
group_stems () {
    awk -F '\t' -v g="$1" '
        NR == 1 { next }
        {
            split(g, part, ":")
            s = $1
            sub(/\.[^.]*$/, "", s)
            if (g == "all" || (g == "degraded" && $2 != "clean") ||
                (part[1] == "degradation" && $2 == part[2]) ||
                (part[1] == "kind" && $3 == part[2]) ||
                (part[1] == "font" && $4 == part[2]) ||
                (part[1] == "dpi" && $5 == part[2]))
                print s
        }' "$manifest"
}

# score TOOL GROUP: prints "CER DIACRITIC" as fractions, or "- -".
score () {
    tool=$1
    list=$(group_stems "$2")
    set --
    for name in $list; do
        set -- "$@" "$work/corpus/$name.gt.txt" "$work/$tool/$name.txt"
    done
    if [ $# -eq 0 ]; then
        echo "- -"
        return
    fi
    "$cer_bin" --summary "$@" 2>/dev/null | awk '
        {
            for (i = 1; i <= NF; i++) {
                split($i, kv, "=")
                v[kv[1]] = kv[2]
            }
        }
        END { print v["CER"], v["DIACRITIC"] }'
}

count_pages () {
    group_stems "$1" | wc -l
}

percent () {
    awk -v x="$1" 'BEGIN { if (x == "-") printf "%7s", "-"; else printf "%6.2f%%", x * 100 }'
}

{
    echo "all"
    echo "degraded"
    awk -F '\t' 'NR > 1 && !seen[$2]++ { print "degradation:" $2 }' "$manifest"
    awk -F '\t' 'NR > 1 && !seen[$3]++ { print "kind:" $3 }' "$manifest"
    awk -F '\t' 'NR > 1 && !seen[$4]++ { print "font:" $4 }' "$manifest"
    awk -F '\t' 'NR > 1 && !seen[$5]++ { print "dpi:" $5 }' "$manifest"
} >"$work/groups.txt"

tools="tesseract sohoa"
[ "$have_ocrmypdf" = yes ] && tools="$tools ocrmypdf"

echo
echo "== Character error rate (CER) and diacritic-error rate, after NFC, any reading order"
printf '%-22s %5s' "" ""
for tool in $tools; do
    printf ' | %-16s' "$tool"
done
echo
printf '%-22s %5s' "pages" "n"
for tool in $tools; do
    printf ' | %7s %7s ' "CER" "diacr."
done
echo
while IFS= read -r group; do
    label=${group#*:}
    printf '%-22s %5s' "$label" "$(count_pages "$group")"
    for tool in $tools; do
        # shellcheck disable=SC2046
        set -- $(score "$tool" "$group")
        printf ' | %s %s ' "$(percent "$1")" "$(percent "$2")"
        eval "result_${tool}_$(echo "$label" | tr -c 'A-Za-z0-9\n' '_')=\"$1 $2\""
    done
    echo
done <"$work/groups.txt"

# --- Ratios -----------------------------------------------------------------

# field TOOL GROUP cer|diacritic
field () {
    which=$3
    eval "set -- \$result_${1}_$2"
    if [ "$which" = cer ]; then echo "$1"; else echo "$2"; fi
}

# ratio NUM DEN: NUM / DEN; 0/0 is 1 (no worse), x/0 is infinite.
ratio () {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "-" || b == "-") print "n/a"
        else if (b > 0) printf "%.3f", a / b
        else if (a > 0) print "inf"
        else printf "%.3f", 1 }'
}

# verdict VALUE le|ge TARGET
verdict () {
    awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
        if (v == "n/a") print "n/a"
        else if (v == "inf") print (op == "ge" ? "ok" : "MISSED")
        else if ((op == "le" && v + 0 <= t + 0) || (op == "ge" && v + 0 >= t + 0)) print "ok"
        else print "MISSED" }'
}

r_degraded=$(ratio "$(field sohoa degraded cer)" "$(field tesseract degraded cer)")
r_clean=$(ratio "$(field sohoa clean cer)" "$(field tesseract clean cer)")
r_diacritic=$(ratio "$(field sohoa all diacritic)" "$(field tesseract all diacritic)")
if [ "$have_ocrmypdf" = yes ]; then
    r_ocrmypdf=$(ratio "$(field sohoa all cer)" "$(field ocrmypdf all cer)")
else
    r_ocrmypdf=n/a
fi
r_speed=$(ratio "$sohoa_ppm" "$tess_ppm")

v_degraded=$(verdict "$r_degraded" le 0.35)
v_clean=$(verdict "$r_clean" le 1.0)
v_diacritic=$(verdict "$r_diacritic" le 0.7)
v_ocrmypdf=$(verdict "$r_ocrmypdf" le 1.0)
v_speed=$(verdict "$r_speed" ge 1.6)

echo
echo "== Throughput (same pages, same run)"
printf '   %-44s %8s pages/min\n' "tesseract, one process per page, 1 thread" "$tess_ppm"
printf '   %-44s %8s pages/min\n' "sohoa-cli ocr-file, $cores workers" "$sohoa_ppm"
printf '   %-44s %8s pages/min\n' "ocrmypdf --jobs 2, one call per page" "$ocrmypdf_ppm"

echo
echo "== Ratios (Sohoa ÷ peer)"
printf '   %-44s %7s  target <= 0.35  %s\n' "CER on degraded pages, ÷ tesseract" "$r_degraded" "$v_degraded"
printf '   %-44s %7s  target <= 1.00  %s\n' "CER on clean pages, ÷ tesseract" "$r_clean" "$v_clean"
printf '   %-44s %7s  target <= 0.70  %s\n' "diacritic errors, all pages, ÷ tesseract" "$r_diacritic" "$v_diacritic"
printf '   %-44s %7s  target <= 1.00  %s\n' "CER on all pages, ÷ ocrmypdf" "$r_ocrmypdf" "$v_ocrmypdf"
printf '   %-44s %7s  target >= 1.60  %s\n' "pages per minute, ÷ tesseract" "$r_speed" "$v_speed"

if [ -n "${SOHOA_BENCH_KEEP:-}" ]; then
    echo
    echo "   Pages and OCR text kept in $work"
fi

echo
echo "RESULT pages=$n_images degraded_cer_ratio=$r_degraded($v_degraded) clean_cer_ratio=$r_clean($v_clean)" \
    "diacritic_ratio=$r_diacritic($v_diacritic) vs_ocrmypdf=$r_ocrmypdf($v_ocrmypdf)" \
    "throughput_ratio=$r_speed($v_speed)"
