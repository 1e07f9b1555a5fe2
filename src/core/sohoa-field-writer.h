/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-store.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_FIELD_WRITER (sohoa_field_writer_get_type ())
G_DECLARE_FINAL_TYPE (SohoaFieldWriter, sohoa_field_writer, SOHOA, FIELD_WRITER, GObject)

SohoaFieldWriter *sohoa_field_writer_new        (SohoaStore        *store,
                                                 GError           **error);
void              sohoa_field_writer_set_field  (SohoaFieldWriter  *self,
                                                 SohoaUser         *user,
                                                 gint64             record_id,
                                                 const char        *key,
                                                 const char        *value,
                                                 SohoaValueState    state);
void              sohoa_field_writer_set_source (SohoaFieldWriter  *self,
                                                 gint64             record_id,
                                                 const char        *key,
                                                 gint64             page_id,
                                                 int                x,
                                                 int                y,
                                                 int                width,
                                                 int                height);
void              sohoa_field_writer_flush      (SohoaFieldWriter  *self);
guint             sohoa_field_writer_get_n_pending (SohoaFieldWriter *self);

G_END_DECLS
