/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-schema.h"
#include "sohoa-store.h"
#include "sohoa-user.h"

G_BEGIN_DECLS

typedef enum
{
  SOHOA_ARBITRATE_FIRST,
  SOHOA_ARBITRATE_SECOND,
  SOHOA_ARBITRATE_OTHER,
} SohoaArbitration;

/* A critical field whose two keyings disagree and that nobody has settled. */
typedef struct
{
  gint64  record_id;
  gint64  document_id;
  guint   document_number;   /* in its batch, counting from 1 */
  char   *key;
  char   *first_value;       /* NULL when withheld from the one asking */
  char   *second_value;      /* NULL when withheld from the one asking */
  gint64  first_by;          /* user ids; 0 when nobody keyed it first */
  gint64  second_by;
} SohoaMismatch;

void        sohoa_mismatch_free            (SohoaMismatch     *mismatch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaMismatch, sohoa_mismatch_free)

gboolean    sohoa_keyed_values_agree       (const char        *first,
                                            const char        *second);
GPtrArray  *sohoa_double_keying_fields     (SohoaSchema       *schema);

gboolean    sohoa_store_set_second_field   (SohoaStore        *self,
                                            SohoaUser         *user,
                                            SohoaSchema       *schema,
                                            gint64             record_id,
                                            const char        *key,
                                            const char        *value,
                                            GError           **error);
GHashTable *sohoa_store_get_second_fields  (SohoaStore        *self,
                                            SohoaUser         *user,
                                            gint64             record_id,
                                            GError           **error);
GPtrArray  *sohoa_store_list_mismatches    (SohoaStore        *self,
                                            SohoaUser         *user,
                                            gint64             batch_id,
                                            GError           **error);
gboolean    sohoa_store_arbitrate          (SohoaStore        *self,
                                            SohoaUser         *user,
                                            gint64             record_id,
                                            const char        *key,
                                            SohoaArbitration   choice,
                                            const char        *value,
                                            GError           **error);

G_END_DECLS
