#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-gschema-keys.py SCHEMA.gschema.xml
#
# Fails unless every GSettings key has a non-empty summary and description
# (dconf-editor and `gsettings describe` show them; translators see them).

import sys
import xml.etree.ElementTree as ET

missing = []
keys = ET.parse(sys.argv[1]).getroot().iter('key')
n = 0
for key in keys:
    n += 1
    for part in ('summary', 'description'):
        node = key.find(part)
        if node is None or not (node.text or '').strip():
            missing.append('{}: no {}'.format(key.get('name'), part))

for line in missing:
    print(line, file=sys.stderr)
print('{} keys, {} without summary or description'.format(n, len(missing)))
sys.exit(1 if missing or n == 0 else 0)
