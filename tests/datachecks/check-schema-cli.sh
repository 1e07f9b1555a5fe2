#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `sohoa-cli schema check` accepts every built-in form schema and refuses a
# malformed one with a message naming the file, the field and the problem.
set -eu

cli=$1
schemas=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

n=0
for schema in "$schemas"/*.json; do
  "$cli" schema check "$schema" > "$work/out.txt"
  grep -q "version" "$work/out.txt"
  n=$((n + 1))
done
test "$n" -ge 5

cat > "$work/broken.json" <<'JSON'
{"id": "ho-tich.thu", "version": 1, "title": "Thử",
 "fields": [{"key": "so", "label": "Số", "type": "number"},
            {"key": "nksHoTen", "label": "Họ tên", "type": "person-name",
             "hints": {"anchors": ["Họ, chữ đệm, tên:"], "pattern": "([A-Z"}}]}
JSON
if "$cli" schema check "$work/broken.json" 2> "$work/err.txt"; then
  echo "a malformed schema was accepted" >&2
  exit 1
fi
cat "$work/err.txt"
grep -q "broken.json" "$work/err.txt"
grep -q "nksHoTen" "$work/err.txt"
grep -q "hints.pattern" "$work/err.txt"
