/* sohoa-record-form.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_RECORD_FORM (sohoa_record_form_get_type ())

G_DECLARE_FINAL_TYPE (SohoaRecordForm, sohoa_record_form, SOHOA, RECORD_FORM, AdwBin)

GtkWidget    *sohoa_record_form_new           (SohoaContext     *context);
SohoaContext *sohoa_record_form_get_context   (SohoaRecordForm  *self);
SohoaSchema  *sohoa_record_form_get_schema    (SohoaRecordForm  *self);
gint64        sohoa_record_form_get_record_id (SohoaRecordForm  *self);
gboolean      sohoa_record_form_get_editable  (SohoaRecordForm  *self);
void          sohoa_record_form_set_editable  (SohoaRecordForm  *self,
                                               gboolean          editable);
gboolean      sohoa_record_form_load          (SohoaRecordForm  *self,
                                               SohoaSchema      *schema,
                                               gint64            document_id,
                                               GError          **error);
void          sohoa_record_form_clear         (SohoaRecordForm  *self);
gboolean      sohoa_record_form_save          (SohoaRecordForm  *self,
                                               GError          **error);
void          sohoa_record_form_focus_first   (SohoaRecordForm  *self);
gboolean      sohoa_record_form_focus_next_flagged (SohoaRecordForm *self);
gboolean      sohoa_record_form_fill_focused  (SohoaRecordForm       *self,
                                               const char            *text,
                                               gint64                 page_id,
                                               const graphene_rect_t *box);
gboolean      sohoa_record_form_get_autofilling (SohoaRecordForm *self);
void          sohoa_record_form_prefill       (SohoaRecordForm  *self,
                                               SohoaSchema      *schema,
                                               gint64            document_id);
SohoaValueState sohoa_record_form_get_field_state (SohoaRecordForm *self,
                                               const char            *key);

G_END_DECLS
