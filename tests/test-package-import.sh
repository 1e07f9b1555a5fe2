#!/bin/sh
# End to end: a supervisor receives an operator's batch.  Workspace A
# (operator and supervisor of one ward) approves a batch and makes its
# signed package; workspace B imports it and finds the same records, field
# values and pages, ready to review.  Importing it again, a damaged copy, a
# package of a form B does not have and an operator of B are all refused,
# and leave B's store as it was.
# Usage: test-package-import.sh SOHOA-CLI SOHOA-RENDER-PAGE
set -eu

cli=$(realpath "$1")
render=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-receive-XXXXXX")
trap 'rm -rf "$work"' EXIT
a="$work/a"
b="$work/b"
pki="$work/pki"
mkdir "$pki"

say() { printf '# %s\n' "$*"; }
fail() { printf 'not ok - %s\n' "$*"; exit 1; }
# B's database, row by row, and its page files: what must not change.
# Signing in adds a "user.login" audit row each time; the rest must stay.
state_of_b() {
  python3 - "$b/sohoa.db" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
h = hashlib.sha256()
tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
for table in tables:
    query = "SELECT * FROM \"%s\"" % table
    if table == 'audit':
        query = "SELECT action, entity, entity_id, detail FROM audit WHERE action <> 'user.login'"
    for row in sorted(repr(r) for r in db.execute(query)):
        h.update(table.encode() + row.encode())
print(h.hexdigest())
PY
  find "$b/pages" "$b/derived" "$b/outbox" -type f | sort
}

# A CA and the signer of ward A (RSA, in a PKCS#12 file).
cat > "$pki/ca.tmpl" <<'TMPL'
cn = "Sohoa Test CA"
organization = "Sohoa test"
serial = 1
expiration_days = 30
ca
cert_signing_key
TMPL
cat > "$pki/signer.tmpl" <<'TMPL'
cn = "UBND Phường Sài Gòn"
organization = "Sohoa test"
serial = 2
expiration_days = 30
signing_key
TMPL
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$pki/ca-key.pem" 2>/dev/null
certtool --generate-self-signed --load-privkey "$pki/ca-key.pem" --template "$pki/ca.tmpl" --outfile "$pki/ca.pem" 2>/dev/null
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$pki/signer-key.pem" 2>/dev/null
certtool --generate-certificate --load-privkey "$pki/signer-key.pem" --load-ca-certificate "$pki/ca.pem" \
  --load-ca-privkey "$pki/ca-key.pem" --template "$pki/signer.tmpl" --outfile "$pki/signer.pem" 2>/dev/null
certtool --to-p12 --load-privkey "$pki/signer-key.pem" --load-certificate "$pki/signer.pem" \
  --load-ca-certificate "$pki/ca.pem" --p12-name ky-so --password p12-pw --outder --outfile "$pki/signer.p12" >/dev/null 2>&1 \
  || fail "certtool --to-p12"
ca="$pki/ca.pem"

# Workspace A: two birth entries keyed, submitted, approved and packaged;
# and a batch of a form only A has (a schema the city sent to A alone).
"$render" --kind birth --seed 3 --dpi 200 --out "$work/p1.png" --text-out /dev/null
"$render" --kind birth --seed 4 --dpi 200 --out "$work/p2.png" --text-out /dev/null
"$render" --kind birth --seed 5 --dpi 200 --out "$work/p3.png" --text-out /dev/null
echo admin-pw | "$cli" -w "$a" init --ward-code 26740 --ward-name "Phường Sài Gòn" --admin admin >/dev/null || fail "init A"
printf 'admin-pw\ncanbo-pw\n' | "$cli" -w "$a" --user admin user-add canbo --role operator >/dev/null
printf 'admin-pw\ngiamsat-pw\n' | "$cli" -w "$a" --user admin user-add giamsat --role supervisor >/dev/null
sed 's/"id": "ho-tich.khai-sinh"/"id": "thu-nghiem.rieng"/' "$here/../data/schemas/ho-tich.khai-sinh.json" \
  > "$a/schemas/thu-nghiem.rieng.json"
