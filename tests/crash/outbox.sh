#!/bin/sh
# The supervisor's end of the work on an approved batch, as the crash
# harness (run.sh) runs it and kills it: package (signed with a PKCS#12
# file) into WORKSPACE/packages, or upload everything in the outbox (the
# S3 settings come from SOHOA_S3_* in the environment).  Run again after a
# kill it resumes: a batch already packaged is not packaged twice, and an
# upload picks up where the store says it stopped.
# Usage: outbox.sh SOHOA-CLI WORKSPACE STATE-DIR package P12 | upload
set -eu

cli=$1
ws=$2
state=$3
step=$4
batch=$(cat "$state/batch")

case "$step" in
  package)
    p12=$5
    # Done once the packages row is committed (the same transaction
    # marks the batch packaged).
    if [ "$(sqlite3 "$ws/sohoa.db" "SELECT count(*) FROM packages WHERE batch_id = $batch")" = 0 ]; then
      mkdir -p "$ws/packages"
      SOHOA_PIN=p12-pw SOHOA_PASSWORD=giamsat-pw "$cli" -w "$ws" --user giamsat \
        package --batch "$batch" --out "$ws/packages/26740-$batch.zip" --p12 "$p12" > /dev/null
    fi
    ;;
  upload)
    SOHOA_PASSWORD=admin-pw "$cli" -w "$ws" --user admin upload --all > /dev/null
    ;;
  *)
    echo "usage: outbox.sh SOHOA-CLI WORKSPACE STATE-DIR package P12 | upload" >&2
    exit 2
    ;;
esac
echo "$step" >> "$state/done"
