#!/bin/sh
# A test CA and a signer's key with its certificate in a PKCS#12 file
# (password p12-pw), made with certtool as tests/test-package.sh makes
# them, for the crash and disk-full tests that package.
# Usage: signer.sh DIR   (writes DIR/ca.pem and DIR/signer.p12)
set -eu

pki=$1
mkdir -p "$pki"
printf 'cn = "Sohoa Crash Test CA"\nserial = 1\nexpiration_days = 30\nca\ncert_signing_key\n' > "$pki/ca.tmpl"
printf 'cn = "UBND Phường Sài Gòn"\nserial = 2\nexpiration_days = 30\nsigning_key\n' > "$pki/signer.tmpl"
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$pki/ca-key.pem" 2>/dev/null
certtool --generate-self-signed --load-privkey "$pki/ca-key.pem" --template "$pki/ca.tmpl" \
  --outfile "$pki/ca.pem" 2>/dev/null
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$pki/signer-key.pem" 2>/dev/null
certtool --generate-certificate --load-privkey "$pki/signer-key.pem" --load-ca-certificate "$pki/ca.pem" \
  --load-ca-privkey "$pki/ca-key.pem" --template "$pki/signer.tmpl" --outfile "$pki/signer.pem" 2>/dev/null
certtool --to-p12 --load-privkey "$pki/signer-key.pem" --load-certificate "$pki/signer.pem" \
  --load-ca-certificate "$pki/ca.pem" --p12-name ky-so --password p12-pw --outder \
  --outfile "$pki/signer.p12" > /dev/null 2>&1
