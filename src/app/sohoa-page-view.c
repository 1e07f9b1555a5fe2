/* sohoa-page-view.c
 *
 * The scanned page, large, beside the form: fitted to the pane's width or
 * zoomed, panned with the scroll bars, a middle-button drag or Alt+arrows,
 * with the OCR words tinted by confidence.  A click on a word or a box
 * dragged around words hands their text (::text-picked) to whoever fills a
 * field with it.  The image and the words are loaded on worker threads.
 *
 * Keys (handled wherever the focus is in the window, so the clerk never
 * leaves the form): Ctrl+plus/minus zoom, Ctrl+0 fits the width, Ctrl+1
 * shows the original size, Alt+arrows and Alt+Page Up/Down scroll.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-page-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-page-view.h"

#include <graphene-gobject.h>

#include "sohoa-page-canvas.h"
#include "sohoa-texture-loader.h"

#define ZOOM_STEP 1.25
#define SCROLL_STEP 80.0

/* Pages are shown from a copy at most this many pixels high or wide, plenty
 * for the pane; zooming past it loads the full image.  A few recent and
 * upcoming pages are kept decoded, so the next record opens at once. */
#define DISPLAY_SIZE 1800
#define CACHE_SIZE 4

struct _SohoaPageView
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkScrolledWindow *scroller;
  SohoaPageCanvas   *canvas;
  GtkSpinner        *spinner;
  GtkLabel          *error_label;

  /* owned */
  SohoaPage         *page;
  SohoaStore        *store;
  GCancellable      *cancellable;
  GPtrArray         *words;      /* SohoaOcrWord, of page */
  GHashTable        *textures;   /* image path → GdkTexture, display size */
  GQueue             recent;     /* image paths, most recent first (owned by textures) */
  GCancellable      *prefetch_cancellable;
  char              *prefetching;  /* path being decoded ahead */

  /* state */
  double             pan_x;
  double             pan_y;
  guint              loading_texture : 1;
  guint              loading_words : 1;
  guint              full_size : 1;    /* the texture shown is the whole image */
  guint              loading_full : 1;
};

G_DEFINE_FINAL_TYPE (SohoaPageView, sohoa_page_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FIT,
  PROP_LOADING,
  PROP_PAGE,
  PROP_ZOOM,
  N_PROPS
};

enum {
  TEXT_PICKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_loading (SohoaPageView *self)
{
  gtk_spinner_set_spinning (self->spinner, self->loading_texture);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->loading_texture);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
cache_texture (SohoaPageView *self,
               const char    *path,
               GdkTexture    *texture)
{
  char *key = g_strdup (path);

  if (g_hash_table_contains (self->textures, path))
    {
      GList *link = g_queue_find_custom (&self->recent, path, (GCompareFunc) g_strcmp0);

      g_queue_delete_link (&self->recent, link);
      g_hash_table_remove (self->textures, path);
    }

  g_hash_table_insert (self->textures, key, g_object_ref (texture));
  g_queue_push_head (&self->recent, key);

  while (g_queue_get_length (&self->recent) > CACHE_SIZE)
    g_hash_table_remove (self->textures, g_queue_pop_tail (&self->recent));
}

/* The size of the image shown, the original turned upright: the pixels
 * word boxes are in.  The page's own size is of the original as imported. */
static gboolean
page_is_sideways (SohoaPageView *self)
{
  int rotation = sohoa_page_get_rotation (self->page);

  return rotation == 90 || rotation == 270;
}

static int
upright_width (SohoaPageView *self)
{
  return (int) (page_is_sideways (self) ? sohoa_page_get_height (self->page) : sohoa_page_get_width (self->page));
}

static int
upright_height (SohoaPageView *self)
{
  return (int) (page_is_sideways (self) ? sohoa_page_get_width (self->page) : sohoa_page_get_height (self->page));
}

static void
show_texture (SohoaPageView *self,
              GdkTexture    *texture)
{
  sohoa_page_canvas_set_image_size (self->canvas, upright_width (self), upright_height (self));
  sohoa_page_canvas_set_texture (self->canvas, texture);
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

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->canvas == NULL)
    return;

