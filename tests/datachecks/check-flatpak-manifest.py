#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Sohoa authors
"""Checks the Flatpak manifest without building it (no runtime can be
downloaded where the tests run).

usage: check-flatpak-manifest.py MANIFEST SOURCE_ROOT APP_ID

Checks: the manifest is valid JSON; it targets org.gnome.Platform/Sdk; every
source is pinned (archive/file: https URL + sha256; git: commit); every module
names its buildsystem and its options have the shape that buildsystem takes;
Sohoa's own -D options exist in meson_options.txt; the app id and command
match data/ (desktop file, metainfo) and the executable meson installs; every
library a meson.build asks for is either in the runtime or built by a module;
the tessdata models Sohoa needs are installed where TESSDATA_PREFIX points;
finish-args stay within what the features need (files only through portals).

Prints TAP; exits non-zero on the first failed group of checks.
"""

import json
import os
import re
import sys
import xml.etree.ElementTree as ET

# Libraries the GNOME runtime (org.gnome.Platform 48 and later, on top of the
# freedesktop 24.08/25.08 base) already has.
RUNTIME_LIBRARIES = {
    'glib-2.0', 'gio-2.0', 'gobject-2.0', 'gio-unix-2.0', 'gmodule-2.0',
    'gtk4', 'libadwaita-1', 'pangocairo', 'pango', 'cairo', 'gdk-pixbuf-2.0',
    'sqlite3', 'libarchive', 'json-glib-1.0', 'libxml-2.0', 'gnutls',
    'libcurl', 'libsecret-1', 'zlib', 'libpng', 'libjpeg', 'libtiff-4',
    'p11-kit-1', 'threads', 'openssl', 'libcrypto', 'libssl', 'epoxy',
}

# pkg-config name -> the manifest module that provides it.
MODULE_FOR_LIBRARY = {
    'libargon2': 'argon2',
    'xlsxwriter': 'libxlsxwriter',
    'poppler-glib': 'poppler',
    'sane-backends': 'sane-backends',
    'lept': 'leptonica',
    'tesseract': 'tesseract',
}

TESSDATA_MODELS = ('vie', 'eng', 'osd')

BUILDSYSTEMS = {'autotools', 'cmake', 'cmake-ninja', 'meson', 'simple', 'qmake'}

# Meson's own options that may be given as --name=value.
MESON_BUILTINS = {
    'buildtype', 'prefix', 'libdir', 'bindir', 'datadir', 'default-library',
    'optimization', 'debug', 'wrap-mode', 'werror', 'warnlevel', 'b_lto',
    'b_ndebug', 'strip', 'auto-features', 'unity',
}

# finish-args that would defeat the sandbox for this app: files go through
# the portals (GtkFileDialog), settings through GSettings in the sandbox.
FORBIDDEN_FINISH_ARGS = (
    '--filesystem=host', '--filesystem=home', '--filesystem=host-os',
    '--filesystem=host-etc', '--socket=x11', '--socket=session-bus',
    '--socket=system-bus', '--talk-name=org.freedesktop.Flatpak',
    '--device=shm', '--allow=devel',
)

REQUIRED_FINISH_ARGS = (
    '--share=ipc', '--socket=wayland', '--socket=fallback-x11',
    '--share=network',
)

SHA256_RE = re.compile(r'^[0-9a-f]{64}$')
COMMIT_RE = re.compile(r'^[0-9a-f]{40}$')
MESON_OPT_RE = re.compile(r'^-D[A-Za-z0-9_.:-]+=.*$|^--[a-z_-]+(=.*)?$')
CMAKE_OPT_RE = re.compile(r'^-D[A-Za-z0-9_]+(:[A-Z]+)?=.*$|^-G.+$|^-W[a-z-]+$')
AUTOTOOLS_OPT_RE = re.compile(r'^--(enable|disable|with|without)-[a-z0-9_-]+(=.*)?$'
                              r'|^--[a-z-]+dir=.+$|^--host=.+$|^--build=.+$'
                              r'|^[A-Z_]+=.*$')


class Checker:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what):
        self.n += 1
        if cond:
            print('ok %d - %s' % (self.n, what))
        else:
            self.failed += 1
            print('not ok %d - %s' % (self.n, what))
        return cond

    def done(self):
        print('1..%d' % self.n)
        return 1 if self.failed else 0


