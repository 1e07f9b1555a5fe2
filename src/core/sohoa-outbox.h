/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-store.h"

G_BEGIN_DECLS

/* Where a package is on its way to the city's object storage.  Kept on the
 * packages row (upload_state), never on the batch. */
typedef enum
{
  SOHOA_UPLOAD_NONE,        /* made, never tried */
  SOHOA_UPLOAD_PENDING,     /* in the outbox, waiting (or stopped part way) */
  SOHOA_UPLOAD_UPLOADING,   /* being sent, or the program stopped while sending */
  SOHOA_UPLOAD_DONE,        /* the object is complete and checked */
  SOHOA_UPLOAD_FAILED,      /* the last attempt failed; tried again later */
} SohoaUploadState;

const char       *sohoa_upload_state_to_string   (SohoaUploadState state);
SohoaUploadState  sohoa_upload_state_from_string (const char      *str);
const char       *sohoa_upload_state_get_label   (SohoaUploadState state);

/* One package in the outbox: a snapshot of its packages row, plus the
 * progress of an upload under way, which the outbox view binds to. */
#define SOHOA_TYPE_OUTBOX_ITEM (sohoa_outbox_item_get_type ())
G_DECLARE_FINAL_TYPE (SohoaOutboxItem, sohoa_outbox_item, SOHOA, OUTBOX_ITEM, GObject)

gint64            sohoa_outbox_item_get_id          (SohoaOutboxItem *self);
gint64            sohoa_outbox_item_get_batch_id    (SohoaOutboxItem *self);
const char       *sohoa_outbox_item_get_file        (SohoaOutboxItem *self);
const char       *sohoa_outbox_item_get_sha256      (SohoaOutboxItem *self);
guint64           sohoa_outbox_item_get_size        (SohoaOutboxItem *self);
SohoaUploadState  sohoa_outbox_item_get_state       (SohoaOutboxItem *self);
const char       *sohoa_outbox_item_get_error       (SohoaOutboxItem *self);
const char       *sohoa_outbox_item_get_key         (SohoaOutboxItem *self);
const char       *sohoa_outbox_item_get_upload_id   (SohoaOutboxItem *self);
guint             sohoa_outbox_item_get_n_parts_done (SohoaOutboxItem *self);
guint64           sohoa_outbox_item_get_bytes_done  (SohoaOutboxItem *self);
guint             sohoa_outbox_item_get_attempts    (SohoaOutboxItem *self);
double            sohoa_outbox_item_get_fraction    (SohoaOutboxItem *self);
void              sohoa_outbox_item_set_fraction    (SohoaOutboxItem *self,
                                                     double           fraction);
gboolean          sohoa_outbox_item_get_busy        (SohoaOutboxItem *self);
void              sohoa_outbox_item_set_busy        (SohoaOutboxItem *self,
                                                     gboolean         busy);
const char       *sohoa_outbox_item_get_message     (SohoaOutboxItem *self);
void              sohoa_outbox_item_set_message     (SohoaOutboxItem *self,
                                                     const char      *message);
gboolean          sohoa_outbox_item_refresh         (SohoaOutboxItem *self,
                                                     SohoaStore      *store,
                                                     GError         **error);

/* Puts a finished package file into the outbox: a packages row with its
 * size and SHA-256 (computed here), state pending.  For tests and for
 * packages made elsewhere; the package writer queues its packages
 * through the same code (_sohoa_outbox_insert). */
gint64            sohoa_outbox_add_package   (SohoaStore   *store,
                                              SohoaUser    *user,
                                              gint64        batch_id,
                                              const char   *path,
                                              GError      **error);
/* Every package, newest first.  Returns: (transfer full) a list of
 * SohoaOutboxItem. */
GListModel       *sohoa_outbox_list          (SohoaStore   *store,
                                              GError      **error);
SohoaOutboxItem  *sohoa_outbox_get           (SohoaStore   *store,
                                              gint64        package_id,
                                              GError      **error);
/* The packages still to send (none, pending, uploading or failed), oldest
 * first. */
GArray           *sohoa_outbox_list_waiting  (SohoaStore   *store,
                                              GError      **error);

G_END_DECLS
