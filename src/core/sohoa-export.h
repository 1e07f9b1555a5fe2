/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-context.h"
#include "sohoa-job.h"

G_BEGIN_DECLS

/* Writes an approved batch to a ZIP file: records.json, batch.json, the page
 * images and manifest-sha256.txt (sha256sum format).  The file appears
 * atomically: it is written beside @path and renamed when complete. */
gboolean sohoa_export_batch        (SohoaContext        *context,
                                    gint64               batch_id,
                                    const char          *path,
                                    SohoaJob            *job,
                                    GError             **error);
void     sohoa_export_batch_async  (SohoaContext        *context,
                                    gint64               batch_id,
                                    const char          *path,
                                    SohoaJob            *job,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean sohoa_export_batch_finish (SohoaContext        *context,
                                    GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
