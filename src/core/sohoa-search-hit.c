/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-search-hit"

#include "config.h"

#include "sohoa-search-hit.h"
#include "sohoa-search-private.h"

/* One record found by sohoa_store_search(): where it is (batch, document)
 * and what to call it in a list (its name field). */
struct _SohoaSearchHit
{
  GObject  parent_instance;

  gint64   record_id;
  gint64   batch_id;
  gint64   document_id;
  guint    document_number;
  char    *schema_id;
  char    *title;
  char    *batch_title;
};

G_DEFINE_FINAL_TYPE (SohoaSearchHit, sohoa_search_hit, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECORD_ID,
  PROP_BATCH_ID,
  PROP_DOCUMENT_ID,
  PROP_DOCUMENT_NUMBER,
  PROP_SCHEMA_ID,
  PROP_TITLE,
  PROP_BATCH_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sohoa_search_hit_finalize (GObject *object)
{
  SohoaSearchHit *self = (SohoaSearchHit *) object;

  g_clear_pointer (&self->schema_id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->batch_title, g_free);

  G_OBJECT_CLASS (sohoa_search_hit_parent_class)->finalize (object);
}

static void
sohoa_search_hit_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SohoaSearchHit *self = SOHOA_SEARCH_HIT (object);

  switch (prop_id)
    {
    case PROP_RECORD_ID: g_value_set_int64 (value, self->record_id); break;
    case PROP_BATCH_ID: g_value_set_int64 (value, self->batch_id); break;
    case PROP_DOCUMENT_ID: g_value_set_int64 (value, self->document_id); break;
    case PROP_DOCUMENT_NUMBER: g_value_set_uint (value, self->document_number); break;
    case PROP_SCHEMA_ID: g_value_set_string (value, self->schema_id); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_BATCH_TITLE: g_value_set_string (value, self->batch_title); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_search_hit_class_init (SohoaSearchHitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sohoa_search_hit_finalize;
  object_class->get_property = sohoa_search_hit_get_property;

  properties[PROP_RECORD_ID] = g_param_spec_int64 ("record-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_BATCH_ID] = g_param_spec_int64 ("batch-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DOCUMENT_ID] = g_param_spec_int64 ("document-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DOCUMENT_NUMBER] = g_param_spec_uint ("document-number", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SCHEMA_ID] = g_param_spec_string ("schema-id", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_BATCH_TITLE] = g_param_spec_string ("batch-title", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sohoa_search_hit_init (SohoaSearchHit *self)
{
}

SohoaSearchHit *
_sohoa_search_hit_new (gint64      record_id,
                       gint64      batch_id,
                       gint64      document_id,
                       guint       document_number,
                       const char *schema_id,
                       const char *title,
                       const char *batch_title)
{
  SohoaSearchHit *self = g_object_new (SOHOA_TYPE_SEARCH_HIT, NULL);

  self->record_id = record_id;
  self->batch_id = batch_id;
  self->document_id = document_id;
  self->document_number = document_number;
  self->schema_id = g_strdup (schema_id);
  self->title = g_strdup (title ? title : "");
  self->batch_title = g_strdup (batch_title ? batch_title : "");
  return self;
}

gint64
sohoa_search_hit_get_record_id (SohoaSearchHit *self)
{
  g_return_val_if_fail (SOHOA_IS_SEARCH_HIT (self), 0);
  return self->record_id;
}

gint64
sohoa_search_hit_get_batch_id (SohoaSearchHit *self)
{
  g_return_val_if_fail (SOHOA_IS_SEARCH_HIT (self), 0);
  return self->batch_id;
}

gint64
sohoa_search_hit_get_document_id (SohoaSearchHit *self)
{
  g_return_val_if_fail (SOHOA_IS_SEARCH_HIT (self), 0);
  return self->document_id;
}

/**
 * sohoa_search_hit_get_document_number:
 *
 * Returns: the document's place in its batch, counting from 1
 */
guint
sohoa_search_hit_get_document_number (SohoaSearchHit *self)
{
  g_return_val_if_fail (SOHOA_IS_SEARCH_HIT (self), 0);
  return self->document_number;
}

const char *
sohoa_search_hit_get_schema_id (SohoaSearchHit *self)
{
  g_return_val_if_fail (SOHOA_IS_SEARCH_HIT (self), NULL);
  return self->schema_id;
}

/**
 * sohoa_search_hit_get_title:
 *
 * Returns: the record's name field as keyed, or "" when it is empty
 */
const char *
sohoa_search_hit_get_title (SohoaSearchHit *self)
{
  g_return_val_if_fail (SOHOA_IS_SEARCH_HIT (self), NULL);
  return self->title;
}

const char *
sohoa_search_hit_get_batch_title (SohoaSearchHit *self)
{
  g_return_val_if_fail (SOHOA_IS_SEARCH_HIT (self), NULL);
  return self->batch_title;
}