opa() { SOHOA_PASSWORD=canbo-pw "$cli" -w "$a" --user canbo "$@"; }
supa() { SOHOA_PASSWORD=giamsat-pw SOHOA_PIN=p12-pw "$cli" -w "$a" --user giamsat "$@"; }
opa import "$work/p1.png" "$work/p2.png" >/dev/null || fail "import A"
opa import --schema thu-nghiem.rieng "$work/p3.png" >/dev/null || fail "import A (own form)"
"$cli" -w "$a" ocr >/dev/null || fail "ocr A"
opa set --batch 1 --document 1 so=12 quyenSo=01/2025 nksHoTen="Nguyễn Văn An" >/dev/null || fail "set 1"
opa set --batch 1 --document 2 so=13 quyenSo=01/2025 nksHoTen="Trần Thị Hoà, \"Bé\"" >/dev/null || fail "set 2"
opa set --batch 2 --document 1 so=14 quyenSo=01/2025 nksHoTen="Lê Văn Bình" >/dev/null || fail "set 3"
for batch in 1 2; do
  opa submit --batch $batch >/dev/null || fail "submit $batch"
  supa approve --batch $batch >/dev/null || fail "approve $batch"
done
supa package --batch 1 --out "$work/batch.zip" --p12 "$pki/signer.p12" >/dev/null || fail "package"
supa package --batch 2 --out "$work/own-form.zip" --p12 "$pki/signer.p12" >/dev/null || fail "package (own form)"

# Workspace B: another ward, with its own supervisor and operator.
echo admin-pw | "$cli" -w "$b" init --ward-code 26743 --ward-name "Phường Tân Định" --admin admin >/dev/null || fail "init B"
printf 'admin-pw\nlan-pw\n' | "$cli" -w "$b" --user admin user-add lan --role operator >/dev/null
printf 'admin-pw\nminh-pw\n' | "$cli" -w "$b" --user admin user-add minh --role supervisor >/dev/null
opb() { SOHOA_PASSWORD=lan-pw "$cli" -w "$b" --user lan "$@"; }
supb() { SOHOA_PASSWORD=minh-pw SOHOA_PIN=p12-pw "$cli" -w "$b" --user minh "$@"; }
before=$(state_of_b)

# Refusals that change nothing: an operator, a form B lacks, a damaged copy.
if opb import-package "$work/batch.zip" --ca "$ca" 2>"$work/op.err"; then fail "an operator imported a package"; fi
grep -q "supervisor" "$work/op.err" || fail "the operator's refusal does not say why: $(cat "$work/op.err")"
if supb import-package "$work/own-form.zip" --ca "$ca" 2>"$work/schema.err"; then
  fail "a package of an unknown form was imported"
fi
grep -q "thu-nghiem.rieng" "$work/schema.err" || fail "the unknown form is not named: $(cat "$work/schema.err")"
LANGUAGE=vi LC_ALL=C.UTF-8 SOHOA_LOCALEDIR="${SOHOA_LOCALEDIR:-}" supb import-package "$work/own-form.zip" --ca "$ca" \
  2>"$work/schema-vi.err" && fail "a package of an unknown form was imported (vi)"
grep -q "biểu mẫu “thu-nghiem.rieng”" "$work/schema-vi.err" || fail "the refusal is not in Vietnamese: $(cat "$work/schema-vi.err")"
python3 "$here/package-flip.py" "$cli" "$work/batch.zip" "$ca" "$work" \
  env SOHOA_PASSWORD=minh-pw "$cli" -w "$b" --user minh import-package {} --ca "$ca" \
  || fail "a damaged package was imported"
[ "$(state_of_b)" = "$before" ] || fail "a refused package changed workspace B"
ls "$b/derived" | grep -q receive- && fail "a refused package left its unpacked files"

# The package itself: a new batch, waiting for review.
supb import-package "$work/batch.zip" --ca "$ca" >"$work/import.out" || fail "import-package into B"
cat "$work/import.out" | sed 's/^/# /'
grep -q "batch 1 " "$work/import.out" || fail "the new batch id is not printed"
python3 - "$a/sohoa.db" "$b/sohoa.db" "$b" "$(sha256sum "$work/batch.zip" | cut -c1-64)" <<'PY' || fail "B does not hold what A sent"
import json, os, sqlite3, sys
a, b = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
ws, package_sha = sys.argv[3], sys.argv[4]
def records(db, batch):
    return db.execute("""SELECT d.position, v.key, v.value, v.state FROM field_values v
                         JOIN records r ON r.id = v.record_id JOIN documents d ON d.id = r.document_id
                         WHERE d.batch_id = ? ORDER BY d.position, v.key""", (batch,)).fetchall()
