/* sohoa-page-view.c
 *
 * The scanned page, large, beside the form: fitted to the pane or at its
 * original size.  Pages are decoded on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-page-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-page-view.h"

#include "sohoa-texture-loader.h"

struct _SohoaPageView
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkScrolledWindow *scroller;
  GtkPicture        *picture;
  GtkSpinner        *spinner;
  GtkLabel          *error_label;

  /* owned */
  SohoaPage         *page;
  GCancellable      *cancellable;

  /* state */
  guint              fit : 1;
};

G_DEFINE_FINAL_TYPE (SohoaPageView, sohoa_page_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FIT,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loading (SohoaPageView *self,
             gboolean       loading)
{
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
}

static void
load_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SohoaPageView) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = sohoa_load_texture_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->picture == NULL)
    return;

  set_loading (self, FALSE);

  if (texture == NULL)
    {
      g_warning ("Cannot show page: %s", error->message);
      gtk_label_set_label (self->error_label, _("This page image cannot be shown. "
                                                "It is still stored in the workspace."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
load_page (SohoaPageView *self)
{
  const char *path;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_picture_set_paintable (self->picture, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  set_loading (self, FALSE);

  if (self->page == NULL || !(path = sohoa_page_get_image_path (self->page)))
    return;

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  sohoa_load_texture_async (path, 0, self->cancellable, load_page_cb, g_object_ref (self));
}

static void
apply_fit (SohoaPageView *self)
{
  GtkPolicyType policy = self->fit ? GTK_POLICY_NEVER : GTK_POLICY_AUTOMATIC;

  gtk_scrolled_window_set_policy (self->scroller, policy, policy);
  gtk_picture_set_can_shrink (self->picture, self->fit);
}

static void
sohoa_page_view_dispose (GObject *object)
{
  SohoaPageView *self = (SohoaPageView *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->page);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_PAGE_VIEW);

  G_OBJECT_CLASS (sohoa_page_view_parent_class)->dispose (object);
}

static void
sohoa_page_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SohoaPageView *self = SOHOA_PAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_FIT:
      g_value_set_boolean (value, self->fit);
      break;

    case PROP_PAGE:
      g_value_set_object (value, self->page);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_page_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SohoaPageView *self = SOHOA_PAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_FIT:
      sohoa_page_view_set_fit (self, g_value_get_boolean (value));
      break;

    case PROP_PAGE:
      sohoa_page_view_set_page (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_page_view_class_init (SohoaPageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_page_view_dispose;
  object_class->get_property = sohoa_page_view_get_property;
  object_class->set_property = sohoa_page_view_set_property;

  properties[PROP_FIT] =
    g_param_spec_boolean ("fit", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PAGE] =
    g_param_spec_object ("page", NULL, NULL,
                         SOHOA_TYPE_PAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/vn/sohoa/Sohoa/sohoa-page-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaPageView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageView, picture);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageView, error_label);

  gtk_widget_class_install_property_action (widget_class, "page-view.fit", "fit");

  gtk_widget_class_set_css_name (widget_class, "pageview");
}

static void
sohoa_page_view_init (SohoaPageView *self)
{
  self->fit = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  apply_fit (self);
}

GtkWidget *
sohoa_page_view_new (void)
{
  return g_object_new (SOHOA_TYPE_PAGE_VIEW, NULL);
}

SohoaPage *
sohoa_page_view_get_page (SohoaPageView *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_VIEW (self), NULL);

  return self->page;
}

void
sohoa_page_view_set_page (SohoaPageView *self,
                          SohoaPage     *page)
{
  g_return_if_fail (SOHOA_IS_PAGE_VIEW (self));
  g_return_if_fail (!page || SOHOA_IS_PAGE (page));

  if (!g_set_object (&self->page, page))
    return;

  load_page (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

gboolean
sohoa_page_view_get_fit (SohoaPageView *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_VIEW (self), FALSE);

  return self->fit;
}

void
sohoa_page_view_set_fit (SohoaPageView *self,
                         gboolean       fit)
{
  g_return_if_fail (SOHOA_IS_PAGE_VIEW (self));

  fit = !!fit;

  if (self->fit == fit)
    return;

  self->fit = fit;
  apply_fit (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
}
