/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-types.h"

G_BEGIN_DECLS

typedef struct
{
  char *code;
  char *label;      /* in the user's language */
  char *label_vi;   /* as Vietnamese pages write it, for auto-fill */
} SohoaSchemaCode;

/* Where auto-fill looks for a field's value on a page's OCR words (see
 * docs/schemas.md).  Anchors are label texts ("Họ, chữ đệm, tên:"),
 * matched with diacritics folded; the value is what follows on the same
 * line, up to the next anchor of any field. */
typedef struct
{
  GStrv      anchors;      /* NFC, may be empty when a pattern or zone alone finds the value */
  char      *after;        /* nullable: only lines after this anchor's line */
  char      *before;       /* nullable: only lines before this anchor's line */
  GRegex    *pattern;      /* nullable: the value is capture 1 (or the match) */
  gboolean   has_zone;
  double     zone[4];      /* x, y, width, height as fractions of the page */
  gboolean   multiline;    /* the value may go on over the following lines */
} SohoaSchemaHint;

typedef enum
{
  SOHOA_RULE_DATE_ORDER,   /* first is not after second */
  SOHOA_RULE_REQUIRED_IF,  /* first is required when second == value */
} SohoaSchemaRuleKind;

typedef struct
{
  SohoaSchemaRuleKind  kind;
  char                *first;
  char                *second;
  char                *value;     /* required-if only */
  char                *message;   /* localized */
} SohoaSchemaRule;

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
  SohoaSchemaHint *hint;      /* nullable: how auto-fill finds the value */
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
guint                   sohoa_schema_get_n_fields   (SohoaSchema *self);
const SohoaSchemaField *sohoa_schema_get_field      (SohoaSchema *self,
                                                     guint        index);
const SohoaSchemaField *sohoa_schema_lookup_field   (SohoaSchema *self,
                                                     const char  *key);

guint                   sohoa_schema_get_n_rules    (SohoaSchema *self);
const SohoaSchemaRule  *sohoa_schema_get_rule       (SohoaSchema *self,
                                                     guint        index);
const char             *sohoa_schema_field_lookup_code (const SohoaSchemaField *field,
                                                        const char             *text);

const char             *sohoa_field_type_to_string  (SohoaFieldType type);
void                    sohoa_schema_load_dir       (GListStore  *schemas,
                                                     const char  *dir);

G_END_DECLS
