/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-store.h"

G_BEGIN_DECLS

int _sohoa_import_decode_bytes (GBytes  *bytes,
                                guint    max_frames,
                                gint64   max_pixels,
                                GError **error);

gboolean _sohoa_import_prepare_file    (SohoaStore    *store,
                                       gint64         batch_id,
                                       GBytes        *bytes,
                                       const char    *name,
                                       const char    *source_name,
                                       GCancellable  *cancellable,
                                       GArray        *pages,
                                       char         **sha256,
                                       const char   **ext,
                                       gboolean      *wrote_original,
                                       GError       **error);
void     _sohoa_import_remove_prepared (SohoaStore    *store,
                                        const char    *sha256,
                                        const char    *ext,
                                        guint          n_pages,
                                        gboolean       remove_original);

G_END_DECLS