  self->loading_texture = FALSE;
  update_loading (self);

  if (texture == NULL)
    {
      g_warning ("Cannot show page: %s", error->message);
      gtk_label_set_label (self->error_label, _("This page image cannot be shown. "
                                                "It is still stored in the workspace."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  cache_texture (self, sohoa_page_get_image_path (self->page), texture);
  show_texture (self, texture);
}

static void
load_full_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SohoaPageView) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = sohoa_load_texture_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->canvas == NULL)
    return;

  self->loading_full = FALSE;
  if (texture == NULL)
    return;

  self->full_size = TRUE;
  show_texture (self, texture);
}

/* Zoomed past the display copy: decode the whole image, once. */
static void
ensure_full_size (SohoaPageView *self)
{
  GdkTexture *texture = sohoa_page_canvas_get_texture (self->canvas);
  double needed;

  if (self->page == NULL || texture == NULL || self->full_size || self->loading_full)
    return;

  needed = sohoa_page_canvas_get_scale (self->canvas) * upright_width (self);
  if (needed <= gdk_texture_get_width (texture) * 1.1)
    return;

  self->loading_full = TRUE;
  sohoa_load_texture_async (sohoa_page_get_image_path (self->page), 0, self->cancellable,
                            load_full_cb, g_object_ref (self));
}

static void
prefetch_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SohoaPageView) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  texture = sohoa_load_texture_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->canvas == NULL)
    return;

  path = g_steal_pointer (&self->prefetching);
  if (texture != NULL)
    cache_texture (self, path, texture);
}

static void
load_words_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SohoaStore *store = task_data;
  SohoaPage *page = source_object;
  g_autoptr(SohoaStore) reader = NULL;
  GError *error = NULL;
  GPtrArray *words;

  /* A connection of its own: the main one belongs to the main thread. */
  if (!(reader = sohoa_store_dup (store, &error)) ||
      !(words = sohoa_store_get_page_words (reader, sohoa_page_get_id (page), &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, words, (GDestroyNotify) g_ptr_array_unref);
}

static void
load_words_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SohoaPageView) self = user_data;
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GError) error = NULL;

  words = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->canvas == NULL)
    return;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  if (error != NULL)
    g_warning ("Cannot read the words of a page: %s", error->message);

  g_clear_pointer (&self->words, g_ptr_array_unref);
  self->words = g_steal_pointer (&words);
  sohoa_page_canvas_set_words (self->canvas, self->words);

  self->loading_words = FALSE;
  update_loading (self);
}

