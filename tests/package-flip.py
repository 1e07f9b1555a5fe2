#!/usr/bin/env python3
# Flips single bytes of a package and checks that `sohoa-cli verify`
# rejects every copy:  package-flip.py SOHOA-CLI PACKAGE CA.pem WORK_DIR
# Places: bytes of every member's local header, the first and last bytes
# of its data, the central directory (a stride through it) and all of the
# end record, random places; then a byte added before and after, and a cut
# end.  (test-package.c flips every such byte in-process.)
# With more arguments after WORK_DIR, they are the command to run on each
# damaged copy instead of verify, "{}" standing for its path, e.g.
#   package-flip.py CLI PKG CA WORK sohoa-cli -w B import-package {} --ca CA
import os
import random
import struct
import subprocess
import sys
import zipfile

cli, pkg, ca, work = sys.argv[1:5]
template = sys.argv[5:] or [cli, 'verify', '{}', '--ca', ca]
data = open(pkg, 'rb').read()
n = len(data)
offsets = set()
with zipfile.ZipFile(pkg) as z:
    for info in z.infolist():
        h = info.header_offset
        name_len, extra_len = struct.unpack('<HH', data[h + 26:h + 30])
        start = h + 30 + name_len + extra_len
        offsets.update((h, h + 6, h + 14, h + 22, h + 30 + name_len - 1, start, start + info.file_size - 1))
eocd = data.rfind(b'PK\x05\x06')
first_cd = struct.unpack('<I', data[eocd + 16:eocd + 20])[0]
offsets.update(range(first_cd, eocd, 13))
offsets.update(range(eocd, n))
random.seed(5)
offsets.update(random.sample(range(n), min(30, n)))
offsets = sorted(o for o in offsets if 0 <= o < n)

bad = os.path.join(work, 'flipped.zip')
accepted = []
for o in offsets:
    b = bytearray(data)
    b[o] ^= 0x01 if o % 2 else 0x80
    open(bad, 'wb').write(b)
    if subprocess.run([a.replace('{}', bad) for a in template], capture_output=True).returncode == 0:
        accepted.append(o)
for name, blob in (('appended', data + b'\0'), ('prepended', b'\0' + data), ('truncated', data[:-1])):
    open(bad, 'wb').write(blob)
    if subprocess.run([a.replace('{}', bad) for a in template], capture_output=True).returncode == 0:
        accepted.append(name)
print('#', len(offsets) + 3, 'damaged copies; accepted:', accepted)
sys.exit(1 if accepted else 0)
