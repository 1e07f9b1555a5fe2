#!/bin/sh
# One operator's and one supervisor's work on a batch, step by step, as the
# crash harness (run.sh) runs it and kills it.  Each finished step is noted
# in STATE/done, each field value whose `sohoa-cli set` succeeded in
# STATE/committed; run again, it resumes at the first unfinished step.
# Usage: workflow.sh SOHOA-CLI WORKSPACE STATE-DIR PAGE...
set -eu

cli=$1
ws=$2
state=$3
shift 3

op() { SOHOA_PASSWORD=canbo-pw "$cli" -w "$ws" --user canbo "$@"; }
sup() { SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat "$@"; }
done_step() { grep -qx "$1" "$state/done" 2>/dev/null; }
finish() { echo "$1" >> "$state/done"; }

# The batch: the one the first import made, even if it was killed before
# saying so.
batch=$(cat "$state/batch" 2>/dev/null || true)
if [ -z "$batch" ]; then
  batch=$("$cli" -w "$ws" batches | sed -n 's/^ *\([0-9][0-9]*\)[^0-9].*/\1/p' | head -n 1)
fi

if ! done_step import; then
  if [ -n "$batch" ]; then
    op import --batch "$batch" "$@" > /dev/null
  else
    out=$(op import "$@")
    batch=$(echo "$out" | sed -n 's/^Batch \([0-9]*\):.*/\1/p')
  fi
  [ -n "$batch" ]
  echo "$batch" > "$state/batch"
  finish import
fi
echo "$batch" > "$state/batch"

if ! done_step ocr; then
  "$cli" -w "$ws" ocr --batch "$batch" > /dev/null
  finish ocr
fi

# Many fields, two at a time, on each document; values differ per document
# so a value stored on the wrong record cannot pass for the right one.
n_docs=$#
doc=1
while [ "$doc" -le "$n_docs" ]; do
  i=1
  for pairs in "nksHoTen=Nguyễn Văn An $doc|nksGioiTinh=1" "nksNgaySinh=0$doc/03/1975|nksNoiSinh=Bệnh viện Từ Dũ" \
               "nksDanToc=01|nksQuocTich=VN" "nksSoDinhDanh=07907500012$doc|meHoTen=Trần Thị Bình $doc" \
               "chaHoTen=Lê Văn Cường $doc|so=$doc$doc" "quyenSo=01/1975|ghiChu=Ghi chú số $doc"; do
    if ! done_step "set-$doc-$i"; then
      op set --batch "$batch" --document "$doc" "${pairs%%|*}" "${pairs#*|}" > /dev/null
      printf '%s\t%s\n%s\t%s\n' "$doc" "${pairs%%|*}" "$doc" "${pairs#*|}" >> "$state/committed"
      finish "set-$doc-$i"
    fi
    i=$((i + 1))
  done
  doc=$((doc + 1))
done

# A step killed after it committed is found done in the database.
batch_state() { sqlite3 "$ws/sohoa.db" "SELECT state FROM batches WHERE id = $batch"; }

if ! done_step submit && [ "$(batch_state)" = open ]; then
  op submit --batch "$batch" > /dev/null
  finish submit
fi
if ! done_step approve && [ "$(batch_state)" != approved ]; then
  sup approve --batch "$batch" > /dev/null
  finish approve
fi
