/* sohoa-page-thumbnail.c
 *
 * One cell of the page strip: the page's thumbnail, its title and whether
 * its text has been recognized.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-page-thumbnail"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-page-thumbnail.h"

#include "sohoa-texture-loader.h"

#define THUMBNAIL_SIZE 256

struct _SohoaPageThumbnail
{
  AdwBin        parent_instance;

  /* template widgets */
  GtkPicture   *picture;
  GtkLabel     *title_label;
  GtkImage     *ocr_image;

  /* owned */
  SohoaPage    *page;
  GCancellable *cancellable;
  GBinding     *title_binding;
  GBinding     *ocr_binding;
};

G_DEFINE_FINAL_TYPE (SohoaPageThumbnail, sohoa_page_thumbnail, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
ocr_state_to_visible (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_int (from) == SOHOA_OCR_DONE);
  return TRUE;
}

static void
load_thumbnail_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SohoaPageThumbnail) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  if (!(texture = sohoa_load_texture_finish (result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("No thumbnail: %s", error->message);
          if (self->picture != NULL)
            gtk_widget_add_css_class (GTK_WIDGET (self->picture), "missing");
        }
      return;
    }

  if (self->picture != NULL)
    gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
load_thumbnail (SohoaPageThumbnail *self)
{
  const char *path;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_picture_set_paintable (self->picture, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->picture), "missing");

  if (self->page == NULL)
    return;

  /* The importer writes a small PNG; decode the page itself only if it
   * has not (yet). */
  path = sohoa_page_get_thumbnail_path (self->page);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    path = sohoa_page_get_image_path (self->page);
  if (path == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  sohoa_load_texture_async (path,
                            THUMBNAIL_SIZE,
                            self->cancellable,
                            load_thumbnail_cb,
                            g_object_ref (self));
}

static void
sohoa_page_thumbnail_dispose (GObject *object)
{
  SohoaPageThumbnail *self = (SohoaPageThumbnail *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_clear_pointer (&self->ocr_binding, g_binding_unbind);
  g_clear_object (&self->page);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_PAGE_THUMBNAIL);

  G_OBJECT_CLASS (sohoa_page_thumbnail_parent_class)->dispose (object);
}

static void
sohoa_page_thumbnail_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SohoaPageThumbnail *self = SOHOA_PAGE_THUMBNAIL (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_object (value, self->page);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_page_thumbnail_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SohoaPageThumbnail *self = SOHOA_PAGE_THUMBNAIL (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      sohoa_page_thumbnail_set_page (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_page_thumbnail_class_init (SohoaPageThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_page_thumbnail_dispose;
  object_class->get_property = sohoa_page_thumbnail_get_property;
  object_class->set_property = sohoa_page_thumbnail_set_property;

  properties[PROP_PAGE] =
    g_param_spec_object ("page", NULL, NULL,
                         SOHOA_TYPE_PAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-page-thumbnail.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaPageThumbnail, picture);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageThumbnail, title_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageThumbnail, ocr_image);

  gtk_widget_class_set_css_name (widget_class, "pagethumbnail");
}

static void
sohoa_page_thumbnail_init (SohoaPageThumbnail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sohoa_page_thumbnail_new (void)
{
  return g_object_new (SOHOA_TYPE_PAGE_THUMBNAIL, NULL);
}

SohoaPage *
sohoa_page_thumbnail_get_page (SohoaPageThumbnail *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_THUMBNAIL (self), NULL);

  return self->page;
}

void
sohoa_page_thumbnail_set_page (SohoaPageThumbnail *self,
                               SohoaPage          *page)
{
  g_return_if_fail (SOHOA_IS_PAGE_THUMBNAIL (self));
  g_return_if_fail (!page || SOHOA_IS_PAGE (page));

  if (self->page == page)
    return;

  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_clear_pointer (&self->ocr_binding, g_binding_unbind);
  g_set_object (&self->page, page);

  if (page != NULL)
    {
      self->title_binding =
        g_object_bind_property (page, "title", self->title_label, "label",
                                G_BINDING_SYNC_CREATE);
      self->ocr_binding =
        g_object_bind_property_full (page, "ocr-state", self->ocr_image, "visible",
                                     G_BINDING_SYNC_CREATE,
                                     ocr_state_to_visible, NULL, NULL, NULL);
    }
  else
    {
      gtk_label_set_label (self->title_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->ocr_image), FALSE);
    }

  load_thumbnail (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}