static void
load_page (SohoaPageView *self)
{
  const char *path;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  sohoa_page_canvas_set_texture (self->canvas, NULL);
  sohoa_page_canvas_set_words (self->canvas, NULL);
  sohoa_page_canvas_set_highlight (self->canvas, NULL);
  g_clear_pointer (&self->words, g_ptr_array_unref);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  self->loading_texture = FALSE;
  self->loading_words = FALSE;

  if (self->page == NULL || !(path = sohoa_page_get_image_path (self->page)))
    {
      update_loading (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->full_size = FALSE;
  self->loading_full = FALSE;
  if (g_hash_table_contains (self->textures, path))
    {
      g_autoptr(GdkTexture) texture = g_object_ref (g_hash_table_lookup (self->textures, path));

      cache_texture (self, path, texture);
      show_texture (self, texture);
    }
  else
    {
      self->loading_texture = TRUE;
      sohoa_load_texture_async (path, DISPLAY_SIZE, self->cancellable, load_page_cb, g_object_ref (self));
    }

  if (self->store != NULL && sohoa_page_get_ocr_state (self->page) == SOHOA_OCR_DONE)
    {
      g_autoptr(GTask) task = g_task_new (self->page, self->cancellable, load_words_cb, g_object_ref (self));

      self->loading_words = TRUE;
      g_task_set_source_tag (task, load_page);
      g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
      g_task_run_in_thread (task, load_words_thread);
    }

  update_loading (self);
}

static void
apply_zoom (SohoaPageView *self,
            double         zoom)
{
  gboolean was_fit = sohoa_page_canvas_get_zoom (self->canvas) <= 0;
  GtkPolicyType hpolicy = zoom <= 0 ? GTK_POLICY_NEVER : GTK_POLICY_AUTOMATIC;

  gtk_scrolled_window_set_policy (self->scroller, hpolicy, GTK_POLICY_AUTOMATIC);
  sohoa_page_canvas_set_zoom (self->canvas, zoom);
  ensure_full_size (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  if (was_fit != (zoom <= 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
}

static void
zoom_by (SohoaPageView *self,
         double         factor)
{
  apply_zoom (self, sohoa_page_canvas_get_scale (self->canvas) * factor);
}

static void
scroll_by (SohoaPageView *self,
           double         dx,
           double         dy)
{
  GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (self->scroller);
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (h, gtk_adjustment_get_value (h) + dx);
  gtk_adjustment_set_value (v, gtk_adjustment_get_value (v) + dy);
}

/* Scrolls the highlighted region into view, after the canvas has its new
 * size. */
static gboolean
reveal_highlight_cb (GtkWidget     *widget,
                     GdkFrameClock *frame_clock,
                     gpointer       user_data)
{
  SohoaPageView *self = SOHOA_PAGE_VIEW (widget);
  graphene_rect_t bounds;
  graphene_point_t origin;
  GtkAdjustment *adjustments[2] = {
    gtk_scrolled_window_get_hadjustment (self->scroller),
    gtk_scrolled_window_get_vadjustment (self->scroller),
  };

  if (!sohoa_page_canvas_get_highlight_bounds (self->canvas, &bounds) ||
      !gtk_widget_compute_point (GTK_WIDGET (self->canvas),
                                 gtk_scrolled_window_get_child (self->scroller),
                                 &bounds.origin, &origin))
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < 2; i++)
    {
      double start = i == 0 ? origin.x : origin.y;
      double size = i == 0 ? bounds.size.width : bounds.size.height;
      double value = gtk_adjustment_get_value (adjustments[i]);
      double page = gtk_adjustment_get_page_size (adjustments[i]);

      if (start - 24 < value || start + size + 24 > value + page)
        gtk_adjustment_set_value (adjustments[i], start - MAX (24, (page - size) / 3));
    }

  return G_SOURCE_REMOVE;
}

/* Arguments "(bd)": multiply the zoom by the factor (TRUE) or set it
 * (FALSE; 0 fits the width). */
static gboolean
zoom_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  SohoaPageView *self = SOHOA_PAGE_VIEW (user_data);
  gboolean relative;
  double zoom;

  if (self->page == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;
  g_variant_get (args, "(bd)", &relative, &zoom);
  if (relative)
    zoom_by (self, zoom);
  else
    apply_zoom (self, zoom);
  return TRUE;
}

static gboolean
scroll_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  SohoaPageView *self = SOHOA_PAGE_VIEW (user_data);
  double dx, dy;

  if (self->page == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;

  g_variant_get (args, "(dd)", &dx, &dy);
  if (fabs (dy) > 1000)
    dy = (dy > 0 ? 0.9 : -0.9) * gtk_adjustment_get_page_size (gtk_scrolled_window_get_vadjustment (self->scroller));
  scroll_by (self, dx, dy);
  return TRUE;
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *triggers,
              GtkShortcutFunc        func,
              gpointer               user_data,
              GVariant              *args)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (triggers),
                                            gtk_callback_action_new (func, user_data, NULL));

  if (args != NULL)
    gtk_shortcut_set_arguments (shortcut, args);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
canvas_region_picked_cb (SohoaPageView   *self,
                         double           x,
                         double           y,
                         double           width,
                         double           height,
                         gboolean         click,
                         SohoaPageCanvas *canvas)
{
  graphene_rect_t region = GRAPHENE_RECT_INIT (x, y, width, height);
  graphene_rect_t bounds;
  g_autofree char *text = NULL;

  if (!(text = sohoa_page_view_pick_text (self, &region, click, &bounds)))
    return;

  g_signal_emit (self, signals[TEXT_PICKED], 0, text, &bounds);
}

static void
pan_begin_cb (SohoaPageView  *self,
              double          x,
              double          y,
              GtkGestureDrag *gesture)
{
  if (gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)) == GDK_BUTTON_PRIMARY)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->pan_x = gtk_adjustment_get_value (gtk_scrolled_window_get_hadjustment (self->scroller));
  self->pan_y = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->scroller), "grabbing");
}

