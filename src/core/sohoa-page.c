/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-models-private.h"
#include "sohoa-page.h"

struct _SohoaPage
{
  GObject        parent_instance;

  gint64         id;
  gint64         batch_id;
  gint64         document_id;
  guint          position;
  char          *sha256;
  char          *source_name;
  char          *image_path;
  char          *thumbnail_path;
  guint          width;
  guint          height;
  guint          dpi;
  SohoaOcrState  ocr_state;
  double         ocr_confidence;
  guint          n_flagged;
  char          *original_path;
  int            rotation;
  gboolean       rotation_manual;
  gboolean       orientation_unsure;
  gboolean       no_cleanup;
};

G_DEFINE_FINAL_TYPE (SohoaPage, sohoa_page, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_POSITION,
  PROP_SHA256,
  PROP_SOURCE_NAME,
  PROP_IMAGE_PATH,
  PROP_THUMBNAIL_PATH,
  PROP_TITLE,
  PROP_OCR_STATE,
  PROP_OCR_CONFIDENCE,
  PROP_N_FLAGGED,
  PROP_ROTATION,
  PROP_ORIENTATION_UNSURE,
  PROP_NO_CLEANUP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sohoa_page_finalize (GObject *object)
{
  SohoaPage *self = (SohoaPage *) object;

  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->source_name, g_free);
  g_clear_pointer (&self->image_path, g_free);
  g_clear_pointer (&self->thumbnail_path, g_free);
  g_clear_pointer (&self->original_path, g_free);

  G_OBJECT_CLASS (sohoa_page_parent_class)->finalize (object);
}

static void
sohoa_page_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SohoaPage *self = SOHOA_PAGE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_POSITION: g_value_set_uint (value, self->position); break;
    case PROP_SHA256: g_value_set_string (value, self->sha256); break;
    case PROP_SOURCE_NAME: g_value_set_string (value, self->source_name); break;
    case PROP_IMAGE_PATH: g_value_set_string (value, self->image_path); break;
    case PROP_THUMBNAIL_PATH: g_value_set_string (value, self->thumbnail_path); break;
    case PROP_TITLE: g_value_take_string (value, sohoa_page_dup_title (self)); break;
    case PROP_OCR_STATE: g_value_set_int (value, self->ocr_state); break;
    case PROP_OCR_CONFIDENCE: g_value_set_double (value, self->ocr_confidence); break;
    case PROP_N_FLAGGED: g_value_set_uint (value, self->n_flagged); break;
    case PROP_ROTATION: g_value_set_int (value, self->rotation); break;
    case PROP_ORIENTATION_UNSURE: g_value_set_boolean (value, self->orientation_unsure); break;
    case PROP_NO_CLEANUP: g_value_set_boolean (value, self->no_cleanup); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_page_class_init (SohoaPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sohoa_page_finalize;
  object_class->get_property = sohoa_page_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SHA256] = g_param_spec_string ("sha256", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE_NAME] = g_param_spec_string ("source-name", NULL, NULL, NULL, flags);
  properties[PROP_IMAGE_PATH] = g_param_spec_string ("image-path", NULL, NULL, NULL, flags);
  properties[PROP_THUMBNAIL_PATH] = g_param_spec_string ("thumbnail-path", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_OCR_STATE] = g_param_spec_int ("ocr-state", NULL, NULL, 0, SOHOA_OCR_FAILED, 0, flags);
  properties[PROP_OCR_CONFIDENCE] = g_param_spec_double ("ocr-confidence", NULL, NULL, -1, 100, -1, flags);
  properties[PROP_N_FLAGGED] = g_param_spec_uint ("n-flagged", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ROTATION] = g_param_spec_int ("rotation", NULL, NULL, 0, 270, 0, flags);
  properties[PROP_ORIENTATION_UNSURE] = g_param_spec_boolean ("orientation-unsure", NULL, NULL, FALSE, flags);
  properties[PROP_NO_CLEANUP] = g_param_spec_boolean ("no-cleanup", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sohoa_page_init (SohoaPage *self)
{
  self->ocr_confidence = -1;
}

SohoaPage *
_sohoa_page_new (const SohoaPageRow *row)
{
  SohoaPage *self = g_object_new (SOHOA_TYPE_PAGE, NULL);

  self->id = row->id;
  self->batch_id = row->batch_id;
  self->document_id = row->document_id;
  self->position = row->position;
  self->sha256 = g_strdup (row->sha256);
  self->source_name = g_strdup (row->source_name);
  self->image_path = g_strdup (row->image_path);
  self->thumbnail_path = g_strdup (row->thumbnail_path);
  self->width = row->width;
  self->height = row->height;
  self->dpi = row->dpi;
  self->ocr_state = row->ocr_state;
  self->ocr_confidence = row->ocr_confidence;
  self->n_flagged = row->n_flagged;
  self->original_path = g_strdup (row->original_path ? row->original_path : row->image_path);
  self->rotation = row->rotation;
  self->rotation_manual = row->rotation_manual;
  self->orientation_unsure = row->orientation_unsure;
  self->no_cleanup = row->no_cleanup;

  return self;
}

void
_sohoa_page_set_ocr (SohoaPage     *self,
                     SohoaOcrState  state,
                     double         confidence,
                     guint          n_flagged)
{
  g_return_if_fail (SOHOA_IS_PAGE (self));

  if (self->ocr_state != state)
    {
      self->ocr_state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OCR_STATE]);
    }
  if (self->ocr_confidence != confidence)
    {
      self->ocr_confidence = confidence;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OCR_CONFIDENCE]);
    }
  if (self->n_flagged != n_flagged)
    {
      self->n_flagged = n_flagged;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FLAGGED]);
    }
}

