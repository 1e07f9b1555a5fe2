/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-types.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_BATCH (sohoa_batch_get_type ())
G_DECLARE_FINAL_TYPE (SohoaBatch, sohoa_batch, SOHOA, BATCH, GObject)

gint64           sohoa_batch_get_id          (SohoaBatch *self);
const char      *sohoa_batch_get_title       (SohoaBatch *self);
const char      *sohoa_batch_get_schema_id   (SohoaBatch *self);
SohoaBatchState  sohoa_batch_get_state       (SohoaBatch *self);
const char      *sohoa_batch_get_state_label (SohoaBatch *self);
guint            sohoa_batch_get_n_pages     (SohoaBatch *self);
gint64           sohoa_batch_get_created_at  (SohoaBatch *self);
const char      *sohoa_batch_get_note        (SohoaBatch *self);

G_END_DECLS