ra, rb = records(a, 1), records(b, 1)
assert ra and [r[1:] for r in ra] == [r[1:] for r in rb], (ra, rb)
assert b.execute("SELECT state, schema_id FROM batches WHERE id = 1").fetchone() == ('submitted', 'ho-tich.khai-sinh')
assert b.execute("SELECT count(*) FROM batches").fetchone()[0] == 1
pages_a = a.execute("SELECT count(*) FROM pages p JOIN documents d ON d.id = p.document_id WHERE d.batch_id = 1").fetchone()[0]
pages = b.execute("SELECT p.sha256, p.ext, p.frame, p.ocr_state, length(p.ocr_text) FROM pages p JOIN documents d ON d.id = p.document_id ORDER BY p.position").fetchall()
assert len(pages) == pages_a == 2, pages
for sha, ext, frame, ocr, text_length in pages:
    assert ext == 'pdf' and ocr == 'done' and text_length > 50, (ext, ocr, text_length)
    assert os.path.exists(os.path.join(ws, 'pages', sha[:2], sha + '.pdf'))
    assert os.path.exists(os.path.join(ws, 'derived', 'thumbnails', '%s-%d.png' % (sha, frame)))
detail = json.loads(b.execute("SELECT detail FROM audit WHERE action = 'batch.import-package'").fetchone()[0])
assert detail['sha256'] == package_sha and detail['signer'].startswith('CN=UBND'), detail
assert b.execute("SELECT sha256 FROM received_packages").fetchone()[0] == package_sha
PY
"$cli" -w "$b" audit verify >/dev/null || fail "audit verify in B"
"$cli" -w "$b" text --batch 1 | grep -qi "khai sinh" || fail "the pages' text did not come with them"

# Twice is refused, and changes nothing.
after=$(state_of_b)
if supb import-package "$work/batch.zip" --ca "$ca" 2>"$work/again.err"; then fail "the same package was imported twice"; fi
grep -q "already imported" "$work/again.err" || fail "the second import does not say why: $(cat "$work/again.err")"
cp "$work/batch.zip" "$work/renamed.zip"
if supb import-package "$work/renamed.zip" --ca "$ca" 2>/dev/null; then fail "a renamed copy was imported again"; fi
[ "$(state_of_b)" = "$after" ] || fail "a refused second import changed workspace B"

# B's supervisor approves it and packages it again: the same records and
# the same PDFs go on to the city.
supb review --batch 1 >/dev/null || fail "review in B"
supb approve --batch 1 >/dev/null || fail "approve in B"
supb package --batch 1 --out "$work/from-b.zip" --p12 "$pki/signer.p12" >/dev/null || fail "package in B"
"$cli" verify "$work/from-b.zip" --ca "$ca" >/dev/null || fail "verify the package of B"
mkdir "$work/xa" "$work/xb"
unzip -q "$work/batch.zip" -d "$work/xa" && unzip -q "$work/from-b.zip" -d "$work/xb" || fail "unzip"
python3 - "$work/xa"/*/metadata/other/records.json "$work/xb"/*/metadata/other/records.json <<'PY' || fail "B's package holds other records"
import json, sys
ra, rb = (json.load(open(p))['records'] for p in sys.argv[1:3])
assert [(r['pages'], r['fields']) for r in ra] == [(r['pages'], r['fields']) for r in rb], (ra, rb)
PY
[ "$(cd "$work/xa"/*/representations/rep1/data && sha256sum * | cut -c1-64)" = \
  "$(cd "$work/xb"/*/representations/rep1/data && sha256sum * | cut -c1-64)" ] || fail "the PDFs changed on the way"
"$cli" -w "$b" audit verify >/dev/null || fail "audit verify in B at the end"

# import-package --out still only unpacks, without a workspace.
"$cli" import-package "$work/batch.zip" --ca "$ca" --out "$work/unpacked" >/dev/null || fail "import-package --out"
[ -f "$work/unpacked"/*/METS.xml ] || fail "import-package --out did not unpack"

echo "ok - a package received into another workspace, refused when it should be"
