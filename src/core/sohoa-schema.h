/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-types.h"

G_BEGIN_DECLS

typedef struct
{
  char *code;
  char *label;
} SohoaSchemaCode;

typedef struct
{
  char           *key;
  char           *label;
  char           *help;
  SohoaFieldType  type;
  gboolean        required;
  gboolean        critical;
  gboolean        sensitive;
  guint           max_length;
  GPtrArray      *codes;      /* SohoaSchemaCode */
} SohoaSchemaField;

#define SOHOA_TYPE_SCHEMA (sohoa_schema_get_type ())
G_DECLARE_FINAL_TYPE (SohoaSchema, sohoa_schema, SOHOA, SCHEMA, GObject)

SohoaSchema            *sohoa_schema_new_from_data  (const char  *data,
                                                     gssize       length,
                                                     GError     **error);
SohoaSchema            *sohoa_schema_new_from_file  (GFile       *file,
                                                     GError     **error);
const char             *sohoa_schema_get_id         (SohoaSchema *self);
guint                   sohoa_schema_get_version    (SohoaSchema *self);
const char             *sohoa_schema_get_title      (SohoaSchema *self);
gboolean                sohoa_schema_get_double_keying (SohoaSchema *self);
guint                   sohoa_schema_get_n_fields   (SohoaSchema *self);
const SohoaSchemaField *sohoa_schema_get_field      (SohoaSchema *self,
                                                     guint        index);
const SohoaSchemaField *sohoa_schema_lookup_field   (SohoaSchema *self,
                                                     const char  *key);

const char             *sohoa_field_type_to_string  (SohoaFieldType type);
void                    sohoa_schema_load_dir       (GListStore  *schemas,
                                                     const char  *dir);

G_END_DECLS