static void
pan_update_cb (SohoaPageView  *self,
               double          dx,
               double          dy,
               GtkGestureDrag *gesture)
{
  gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (self->scroller), self->pan_x - dx);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), self->pan_y - dy);
}

static void
pan_end_cb (SohoaPageView  *self,
            double          dx,
            double          dy,
            GtkGestureDrag *gesture)
{
  gtk_widget_set_cursor (GTK_WIDGET (self->scroller), NULL);
}

static gboolean
scroll_cb (SohoaPageView            *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK) || self->page == NULL)
    return FALSE;

  zoom_by (self, dy < 0 ? ZOOM_STEP : 1 / ZOOM_STEP);
  return TRUE;
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SohoaPageView *self = SOHOA_PAGE_VIEW (widget);

  if (g_str_equal (action_name, "page-view.zoom-in"))
    zoom_by (self, ZOOM_STEP);
  else if (g_str_equal (action_name, "page-view.zoom-out"))
    zoom_by (self, 1 / ZOOM_STEP);
  else
    apply_zoom (self, 1.0);
}

static void
sohoa_page_view_dispose (GObject *object)
{
  SohoaPageView *self = (SohoaPageView *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->prefetch_cancellable);
  g_clear_object (&self->prefetch_cancellable);
  g_clear_pointer (&self->prefetching, g_free);
  g_clear_object (&self->page);
  g_clear_object (&self->store);
  g_queue_clear (&self->recent);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->words, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_PAGE_VIEW);
  self->canvas = NULL;

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
      g_value_set_boolean (value, sohoa_page_view_get_fit (self));
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, sohoa_page_view_get_loading (self));
      break;

    case PROP_PAGE:
      g_value_set_object (value, self->page);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, sohoa_page_view_get_zoom (self));
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

    case PROP_ZOOM:
      sohoa_page_view_set_zoom (self, g_value_get_double (value));
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

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PAGE] =
    g_param_spec_object ("page", NULL, NULL,
                         SOHOA_TYPE_PAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         0, 8, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SohoaPageView::text-picked:
   * @text: the words clicked or boxed, in reading order, NFC
   * @bounds: (type Graphene.Rect): the region they cover, in image pixels
   */
  signals[TEXT_PICKED] =
    g_signal_new ("text-picked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, GRAPHENE_TYPE_RECT);

  g_type_ensure (SOHOA_TYPE_PAGE_CANVAS);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-page-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaPageView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageView, canvas);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SohoaPageView, error_label);

  gtk_widget_class_install_property_action (widget_class, "page-view.fit", "fit");
  gtk_widget_class_install_action (widget_class, "page-view.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "page-view.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "page-view.zoom-original", NULL, zoom_action);

  gtk_widget_class_set_css_name (widget_class, "pageview");
}

