#!/bin/sh
# The workspace's double-keying rule through sohoa-cli: listed per form,
# changed by a supervisor (audited), refused to an operator, and obeyed by
# key2.
# Usage: test-cli-keying-rule.sh SOHOA-CLI SOHOA-RENDER-PAGE
set -eu

cli=$1
render=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-keying-rule-XXXXXX")
trap 'rm -rf "$work"' EXIT
ws="$work/workspace"

fail() { printf 'not ok - %s\n' "$*"; exit 1; }
as() { user=$1; shift; SOHOA_PASSWORD="$user-pw" "$cli" -w "$ws" --user "$user" "$@"; }

"$render" --kind birth --seed 5 --dpi 150 --out "$work/page.png"
echo admin-pw | "$cli" -w "$ws" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin >/dev/null || fail "init"
for u in canbo canbo2; do
  printf 'admin-pw\n%s-pw\n' "$u" | "$cli" -w "$ws" --user admin user-add "$u" --role operator >/dev/null || fail "user-add $u"
done
printf 'admin-pw\ngiamsat-pw\n' | "$cli" -w "$ws" --user admin user-add giamsat --role supervisor >/dev/null || fail "user-add giamsat"

# Each form follows its schema at first.
"$cli" -w "$ws" keying-rule | grep -qF "$(printf 'ho-tich.khai-sinh\ton\tform')" || fail "default rule"
"$cli" -w "$ws" keying-rule | grep -qF "$(printf 'luu-tru.ho-so\toff\tform')" || fail "default rule off"

# An operator cannot change it; a supervisor can.
if as canbo keying-rule ho-tich.khai-sinh off 2>/dev/null; then
  fail "an operator changed the keying rule"
fi
as giamsat keying-rule ho-tich.khai-sinh off || fail "supervisor keying-rule"
"$cli" -w "$ws" keying-rule | grep -qF "$(printf 'ho-tich.khai-sinh\toff\tworkspace')" || fail "rule not changed"
if as giamsat keying-rule ho-tich.khai-sinh maybe 2>/dev/null; then
  fail "a rule other than on or off was taken"
fi

# key2 obeys the rule.
out=$(as canbo import "$work/page.png") || fail "import"
batch=$(echo "$out" | sed -n 's/^Batch \([0-9]*\):.*/\1/p')
as canbo set --batch "$batch" nksHoTen="Nguyễn Văn Hoà" || fail "set"
if as canbo2 key2 --batch "$batch" nksHoTen="Nguyễn Văn Hoà" 2>/dev/null; then
  fail "key2 accepted while the workspace keys birth extracts once"
fi
as giamsat keying-rule ho-tich.khai-sinh on || fail "supervisor keying-rule on"
as canbo2 key2 --batch "$batch" nksHoTen="Nguyễn Văn Hoà" || fail "key2 once the rule is on again"

"$cli" -w "$ws" audit-verify >/dev/null || fail "audit log"
echo "ok - the double-keying rule through the CLI"
