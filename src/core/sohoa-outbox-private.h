/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-outbox.h"

G_BEGIN_DECLS

/* What the uploader writes on the packages row.  Each call is one
 * transaction, so what it records survives a crash right after. */
gint64   _sohoa_outbox_insert     (SohoaStore   *store,
                                   SohoaUser    *user,
                                   gint64        batch_id,
                                   const char   *path,
                                   const char   *sha256,
                                   guint64       size,
                                   const char   *signer,
                                   GError      **error);
gboolean _sohoa_outbox_start      (SohoaStore   *store,
                                   gint64        package_id,
                                   const char   *key,
                                   GError      **error);
gboolean _sohoa_outbox_set_upload (SohoaStore   *store,
                                   gint64        package_id,
                                   const char   *upload_id,
                                   const char   *parts_json,
                                   GError      **error);
gboolean _sohoa_outbox_stop       (SohoaStore      *store,
                                   gint64           package_id,
                                   SohoaUploadState state,
                                   const char      *message,
                                   GError         **error);
gboolean _sohoa_outbox_finish     (SohoaStore   *store,
                                   SohoaUser    *user,
                                   gint64        package_id,
                                   const char   *detail_json,
                                   GError      **error);
char    *_sohoa_outbox_dup_parts  (SohoaStore   *store,
                                   gint64        package_id);

G_END_DECLS