static void
sohoa_page_view_init (SohoaPageView *self)
{
  GtkEventController *controller;
  GtkShortcutController *shortcuts;
  GtkGesture *pan;

  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->canvas, "region-picked",
                           G_CALLBACK (canvas_region_picked_cb), self,
                           G_CONNECT_SWAPPED);

  /* Handled wherever the focus is in the window: the clerk keys in the
   * form and zooms or scrolls the page without leaving it. */
  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_GLOBAL);
  add_shortcut (shortcuts, "<Control>plus|<Control>equal|<Control>KP_Add", zoom_shortcut_cb, self,
                g_variant_new ("(bd)", TRUE, ZOOM_STEP));
  add_shortcut (shortcuts, "<Control>minus|<Control>KP_Subtract", zoom_shortcut_cb, self,
                g_variant_new ("(bd)", TRUE, 1 / ZOOM_STEP));
  add_shortcut (shortcuts, "<Control>0|<Control>KP_0", zoom_shortcut_cb, self, g_variant_new ("(bd)", FALSE, 0.0));
  add_shortcut (shortcuts, "<Control>1|<Control>KP_1", zoom_shortcut_cb, self, g_variant_new ("(bd)", FALSE, 1.0));
  add_shortcut (shortcuts, "<Alt>Up", scroll_shortcut_cb, self, g_variant_new ("(dd)", 0.0, -SCROLL_STEP));
  add_shortcut (shortcuts, "<Alt>Down", scroll_shortcut_cb, self, g_variant_new ("(dd)", 0.0, SCROLL_STEP));
  add_shortcut (shortcuts, "<Alt>Left", scroll_shortcut_cb, self, g_variant_new ("(dd)", -SCROLL_STEP, 0.0));
  add_shortcut (shortcuts, "<Alt>Right", scroll_shortcut_cb, self, g_variant_new ("(dd)", SCROLL_STEP, 0.0));
  add_shortcut (shortcuts, "<Alt>Page_Up", scroll_shortcut_cb, self, g_variant_new ("(dd)", 0.0, -10000.0));
  add_shortcut (shortcuts, "<Alt>Page_Down", scroll_shortcut_cb, self, g_variant_new ("(dd)", 0.0, 10000.0));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));

  /* The middle button (or the right one) pans; the left one picks words. */
  pan = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (pan), 0);
  g_signal_connect_object (pan, "drag-begin", G_CALLBACK (pan_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pan, "drag-update", G_CALLBACK (pan_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pan, "drag-end", G_CALLBACK (pan_end_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), GTK_EVENT_CONTROLLER (pan));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);

  apply_zoom (self, 0);
}

GtkWidget *
sohoa_page_view_new (void)
{
  return g_object_new (SOHOA_TYPE_PAGE_VIEW, NULL);
}

/**
 * sohoa_page_view_set_store:
 * @store: the workspace the pages come from; their OCR words are read
 *   from it on a worker thread, through a connection of its own
 */
void
sohoa_page_view_set_store (SohoaPageView *self,
                           SohoaStore    *store)
{
  g_return_if_fail (SOHOA_IS_PAGE_VIEW (self));
  g_return_if_fail (!store || SOHOA_IS_STORE (store));

  g_set_object (&self->store, store);
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

/**
 * sohoa_page_view_prefetch:
 * @page: a page likely to be shown next
 *
 * Decodes @page's image on a worker thread now, so showing it later is
 * immediate.  One page at a time; asking again replaces the request.
 */
void
sohoa_page_view_prefetch (SohoaPageView *self,
                          SohoaPage     *page)
{
  const char *path;

  g_return_if_fail (SOHOA_IS_PAGE_VIEW (self));
  g_return_if_fail (SOHOA_IS_PAGE (page));

  if (!(path = sohoa_page_get_image_path (page)) ||
      g_hash_table_contains (self->textures, path) ||
      g_strcmp0 (path, self->prefetching) == 0)
    return;

  g_cancellable_cancel (self->prefetch_cancellable);
  g_clear_object (&self->prefetch_cancellable);
  self->prefetch_cancellable = g_cancellable_new ();
  g_free (self->prefetching);
  self->prefetching = g_strdup (path);
  sohoa_load_texture_async (path, DISPLAY_SIZE, self->prefetch_cancellable, prefetch_cb, g_object_ref (self));
}

/* Whether the page is fitted to the pane's width. */
gboolean
sohoa_page_view_get_fit (SohoaPageView *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_VIEW (self), FALSE);

  return sohoa_page_canvas_get_zoom (self->canvas) <= 0;
}

