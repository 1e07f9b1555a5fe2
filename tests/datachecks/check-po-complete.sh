#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-po-complete.sh MSGFMT PO_FILE [XGETTEXT MSGMERGE SOURCE_ROOT POTFILES]
#
# Fails unless PO_FILE passes `msgfmt --check` with every message translated
# and none fuzzy. With the optional arguments it also extracts the messages
# the sources have now (as po/meson.build's 'glib' preset does) and fails if
# PO_FILE lacks a translation for any of them, so a string added to the code
# without updating the translation is caught too.

set -u

msgfmt=$1
po=$2

if [ ! -f "$po" ]; then
    echo "$po: no such file" >&2
    exit 1
fi

# Counts the messages that are not fully translated in a .po file, printing
# msgfmt's statistics line; fails if msgfmt --check finds errors.
untranslated () {
    stats=$("$msgfmt" --check --statistics -o /dev/null "$1" 2>&1) || {
        echo "$stats" >&2
        echo "$1: msgfmt --check failed" >&2
        return 2
    }
    echo "$stats" >&2
    # e.g. "50 translated messages, 1 fuzzy translation, 2 untranslated messages."
    echo "$stats" | tail -n 1 | awk '
        { n = 0
          for (i = 1; i < NF; i++)
            if ($(i + 1) ~ /^(fuzzy|untranslated)/) n += $i
          print n }'
}

status=0

n=$(untranslated "$po") || exit 1
if [ "$n" -ne 0 ]; then
    echo "$po: $n messages are fuzzy or untranslated" >&2
    status=1
fi

if [ $# -ge 6 ]; then
    xgettext=$3
    msgmerge=$4
    srcroot=$5
    potfiles=$6
    if ! grep -qv -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$potfiles"; then
        echo "$potfiles lists no source files; nothing more to check" >&2
        exit $status
    fi

    tmp=$(mktemp -d) || exit 1
    trap 'rm -rf "$tmp"' EXIT

    # Same keywords and flags as Meson's i18n 'glib' preset.
    (cd "$srcroot" && "$xgettext" \
        --files-from="$potfiles" \
        --directory="$srcroot" \
        --from-code=UTF-8 \
        --add-comments \
        --force-po \
        --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
        --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
        --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
        --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
        --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
        --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
        --flag=g_markup_printf_escaped:1:c-format \
        --output="$tmp/current.pot") || {
        echo "xgettext failed on $potfiles" >&2
        exit 1
    }

    "$msgmerge" --quiet --no-fuzzy-matching --output-file="$tmp/merged.po" "$po" "$tmp/current.pot" || exit 1
    n=$(untranslated "$tmp/merged.po") || exit 1
    if [ "$n" -ne 0 ]; then
        echo "$po lacks $n messages the sources have now; update it from POTFILES" >&2
        msgattrib=$(dirname "$msgmerge")/msgattrib
        if [ -x "$msgattrib" ]; then
            "$msgattrib" --untranslated --no-obsolete "$tmp/merged.po" | head -n 60 >&2
        fi
        status=1
    fi
fi

exit $status
