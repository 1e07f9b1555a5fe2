/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-context.h"

G_BEGIN_DECLS

/* Watches a folder that a network scanner writes to and imports each file
 * once it is complete: closed or moved in by its writer, and unchanged in
 * size and time for a second.  Content already in the workspace is never
 * stored twice, across restarts too. */
#define SOHOA_TYPE_HOT_FOLDER (sohoa_hot_folder_get_type ())
G_DECLARE_FINAL_TYPE (SohoaHotFolder, sohoa_hot_folder, SOHOA, HOT_FOLDER, GObject)

SohoaHotFolder *sohoa_hot_folder_new           (SohoaContext    *context,
                                                GFile           *directory,
                                                gint64           batch_id);
SohoaContext   *sohoa_hot_folder_get_context   (SohoaHotFolder  *self);
GFile          *sohoa_hot_folder_get_directory (SohoaHotFolder  *self);
gint64          sohoa_hot_folder_get_batch_id  (SohoaHotFolder  *self);
void            sohoa_hot_folder_set_batch_id  (SohoaHotFolder  *self,
                                                gint64           batch_id);
const char     *sohoa_hot_folder_get_schema_id (SohoaHotFolder  *self);
void            sohoa_hot_folder_set_schema_id (SohoaHotFolder  *self,
                                                const char      *schema_id);
gboolean        sohoa_hot_folder_get_watching  (SohoaHotFolder  *self);
gboolean        sohoa_hot_folder_get_busy      (SohoaHotFolder  *self);

gboolean        sohoa_hot_folder_start         (SohoaHotFolder  *self,
                                                GError         **error);
void            sohoa_hot_folder_stop          (SohoaHotFolder  *self);

G_END_DECLS
