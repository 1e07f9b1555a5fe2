#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# docs/make-screenshots.sh [BUILDDIR]
#
# Takes the pictures of docs/huong-dan.md and of the AppStream metainfo from
# the running application: builds the UI test test-screenshots, runs it under
# Xvfb in Vietnamese (LANG=vi_VN.UTF-8) with SOHOA_TEST_SCREENSHOTS pointing
# at docs/screenshots/, then shrinks the PNGs losslessly when optipng is there.
#
# Needs: xvfb-run, dbus-run-session, the vi_VN.UTF-8 locale
# (`locale -a | grep vi_VN`; on Debian: dpkg-reconfigure locales).

set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$srcdir/_build}
outdir=$srcdir/docs/screenshots

if ! locale -a 2>/dev/null | grep -qi '^vi_VN\.utf-\?8$'; then
    echo "The vi_VN.UTF-8 locale is missing; the screenshots would be in English." >&2
    exit 1
fi

meson compile -C "$builddir" >/dev/null

mkdir -p "$outdir"
rm -f "$outdir"/*.png

env -u LANGUAGE \
    LANG=vi_VN.UTF-8 LC_ALL=vi_VN.UTF-8 \
    SOHOA_TEST_SCREENSHOTS="$outdir" \
    SOHOA_LOCALEDIR="$builddir/po" \
    SOHOA_DATADIR="$srcdir/data" \
    GSETTINGS_SCHEMA_DIR="$builddir/data" \
    GSETTINGS_BACKEND=memory \
    GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 ADW_DISABLE_PORTAL=1 \
    xvfb-run -a -s "-screen 0 1440x900x24 -dpi 96" \
    dbus-run-session -- "$builddir/tests/ui/test-screenshots" --tap

if command -v optipng >/dev/null 2>&1; then
    optipng -quiet -o2 -strip all "$outdir"/*.png
fi

ls -l "$outdir"