def check_source(t, module, source):
    kind = source.get('type')
    where = '%s: %s source' % (module, kind)
    if kind in ('archive', 'file'):
        url = source.get('url', '')
        t.ok(url.startswith('https://'), '%s %s is fetched over https' % (where, url))
        t.ok(bool(SHA256_RE.match(source.get('sha256', ''))),
             '%s %s is pinned by sha256' % (where, url))
        for weak in ('md5', 'sha1'):
            t.ok(weak not in source, '%s does not rely on %s' % (where, weak))
    elif kind == 'git':
        t.ok(source.get('url', '').startswith('https://'), '%s is fetched over https' % where)
        t.ok(bool(COMMIT_RE.match(source.get('commit', ''))),
             '%s %s is pinned by commit' % (where, source.get('url')))
        t.ok('branch' not in source, '%s does not follow a branch' % where)
    elif kind == 'dir':
        t.ok(module == 'sohoa', '%s: only Sohoa itself is built from a directory' % where)
    elif kind in ('patch', 'script', 'shell'):
        t.ok(kind != 'patch' or 'path' in source or 'paths' in source,
             '%s names its patch files' % where)
    else:
        t.ok(False, '%s: unknown source type' % where)


def check_options(t, name, buildsystem, opts):
    pattern = {
        'meson': MESON_OPT_RE,
        'cmake': CMAKE_OPT_RE,
        'cmake-ninja': CMAKE_OPT_RE,
        'autotools': AUTOTOOLS_OPT_RE,
    }.get(buildsystem)
    if buildsystem == 'simple':
        t.ok(not opts, '%s: a simple module takes build-commands, not config-opts' % name)
        return
    for opt in opts:
        if pattern is None:
            t.ok(True, '%s: %s (not checked for %s)' % (name, opt, buildsystem))
            continue
        shaped = bool(pattern.match(opt))
        if buildsystem == 'meson' and opt.startswith('--'):
            shaped = opt[2:].split('=')[0] in MESON_BUILTINS
        t.ok(shaped, '%s: "%s" is a %s option' % (name, opt, buildsystem))


def meson_option_names(source_root):
    names = set()
    for fname in ('meson_options.txt', 'meson.options'):
        path = os.path.join(source_root, fname)
        if os.path.exists(path):
            with open(path, encoding='utf-8') as f:
                names |= set(re.findall(r"option\(\s*'([^']+)'", f.read()))
    return names


def meson_dependencies(source_root):
    deps = set()
    for top, dirs, files in os.walk(source_root):
        dirs[:] = [d for d in dirs if not d.startswith(('.', '_build')) and d not in ('build', 'subprojects')]
        if 'meson.build' in files:
            with open(os.path.join(top, 'meson.build'), encoding='utf-8') as f:
                deps |= set(re.findall(r"\bdependency\(\s*'([^']+)'", f.read()))
    return deps


