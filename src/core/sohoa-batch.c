/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-batch"

#include "config.h"

#include "sohoa-batch.h"
#include "sohoa-models-private.h"

struct _SohoaBatch
{
  GObject          parent_instance;

  gint64           id;
  char            *title;
  char            *schema_id;
  char            *note;
  SohoaBatchState  state;
  guint            n_pages;
  gint64           created_at;
};

G_DEFINE_FINAL_TYPE (SohoaBatch, sohoa_batch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_SCHEMA_ID,
  PROP_STATE,
  PROP_STATE_LABEL,
  PROP_N_PAGES,
  PROP_CREATED_AT,
  PROP_NOTE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sohoa_batch_finalize (GObject *object)
{
  SohoaBatch *self = (SohoaBatch *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->schema_id, g_free);
  g_clear_pointer (&self->note, g_free);

  G_OBJECT_CLASS (sohoa_batch_parent_class)->finalize (object);
}

static void
sohoa_batch_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SohoaBatch *self = SOHOA_BATCH (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_SCHEMA_ID: g_value_set_string (value, self->schema_id); break;
    case PROP_STATE: g_value_set_int (value, self->state); break;
    case PROP_STATE_LABEL: g_value_set_string (value, sohoa_batch_get_state_label (self)); break;
    case PROP_N_PAGES: g_value_set_uint (value, self->n_pages); break;
    case PROP_CREATED_AT: g_value_set_int64 (value, self->created_at); break;
    case PROP_NOTE: g_value_set_string (value, self->note); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_batch_class_init (SohoaBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sohoa_batch_finalize;
  object_class->get_property = sohoa_batch_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_SCHEMA_ID] = g_param_spec_string ("schema-id", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, 0, SOHOA_BATCH_ACKNOWLEDGED, 0, flags);
  properties[PROP_STATE_LABEL] = g_param_spec_string ("state-label", NULL, NULL, NULL, flags);
  properties[PROP_N_PAGES] = g_param_spec_uint ("n-pages", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sohoa_batch_init (SohoaBatch *self)
{
}

SohoaBatch *
_sohoa_batch_new (gint64           id,
                  const char      *title,
                  const char      *schema_id,
                  SohoaBatchState  state,
                  guint            n_pages,
                  gint64           created_at,
                  const char      *note)
{
  SohoaBatch *self = g_object_new (SOHOA_TYPE_BATCH, NULL);

  self->id = id;
  self->title = g_strdup (title);
  self->schema_id = g_strdup (schema_id);
  self->state = state;
  self->n_pages = n_pages;
  self->created_at = created_at;
  self->note = g_strdup (note);

  return self;
}

void
_sohoa_batch_update (SohoaBatch      *self,
                     SohoaBatchState  state,
                     guint            n_pages,
                     const char      *note)
{
  g_return_if_fail (SOHOA_IS_BATCH (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_LABEL]);
    }
  if (self->n_pages != n_pages)
    {
      self->n_pages = n_pages;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);
    }
  if (g_strcmp0 (self->note, note) != 0)
    {
      g_free (self->note);
      self->note = g_strdup (note);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
    }
}

gint64
sohoa_batch_get_id (SohoaBatch *self)
{
  g_return_val_if_fail (SOHOA_IS_BATCH (self), 0);
  return self->id;
}

const char *
sohoa_batch_get_title (SohoaBatch *self)
{
  g_return_val_if_fail (SOHOA_IS_BATCH (self), NULL);
  return self->title;
}

const char *
sohoa_batch_get_schema_id (SohoaBatch *self)
{
  g_return_val_if_fail (SOHOA_IS_BATCH (self), NULL);
  return self->schema_id;
}

SohoaBatchState
sohoa_batch_get_state (SohoaBatch *self)
{
  g_return_val_if_fail (SOHOA_IS_BATCH (self), 0);
  return self->state;
}

const char *
sohoa_batch_get_state_label (SohoaBatch *self)
{
  g_return_val_if_fail (SOHOA_IS_BATCH (self), NULL);
  return sohoa_batch_state_get_label (self->state);
}

guint
sohoa_batch_get_n_pages (SohoaBatch *self)
{
  g_return_val_if_fail (SOHOA_IS_BATCH (self), 0);
  return self->n_pages;
}

gint64
sohoa_batch_get_created_at (SohoaBatch *self)
{
  g_return_val_if_fail (SOHOA_IS_BATCH (self), 0);
  return self->created_at;
}

const char *
sohoa_batch_get_note (SohoaBatch *self)
{
  g_return_val_if_fail (SOHOA_IS_BATCH (self), NULL);
  return self->note;
}
