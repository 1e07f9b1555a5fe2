#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-icon-names.sh SRCDIR: every icon the interface names exists in the
# Adwaita icon theme (which GNOME runtimes ship) or in Sohoa's own data/icons,
# so that no screen shows the "missing image" picture.
set -eu
src=$1
themes="/usr/share/icons/Adwaita /usr/share/icons/hicolor $src/data/icons"
names=$( { grep -ho 'icon-name">[^<]*' "$src"/ui/*.ui | sed 's/icon-name">//'
           grep -ho '"[a-z0-9-]*-symbolic"' "$src"/src/app/*.c | tr -d '"'; } | sort -u)
[ -n "$names" ] || { echo "no icon names found: the check would prove nothing"; exit 1; }
missing=0
for name in $names; do
    # shellcheck disable=SC2086
    if [ -z "$(find $themes -name "$name.*" 2>/dev/null | head -n 1)" ]; then
        echo "missing icon: $name"
        missing=1
    fi
done
[ "$missing" = 0 ] && echo "ok - $(echo "$names" | wc -l) icon names, all in the theme"
exit "$missing"
