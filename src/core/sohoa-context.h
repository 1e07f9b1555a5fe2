/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-schema.h"
#include "sohoa-store.h"
#include "sohoa-validate.h"

G_BEGIN_DECLS

/* The services one workspace offers: its store, its schemas, the signed-in
 * user.  Handed to whoever needs them; the core keeps no globals. */
#define SOHOA_TYPE_CONTEXT (sohoa_context_get_type ())
G_DECLARE_FINAL_TYPE (SohoaContext, sohoa_context, SOHOA, CONTEXT, GObject)

char         *sohoa_context_default_workspace_dir (void);
char         *sohoa_context_find_data_dir         (void);
gboolean      sohoa_context_check_workspace_dir   (const char    *dir,
                                                   GError       **error);

SohoaContext *sohoa_context_open                  (const char    *workspace_dir,
                                                   GError       **error);
const char   *sohoa_context_get_workspace_dir     (SohoaContext  *self);
SohoaStore   *sohoa_context_get_store             (SohoaContext  *self);
GListModel   *sohoa_context_get_schemas           (SohoaContext  *self);
SohoaSchema  *sohoa_context_lookup_schema         (SohoaContext  *self,
                                                   const char    *schema_id);
SohoaValidator *sohoa_context_get_validator       (SohoaContext  *self);
SohoaUser    *sohoa_context_get_user              (SohoaContext  *self);
void          sohoa_context_set_user              (SohoaContext  *self,
                                                   SohoaUser     *user);
char         *sohoa_context_dup_derived_dir       (SohoaContext  *self);
char         *sohoa_context_dup_ocr_language      (SohoaContext  *self);
void          sohoa_context_set_ocr_language      (SohoaContext  *self,
                                                   const char    *language);
guint         sohoa_context_get_ocr_threads       (SohoaContext  *self);
void          sohoa_context_set_ocr_threads       (SohoaContext  *self,
                                                   guint          n_threads);

G_END_DECLS