void
_sohoa_page_set_adjustments (SohoaPage *self,
                             gboolean   rotation_manual,
                             gboolean   orientation_unsure,
                             gboolean   no_cleanup)
{
  g_return_if_fail (SOHOA_IS_PAGE (self));

  self->rotation_manual = rotation_manual;
  if (self->orientation_unsure != orientation_unsure)
    {
      self->orientation_unsure = orientation_unsure;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIENTATION_UNSURE]);
    }
  if (self->no_cleanup != no_cleanup)
    {
      self->no_cleanup = no_cleanup;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_CLEANUP]);
    }
}

/**
 * sohoa_page_get_original_path:
 *
 * Returns: the page's image as captured, never turned or cleaned (what OCR
 *   reads); sohoa_page_get_image_path() gives the image to show, upright
 */
const char *
sohoa_page_get_original_path (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), NULL);
  return self->original_path;
}

/* Quarter turns clockwise, in degrees, that make the original upright:
 * found by OCR or chosen by the clerk. */
int
sohoa_page_get_rotation (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), 0);
  return self->rotation;
}

/* Whether the clerk chose the rotation (OCR then keeps it). */
gboolean
sohoa_page_get_rotation_manual (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), FALSE);
  return self->rotation_manual;
}

/* OCR could not tell which way up the page is: ask the clerk. */
gboolean
sohoa_page_get_orientation_unsure (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), FALSE);
  return self->orientation_unsure;
}

/* The page is read from its original image, without cleanup. */
gboolean
sohoa_page_get_no_cleanup (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), FALSE);
  return self->no_cleanup;
}

/* Words of this page the operator should check (see sohoa_word_is_suspicious). */
guint
sohoa_page_get_n_flagged (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), 0);
  return self->n_flagged;
}

gint64
sohoa_page_get_id (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), 0);
  return self->id;
}

gint64
sohoa_page_get_batch_id (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), 0);
  return self->batch_id;
}

gint64
sohoa_page_get_document_id (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), 0);
  return self->document_id;
}

guint
sohoa_page_get_position (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), 0);
  return self->position;
}

const char *
sohoa_page_get_sha256 (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), NULL);
  return self->sha256;
}

const char *
sohoa_page_get_source_name (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), NULL);
  return self->source_name;
}

const char *
sohoa_page_get_image_path (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), NULL);
  return self->image_path;
}

const char *
sohoa_page_get_thumbnail_path (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), NULL);
  return self->thumbnail_path;
}

guint
sohoa_page_get_width (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), 0);
  return self->width;
}

guint
sohoa_page_get_height (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), 0);
  return self->height;
}

guint
sohoa_page_get_dpi (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), 0);
  return self->dpi;
}

SohoaOcrState
sohoa_page_get_ocr_state (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), 0);
  return self->ocr_state;
}

double
sohoa_page_get_ocr_confidence (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), -1);
  return self->ocr_confidence;
}

/* "Page 3", the label a clerk sees under a thumbnail. */
char *
sohoa_page_dup_title (SohoaPage *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE (self), NULL);
  return g_strdup_printf (_("Page %u"), self->position + 1);
}
