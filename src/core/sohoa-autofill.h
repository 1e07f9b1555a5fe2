/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-schema.h"
#include "sohoa-store.h"

G_BEGIN_DECLS

/* One value auto-fill found on a page: normalized for its field's type,
 * with the OCR's confidence and where it is on the page, so the form can
 * show it and the page viewer can highlight it. */
typedef struct
{
  char     *key;
  char     *value;        /* NFC; dates dd/mm/yyyy (or mm/yyyy, yyyy), codes as their code */
  double    confidence;   /* 0–100: the lowest of the words it was read from */
  gint64    page_id;      /* 0 when found by sohoa_autofill_page() without a page id */
  int       x;            /* the box around those words, in the coordinates of */
  int       y;            /* the stored OCR words (the original turned upright, */
                          /* as the page view shows it) */
  int       width;
  int       height;
  gboolean  stored;       /* sohoa_autofill_record(): saved into an empty field */
} SohoaAutofillValue;

void        sohoa_autofill_value_free (SohoaAutofillValue *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaAutofillValue, sohoa_autofill_value_free)

GPtrArray  *sohoa_autofill_page       (SohoaSchema  *schema,
                                       GPtrArray    *words,
                                       guint         page_width,
                                       guint         page_height,
                                       gint64        page_id);
GPtrArray  *sohoa_autofill_record     (SohoaStore   *store,
                                       SohoaSchema  *schema,
                                       SohoaUser    *user,
                                       gint64        record_id,
                                       GError      **error);

void        sohoa_autofill_record_async  (SohoaStore          *store,
                                          SohoaSchema         *schema,
                                          SohoaUser           *user,
                                          gint64               record_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray  *sohoa_autofill_record_finish (SohoaStore          *store,
                                          GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
