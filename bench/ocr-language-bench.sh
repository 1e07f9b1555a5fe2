#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# ocr-language-bench.sh: Sohoa's OCR with Vietnamese alone against Vietnamese
# with English added (the choice the preferences offer), on the same freshly
# generated degraded pages, in the same run.
#
# Usage: bench/ocr-language-bench.sh [BUILD_DIR] [N_PAGES] [LANGUAGES]
#
#   BUILD_DIR  a configured and built tree (default: _build beside bench/)
#   N_PAGES    pages to generate (default 36)
#   LANGUAGES  the peer measured against "vie" (default "vie+eng")
#
# Environment: SOHOA_BENCH_SEED (corpus seed, default 1), SOHOA_BENCH_CORES
# (OCR workers, default 2).  Prints the error rates of each, then the ratios
# and one summary line last.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../_build}
pages=${2:-36}
peer=${3:-vie+eng}
seed=${SOHOA_BENCH_SEED:-1}
cores=${SOHOA_BENCH_CORES:-2}

corpus_bin=$build/bench/sohoa-corpus
cer_bin=$build/bench/sohoa-cer
cli_bin=$build/src/cli/sohoa-cli

die () {
    echo "ocr-language-bench: $*" >&2
    exit 2
}

for program in "$corpus_bin" "$cer_bin" "$cli_bin"; do
    [ -x "$program" ] || die "$program is missing: build first (ninja -C $build)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-language-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "== Corpus: $pages pages, seed $seed"
"$corpus_bin" --out "$work/corpus" --pages "$pages" --seed "$seed" >/dev/null
manifest=$work/corpus/corpus.tsv
set --
for name in $(awk -F '\t' 'NR > 1 { print $1 }' "$manifest"); do
    set -- "$@" "$work/corpus/$name"
done

# score DIR: "CER DIACRITIC" over every page, as fractions.
score () {
    dir=$1
    pairs=
    for name in $(awk -F '\t' 'NR > 1 { s = $1; sub(/\.[^.]*$/, "", s); print s }' "$manifest"); do
        pairs="$pairs $work/corpus/$name.gt.txt $dir/$name.txt"
    done
    # shellcheck disable=SC2086
    "$cer_bin" --summary $pairs 2>/dev/null | awk '
        {
            for (i = 1; i <= NF; i++) {
                split($i, kv, "=")
                v[kv[1]] = kv[2]
            }
        }
        END { print v["CER"], v["DIACRITIC"] }'
}

for languages in vie "$peer"; do
    out=$work/out-$(echo "$languages" | tr '+' '-')
    echo "== sohoa-cli ocr-file --language $languages, $cores workers"
    start=$(date +%s)
    SOHOA_OCR_THREADS=$cores "$cli_bin" ocr-file --language "$languages" --out-dir "$out" "$@" \
        >/dev/null 2>"$work/$languages.log" </dev/null || die "OCR with $languages failed (see the log)"
    echo "   $(( $(date +%s) - start )) s"
done

vie=$(score "$work/out-vie")
other=$(score "$work/out-$(echo "$peer" | tr '+' '-')")

echo
printf '%-10s %10s %12s\n' "languages" "CER" "diacritics"
echo "$vie" | awk '{ printf "%-10s %9.2f%% %11.2f%%\n", "vie", $1 * 100, $2 * 100 }'
echo "$other" | awk -v l="$peer" '{ printf "%-10s %9.2f%% %11.2f%%\n", l, $1 * 100, $2 * 100 }'
echo
echo "$vie $other" | awk -v l="$peer" '{
    printf "%s / vie: CER x%.2f, diacritic errors x%.2f\n", l, ($1 > 0 ? $3 / $1 : 0), ($2 > 0 ? $4 / $2 : 0)
    printf "SUMMARY seed=%s pages=%s vie_cer=%.4f %s_cer=%.4f vie_diacritic=%.4f %s_diacritic=%.4f\n",
        "'"$seed"'", "'"$pages"'", $1, l, $3, $2, l, $4
}'