def desktop_entry(path):
    entry = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            if '=' in line and not line.startswith('#'):
                k, v = line.rstrip('\n').split('=', 1)
                entry.setdefault(k.strip(), v.strip())
    return entry


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    manifest_path, source_root, app_id = sys.argv[1:]
    t = Checker()

    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        t.ok(False, 'manifest is valid JSON (%s)' % e)
        return t.done()
    t.ok(True, 'manifest is valid JSON')

    t.ok(os.path.basename(manifest_path) == app_id + '.json', 'manifest is named after the app id')
    t.ok(manifest.get('id', manifest.get('app-id')) == app_id, 'manifest id is %s' % app_id)
    t.ok(manifest.get('runtime') == 'org.gnome.Platform', 'runtime is org.gnome.Platform')
    t.ok(manifest.get('sdk') == 'org.gnome.Sdk', 'sdk is org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    t.ok(version.isdigit() and int(version) >= 48,
         'runtime-version %s is a current GNOME release (48 or later)' % version)

    # The command, the desktop file and the metainfo agree with data/.
    command = manifest.get('command')
    t.ok(command == 'sohoa', 'command is the installed executable "sohoa"')
    with open(os.path.join(source_root, 'src', 'app', 'meson.build'), encoding='utf-8') as f:
        t.ok(re.search(r"executable\(\s*'%s'" % re.escape(command or ''), f.read()) is not None,
             'src/app/meson.build builds the executable %s' % command)
    desktop_in = os.path.join(source_root, 'data', app_id + '.desktop.in')
    t.ok(os.path.exists(desktop_in), 'data/%s.desktop.in exists' % app_id)
    if os.path.exists(desktop_in):
        entry = desktop_entry(desktop_in)
        t.ok(entry.get('Exec', '').split(' ')[0] == command, 'desktop Exec runs %s' % command)
        t.ok(entry.get('Icon') == app_id, 'desktop Icon is the app id')
    metainfo_in = os.path.join(source_root, 'data', app_id + '.metainfo.xml.in')
    t.ok(os.path.exists(metainfo_in), 'data/%s.metainfo.xml.in exists' % app_id)
    if os.path.exists(metainfo_in):
        root = ET.parse(metainfo_in).getroot()
        t.ok(root.findtext('id') == app_id, 'metainfo id is the app id')
        t.ok(root.findtext('launchable') == app_id + '.desktop', 'metainfo launches the desktop file')
        binaries = [b.text for b in root.iter('binary')]
        t.ok(command in binaries, 'metainfo provides the binary %s' % command)
    for icon in ('scalable/apps/%s.svg' % app_id, 'symbolic/apps/%s-symbolic.svg' % app_id):
        t.ok(os.path.exists(os.path.join(source_root, 'data', 'icons', 'hicolor', icon)),
             'icon data/icons/hicolor/%s exists' % icon)

    # finish-args
    finish_args = manifest.get('finish-args', [])
    for arg in REQUIRED_FINISH_ARGS:
        t.ok(arg in finish_args, 'finish-args has %s' % arg)
    for arg in finish_args:
        t.ok(not any(arg == bad or arg.startswith(bad + ':') for bad in FORBIDDEN_FINISH_ARGS)
             and not arg.startswith('--filesystem='),
             'finish-arg %s keeps files behind the portals' % arg)
    env = dict(a[len('--env='):].split('=', 1) for a in finish_args if a.startswith('--env='))
    tessdata_dir = env.get('TESSDATA_PREFIX', '')
    t.ok(tessdata_dir.startswith('/app/'), 'TESSDATA_PREFIX points into /app')
    t.ok(env.get('SANE_CONFIG_DIR', '').startswith('/app/'), 'SANE_CONFIG_DIR points into /app')

    # Modules
    modules = manifest.get('modules', [])
    t.ok(isinstance(modules, list) and modules, 'manifest has modules')
    names = []
    app_options = meson_option_names(source_root)
    for module in modules:
        if not t.ok(isinstance(module, dict), 'module is written inline (%r)' % (module,)):
            continue
        name = module.get('name', '?')
        names.append(name)
        buildsystem = module.get('buildsystem')
        t.ok(buildsystem in BUILDSYSTEMS, '%s: buildsystem "%s" is named and known' % (name, buildsystem))
        if buildsystem == 'simple':
            t.ok(bool(module.get('build-commands')), '%s: simple module has build-commands' % name)
        check_options(t, name, buildsystem, module.get('config-opts', []))
        sources = module.get('sources', [])
        t.ok(bool(sources), '%s has sources' % name)
        for source in sources:
            check_source(t, name, source)
        if name == 'sohoa':
            for opt in module.get('config-opts', []):
                if opt.startswith('-D'):
                    key = opt[2:].split('=')[0]
                    t.ok(key in app_options, 'sohoa: option %s exists in meson_options.txt' % key)
            for source in sources:
                if source.get('type') == 'dir':
                    root = os.path.normpath(os.path.join(os.path.dirname(manifest_path), source['path']))
                    t.ok(os.path.samefile(root, source_root), 'sohoa is built from the repository root')
    t.ok(len(names) == len(set(names)), 'module names are unique')
    t.ok(names and names[-1] == 'sohoa', 'sohoa is the last module')

    # Every library meson asks for is in the runtime or built here.
    for dep in sorted(meson_dependencies(source_root)):
        if dep in RUNTIME_LIBRARIES:
            t.ok(True, 'library %s comes with the runtime' % dep)
        else:
            module = MODULE_FOR_LIBRARY.get(dep)
            t.ok(module in names,
                 'library %s is built by manifest module %s' % (dep, module or '(none: add one, '
                 'and map it in MODULE_FOR_LIBRARY)'))

    # The OCR models land in TESSDATA_PREFIX.
    tessdata = [m for m in modules if isinstance(m, dict) and m.get('name') == 'tessdata']
    t.ok(len(tessdata) == 1, 'a tessdata module installs the OCR models')
    if tessdata:
        files = {s.get('dest-filename') for s in tessdata[0].get('sources', [])}
        commands = ' '.join(tessdata[0].get('build-commands', []))
        for lang in TESSDATA_MODELS:
            t.ok('%s.traineddata' % lang in files and '%s.traineddata' % lang in commands,
                 'tessdata installs %s.traineddata' % lang)
        t.ok(tessdata_dir.replace('/app', '${FLATPAK_DEST}', 1) in commands,
             'tessdata installs into TESSDATA_PREFIX (%s)' % tessdata_dir)

    return t.done()


if __name__ == '__main__':
    sys.exit(main())
