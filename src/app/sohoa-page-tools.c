/* sohoa-page-tools.c
 *
 * Around the page view: turn the page, see it as captured or as cleaned up
 * for reading, read it without cleanup, and answer "Is this page upright?"
 * when OCR could not tell.  The page view itself (the "content") is shown
 * unchanged; the cleaned image is prepared on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-page-tools"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-page-tools.h"
#include "sohoa-texture-loader.h"

struct _SohoaPageTools
{
  AdwBin          parent_instance;

  /* template widgets */
  GtkRevealer    *orientation_revealer;
  GtkStack       *stack;
  GtkPicture     *cleaned_picture;
  GtkSpinner     *spinner;
  GtkCheckButton *cleanup_check;

  /* owned */
  SohoaContext   *context;
  SohoaPage      *page;
  GtkWidget      *content;
  GCancellable   *cancellable;
  gulong          page_notify;

  /* state */
  guint           show_original : 1;
  guint           editable : 1;
  guint           syncing : 1;
};

G_DEFINE_FINAL_TYPE (SohoaPageTools, sohoa_page_tools, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SHOW_ORIGINAL,
  PROP_CONTENT,
  N_PROPS
};

enum {
  ADJUSTED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
fail (SohoaPageTools *self,
      const GError   *error)
{
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
update_actions (SohoaPageTools *self)
{
  gboolean can_change = self->editable && self->page != NULL && self->context != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.rotate-left", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.rotate-right", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.rotate-180", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.accept-orientation",
                                 can_change && sohoa_page_get_orientation_unsure (self->page));
  gtk_widget_set_sensitive (GTK_WIDGET (self->cleanup_check), can_change);
}

static void
sync_page (SohoaPageTools *self)
{
  self->syncing = TRUE;
  gtk_check_button_set_active (self->cleanup_check, self->page == NULL || !sohoa_page_get_no_cleanup (self->page));
  self->syncing = FALSE;
  gtk_revealer_set_reveal_child (self->orientation_revealer,
                                 self->page != NULL && sohoa_page_get_orientation_unsure (self->page));
  update_actions (self);
}

static void
set_loading (SohoaPageTools *self,
             gboolean        loading)
{
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
}

static void
cleaned_texture_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SohoaPageTools) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = sohoa_load_texture_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cleaned_picture == NULL)
    return;
  set_loading (self, FALSE);
  if (texture == NULL)
    {
      fail (self, error);
      return;
    }
  gtk_picture_set_paintable (self->cleaned_picture, GDK_PAINTABLE (texture));
}

static void
cleaned_path_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SohoaPageTools) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sohoa_page_adjust_render_cleaned_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cleaned_picture == NULL)
    return;
  if (path == NULL)
    {
      set_loading (self, FALSE);
      fail (self, error);
      return;
    }
  sohoa_load_texture_async (path, 0, self->cancellable, cleaned_texture_cb, g_object_ref (self));
}

/* The cleaned page is prepared only when it is asked for: it costs a
 * second of a core. */
static void
load_cleaned (SohoaPageTools *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_picture_set_paintable (self->cleaned_picture, NULL);
  set_loading (self, FALSE);

  if (self->show_original || self->page == NULL || self->context == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  sohoa_page_adjust_render_cleaned_async (sohoa_context_get_store (self->context), self->page,
                                          self->cancellable, cleaned_path_cb, g_object_ref (self));
}

static void
show_view (SohoaPageTools *self)
{
  if (self->content)
    gtk_stack_set_visible_child_name (self->stack, self->show_original ? "original" : "cleaned");
  load_cleaned (self);
}

static void
page_notify_cb (SohoaPageTools *self,
                GParamSpec     *pspec,
                SohoaPage      *page)
{
  sync_page (self);
}

static void
rotate_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SohoaPageTools) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sohoa_page_adjust_rotate_finish (SOHOA_CONTEXT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error);
      return;
    }
  g_signal_emit (self, signals[ADJUSTED], 0);
}

static void
rotate_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaPageTools *self = SOHOA_PAGE_TOOLS (widget);
  int by = g_str_equal (action_name, "page.rotate-left") ? 270
         : g_str_equal (action_name, "page.rotate-right") ? 90 : 180;

  if (self->page == NULL || self->context == NULL)
    return;
  /* One turn at a time: the next press waits for this one to be stored. */
  self->editable = FALSE;
  update_actions (self);
  sohoa_page_adjust_rotate_async (self->context, sohoa_page_get_id (self->page), by, NULL,
                                  rotate_cb, g_object_ref (self));
}

static void
accept_orientation_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  SohoaPageTools *self = SOHOA_PAGE_TOOLS (widget);
  g_autoptr(GError) error = NULL;

  if (self->page == NULL || self->context == NULL)
    return;
  if (!sohoa_page_adjust_accept_orientation (sohoa_context_get_store (self->context),
                                             sohoa_context_get_user (self->context),
                                             sohoa_page_get_id (self->page), &error))
    fail (self, error);
  else
    g_signal_emit (self, signals[ADJUSTED], 0);
}

