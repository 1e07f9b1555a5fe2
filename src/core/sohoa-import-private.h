/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int _sohoa_import_decode_bytes (GBytes  *bytes,
                                guint    max_frames,
                                gint64   max_pixels,
                                GError **error);

G_END_DECLS