/**
 * sohoa_page_view_set_fit:
 * @fit: %TRUE to fit the width, %FALSE for the original size
 */
void
sohoa_page_view_set_fit (SohoaPageView *self,
                         gboolean       fit)
{
  g_return_if_fail (SOHOA_IS_PAGE_VIEW (self));

  if (sohoa_page_view_get_fit (self) == !!fit)
    return;

  apply_zoom (self, fit ? 0 : 1.0);
}

/* The zoom asked for, 0 when fitted to the width. */
double
sohoa_page_view_get_zoom (SohoaPageView *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_VIEW (self), 0);

  return sohoa_page_canvas_get_zoom (self->canvas);
}

void
sohoa_page_view_set_zoom (SohoaPageView *self,
                          double         zoom)
{
  g_return_if_fail (SOHOA_IS_PAGE_VIEW (self));

  apply_zoom (self, zoom);
}

/* Whether the image or the words of the page are still being read. */
gboolean
sohoa_page_view_get_loading (SohoaPageView *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_VIEW (self), FALSE);

  return self->loading_texture || self->loading_words;
}

/**
 * sohoa_page_view_get_words:
 *
 * Returns: (transfer none) (nullable) (element-type SohoaOcrWord): the OCR
 *   words of the page shown, once loaded
 */
GPtrArray *
sohoa_page_view_get_words (SohoaPageView *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_VIEW (self), NULL);

  return self->words;
}

/**
 * sohoa_page_view_set_highlight:
 * @rect: (nullable): a region of the page in image pixels, or %NULL
 *
 * Outlines where a field's value was read and scrolls it into view.
 */
void
sohoa_page_view_set_highlight (SohoaPageView         *self,
                               const graphene_rect_t *rect)
{
  g_return_if_fail (SOHOA_IS_PAGE_VIEW (self));

  sohoa_page_canvas_set_highlight (self->canvas, rect);
  if (rect != NULL)
    gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_highlight_cb, NULL, NULL);
}

/**
 * sohoa_page_view_pick_text:
 * @region: in image pixels; for a click, the point (its size is ignored)
 * @click: whether a single word under the point is wanted
 * @bounds: (out) (optional): the region the words picked cover
 *
 * The words under a click, or those whose middle lies in @region, in the
 * order OCR read them (block, line, word), joined by spaces, NFC.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if no word is there
 */
char *
sohoa_page_view_pick_text (SohoaPageView         *self,
                           const graphene_rect_t *region,
                           gboolean               click,
                           graphene_rect_t       *bounds)
{
  g_autoptr(GString) text = g_string_new (NULL);
  graphene_rect_t covered = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  gboolean any = FALSE;

  g_return_val_if_fail (SOHOA_IS_PAGE_VIEW (self), NULL);
  g_return_val_if_fail (region != NULL, NULL);

  for (guint i = 0; self->words != NULL && i < self->words->len; i++)
    {
      const SohoaOcrWord *word = g_ptr_array_index (self->words, i);
      graphene_rect_t box = GRAPHENE_RECT_INIT (word->x, word->y, word->width, word->height);
      graphene_point_t middle;
      gboolean picked;

      if (click)
        {
          /* A few pixels of slack: words are thin targets at low zoom. */
          graphene_rect_inset (&box, -3, -3);
          picked = graphene_rect_contains_point (&box, &region->origin);
        }
      else
        {
          graphene_rect_get_center (&box, &middle);
          picked = graphene_rect_contains_point (region, &middle);
        }

      if (!picked)
        continue;

      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, word->text);
      box = GRAPHENE_RECT_INIT (word->x, word->y, word->width, word->height);
      if (any)
        graphene_rect_union (&covered, &box, &covered);
      else
        covered = box;
      any = TRUE;

      if (click)
        break;
    }

  if (!any)
    return NULL;

  if (bounds != NULL)
    *bounds = covered;

  return sohoa_text_normalize (text->str);
}