static void
cleanup_toggled_cb (SohoaPageTools *self,
                    GtkCheckButton *check)
{
  g_autoptr(GError) error = NULL;

  if (self->syncing || self->page == NULL || self->context == NULL)
    return;
  if (!sohoa_page_adjust_set_no_cleanup (sohoa_context_get_store (self->context),
                                         sohoa_context_get_user (self->context),
                                         sohoa_page_get_id (self->page),
                                         !gtk_check_button_get_active (check), &error))
    {
      fail (self, error);
      sync_page (self);
      return;
    }
  g_signal_emit (self, signals[ADJUSTED], 0);
}

static void
sohoa_page_tools_dispose (GObject *object)
{
  SohoaPageTools *self = (SohoaPageTools *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->page_notify)
    g_clear_signal_handler (&self->page_notify, self->page);
  g_clear_object (&self->page);
  g_clear_object (&self->context);
  g_clear_object (&self->content);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_PAGE_TOOLS);

  G_OBJECT_CLASS (sohoa_page_tools_parent_class)->dispose (object);
}

static void
sohoa_page_tools_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SohoaPageTools *self = SOHOA_PAGE_TOOLS (object);

  switch (prop_id)
    {
    case PROP_SHOW_ORIGINAL: g_value_set_boolean (value, self->show_original); break;
    case PROP_CONTENT: g_value_set_object (value, self->content); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_page_tools_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SohoaPageTools *self = SOHOA_PAGE_TOOLS (object);

  switch (prop_id)
    {
    case PROP_SHOW_ORIGINAL:
      if (self->show_original != g_value_get_boolean (value))
        {
          self->show_original = g_value_get_boolean (value);
          show_view (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_CONTENT:
      sohoa_page_tools_set_content (self, g_value_get_object (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_page_tools_class_init (SohoaPageToolsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_page_tools_dispose;
  object_class->get_property = sohoa_page_tools_get_property;
  object_class->set_property = sohoa_page_tools_set_property;

  properties[PROP_SHOW_ORIGINAL] =
    g_param_spec_boolean ("show-original", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTENT] =
    g_param_spec_object ("content", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SohoaPageTools::adjusted:
   *
   * The page was turned, confirmed upright or set to be read with or
   * without cleanup: the store has changed.
   */
  signals[ADJUSTED] = g_signal_new ("adjusted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-page-tools.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaPageTools, orientation_revealer);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageTools, stack);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageTools, cleaned_picture);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageTools, spinner);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageTools, cleanup_check);
  gtk_widget_class_bind_template_callback (widget_class, cleanup_toggled_cb);

  gtk_widget_class_install_action (widget_class, "page.rotate-left", NULL, rotate_action);
  gtk_widget_class_install_action (widget_class, "page.rotate-right", NULL, rotate_action);
  gtk_widget_class_install_action (widget_class, "page.rotate-180", NULL, rotate_action);
  gtk_widget_class_install_action (widget_class, "page.accept-orientation", NULL, accept_orientation_action);
  gtk_widget_class_install_property_action (widget_class, "page.show-original", "show-original");
}

static void
sohoa_page_tools_init (SohoaPageTools *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  struct { guint key; GdkModifierType modifiers; const char *action; } keys[] = {
    { GDK_KEY_bracketleft, GDK_CONTROL_MASK, "page.rotate-left" },
    { GDK_KEY_bracketright, GDK_CONTROL_MASK, "page.rotate-right" },
    { GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "page.show-original" },
  };

  self->show_original = TRUE;
  self->editable = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The keys work wherever the focus is in the window (the form, mostly). */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].modifiers),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  sync_page (self);
}

void
sohoa_page_tools_set_context (SohoaPageTools *self,
                              SohoaContext   *context)
{
  g_return_if_fail (SOHOA_IS_PAGE_TOOLS (self));

  g_set_object (&self->context, context);
  update_actions (self);
}

/* The page shown; the tools follow its flags as the store updates them. */
void
sohoa_page_tools_set_page (SohoaPageTools *self,
                           SohoaPage      *page)
{
  g_return_if_fail (SOHOA_IS_PAGE_TOOLS (self));

  if (self->page == page)
    return;
  if (self->page_notify)
    g_clear_signal_handler (&self->page_notify, self->page);
  g_set_object (&self->page, page);
  if (page)
    self->page_notify = g_signal_connect_object (page, "notify", G_CALLBACK (page_notify_cb), self,
                                                 G_CONNECT_SWAPPED);
  sync_page (self);
  load_cleaned (self);
}

/* Whether the page may be changed now (an open batch, nothing running). */
void
sohoa_page_tools_set_editable (SohoaPageTools *self,
                               gboolean        editable)
{
  g_return_if_fail (SOHOA_IS_PAGE_TOOLS (self));

  self->editable = !!editable;
  update_actions (self);
}

GtkWidget *
sohoa_page_tools_get_content (SohoaPageTools *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_TOOLS (self), NULL);
  return self->content;
}

/* The page as captured (the page view): shown unless the cleaned image is
 * asked for. */
void
sohoa_page_tools_set_content (SohoaPageTools *self,
                              GtkWidget      *content)
{
  g_return_if_fail (SOHOA_IS_PAGE_TOOLS (self));
  g_return_if_fail (self->content == NULL);

  self->content = g_object_ref (content);
  gtk_stack_add_named (self->stack, content, "original");
  show_view (self);
}

gboolean
sohoa_page_tools_get_show_original (SohoaPageTools *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_TOOLS (self), TRUE);
  return self->show_original;
}
