#!/usr/bin/env python3
# Writes hostile ZIP files for the import tests, one per attack:
#   package-malicious.py GOOD.zip OUT_DIR
# Each is built from the good package's entries (so everything else is as
# Sohoa writes it) plus one thing an attacker would add.
import os
import stat
import sys
import zipfile

good, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(good) as z:
    entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
root = entries[0][0].split('/')[0]


def write(name, extra):
    with zipfile.ZipFile(os.path.join(out, name + '.zip'), 'w', zipfile.ZIP_STORED) as z:
        for filename, data in entries:
            z.writestr(filename, data)
        extra(z)


def add(z, name, data=b'x', mode=None, compress=zipfile.ZIP_STORED):
    info = zipfile.ZipInfo(name)
    info.compress_type = compress
    if mode is not None:
        info.external_attr = mode << 16
    z.writestr(info, data)


write('dotdot', lambda z: add(z, root + '/../../evil.txt'))
write('absolute', lambda z: add(z, '/tmp/sohoa-evil.txt'))
write('symlink', lambda z: add(z, root + '/link', b'/etc/passwd', stat.S_IFLNK | 0o777))
write('duplicate', lambda z: add(z, entries[0][0], b'other content'))
write('casefold', lambda z: add(z, entries[0][0].upper().replace(root.upper(), root), b'x'))
write('outside', lambda z: add(z, 'other-folder/file.txt'))
# 64 MiB of zeros that deflate to a few kB: refused by --max-entry-size.
write('oversized', lambda z: add(z, root + '/representations/rep1/data/big.pdf', bytes(64 << 20),
                                 compress=zipfile.ZIP_DEFLATED))
write('unlisted', lambda z: add(z, root + '/documentation/extra.txt', b'not in METS'))
