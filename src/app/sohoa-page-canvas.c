/* sohoa-page-canvas.c
 *
 * Draws a page image at a zoom (or fitted to the width it is given), the
 * OCR words on it tinted by how sure Tesseract was, the region a field was
 * read from, and the box the clerk drags.  A click or a box is reported in
 * image pixels with ::region-picked; the canvas never takes the keyboard
 * focus, so the form field being keyed keeps it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-page-canvas"

#include "config.h"

#include "sohoa-page-canvas.h"

/* A drag shorter than this many pixels is a click on a word. */
#define CLICK_SLOP 4.0

struct _SohoaPageCanvas
{
  GtkWidget        parent_instance;

  /* owned */
  GdkTexture      *texture;
  GPtrArray       *words;      /* SohoaOcrWord */

  /* state */
  int              image_width;   /* of the page, in the pixels the words use */
  int              image_height;
  double           zoom;       /* 0: fit the width allocated */
  graphene_rect_t  highlight;  /* image pixels; empty when none */
  graphene_rect_t  drag;       /* widget pixels, while dragging */
  gboolean         dragging;
};

G_DEFINE_FINAL_TYPE (SohoaPageCanvas, sohoa_page_canvas, GTK_TYPE_WIDGET)

enum {
  REGION_PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The texture may be a smaller copy of the page, for speed: everything is
 * laid out in the page's own pixels, as OCR measured them. */
static int
image_width (SohoaPageCanvas *self)
{
  if (self->texture == NULL)
    return 0;
  return self->image_width > 0 ? self->image_width : gdk_texture_get_width (self->texture);
}

static int
image_height (SohoaPageCanvas *self)
{
  if (self->texture == NULL)
    return 0;
  return self->image_height > 0 ? self->image_height : gdk_texture_get_height (self->texture);
}

static double
scale_for_width (SohoaPageCanvas *self,
                 int              width)
{
  if (image_width (self) == 0)
    return 1.0;
  if (self->zoom > 0)
    return self->zoom;
  return MAX (width, 1) / (double) image_width (self);
}

/* Where the image's top-left corner is drawn: centred when the widget is
 * larger than the zoomed image. */
static void
get_origin (SohoaPageCanvas *self,
            double           scale,
            double          *x,
            double          *y)
{
  *x = MAX (0, (gtk_widget_get_width (GTK_WIDGET (self)) - image_width (self) * scale) / 2);
  *y = MAX (0, (gtk_widget_get_height (GTK_WIDGET (self)) - image_height (self) * scale) / 2);
}

static void
append_box (GtkSnapshot           *snapshot,
            const graphene_rect_t *rect,
            const GdkRGBA         *fill,
            const GdkRGBA         *border,
            float                  width)
{
  if (fill != NULL)
    gtk_snapshot_append_color (snapshot, fill, rect);
  if (border != NULL)
    {
      GskRoundedRect outline;
      const float widths[4] = { width, width, width, width };
      const GdkRGBA colors[4] = { *border, *border, *border, *border };

      gsk_rounded_rect_init_from_rect (&outline, rect, 0);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }
}

/* Three tints: sure words barely, doubtful ones amber, flagged or poor
 * ones red — the clerk's eye goes to what needs checking. */
static const GdkRGBA *
word_tint (const SohoaOcrWord *word)
{
  static const GdkRGBA sure = { 0.21f, 0.52f, 0.89f, 0.10f };
  static const GdkRGBA doubtful = { 0.96f, 0.76f, 0.07f, 0.30f };
  static const GdkRGBA poor = { 0.88f, 0.11f, 0.14f, 0.28f };

  if (word->flagged || word->confidence < 60)
    return &poor;
  if (word->confidence < 85)
    return &doubtful;
  return &sure;
}

static void
sohoa_page_canvas_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  SohoaPageCanvas *self = SOHOA_PAGE_CANVAS (widget);
  double scale, x0, y0;

  if (self->texture == NULL)
    return;

  scale = scale_for_width (self, gtk_widget_get_width (widget));
  get_origin (self, scale, &x0, &y0);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x0, y0));
  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT (0, 0, image_width (self) * scale, image_height (self) * scale));

  for (guint i = 0; self->words != NULL && i < self->words->len; i++)
    {
      const SohoaOcrWord *word = g_ptr_array_index (self->words, i);

      append_box (snapshot,
                  &GRAPHENE_RECT_INIT (word->x * scale, word->y * scale,
                                       word->width * scale, word->height * scale),
                  word_tint (word), NULL, 0);
    }

  if (!graphene_rect_equal (&self->highlight, graphene_rect_zero ()))
    {
      static const GdkRGBA fill = { 0.21f, 0.52f, 0.89f, 0.18f };
      static const GdkRGBA border = { 0.11f, 0.44f, 0.85f, 0.95f };
      graphene_rect_t rect;

      graphene_rect_scale (&self->highlight, scale, scale, &rect);
      graphene_rect_inset (&rect, -3, -3);
      append_box (snapshot, &rect, &fill, &border, 2);
    }
  gtk_snapshot_restore (snapshot);

  if (self->dragging)
    {
      static const GdkRGBA fill = { 0.15f, 0.64f, 0.41f, 0.15f };
      static const GdkRGBA border = { 0.15f, 0.64f, 0.41f, 1.0f };

      append_box (snapshot, &self->drag, &fill, &border, 1.5f);
    }
}

static GtkSizeRequestMode
sohoa_page_canvas_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
sohoa_page_canvas_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  SohoaPageCanvas *self = SOHOA_PAGE_CANVAS (widget);

  if (self->texture == NULL)
    {
      *minimum = *natural = 0;
      return;
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      if (self->zoom > 0)
        *minimum = *natural = (int) ceil (image_width (self) * self->zoom);
      else
        {
          /* Fitted: as wide as it is given. */
          *minimum = 1;
          *natural = image_width (self);
        }
    }
  else
    {
      double scale = self->zoom > 0 ? self->zoom
                                    : scale_for_width (self, for_size >= 0 ? for_size : image_width (self));

      *minimum = *natural = (int) ceil (image_height (self) * scale);
    }
}

static void
widget_to_image (SohoaPageCanvas *self,
                 double           x,
                 double           y,
                 double          *ix,
                 double          *iy)
{
  double scale = scale_for_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
  double x0, y0;

  get_origin (self, scale, &x0, &y0);
  *ix = (x - x0) / scale;
  *iy = (y - y0) / scale;
}

static void
drag_begin_cb (SohoaPageCanvas *self,
               double           x,
               double           y,
               GtkGestureDrag  *gesture)
{
  if (self->texture == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag = GRAPHENE_RECT_INIT (x, y, 0, 0);
}

static void
drag_update_cb (SohoaPageCanvas *self,
                double           dx,
                double           dy,
                GtkGestureDrag  *gesture)
{
  double x, y;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  self->dragging = fabs (dx) > CLICK_SLOP || fabs (dy) > CLICK_SLOP;
  self->drag = GRAPHENE_RECT_INIT (MIN (x, x + dx), MIN (y, y + dy), fabs (dx), fabs (dy));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (SohoaPageCanvas *self,
             double           dx,
             double           dy,
             GtkGestureDrag  *gesture)
{
  double x, y, x1, y1, x2, y2;
  gboolean click = fabs (dx) <= CLICK_SLOP && fabs (dy) <= CLICK_SLOP;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  self->dragging = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  widget_to_image (self, x, y, &x1, &y1);
  widget_to_image (self, x + dx, y + dy, &x2, &y2);

  g_signal_emit (self, signals[REGION_PICKED], 0,
                 MIN (x1, x2), MIN (y1, y2), fabs (x2 - x1), fabs (y2 - y1), click);
}

static void
sohoa_page_canvas_dispose (GObject *object)
{
  SohoaPageCanvas *self = (SohoaPageCanvas *) object;

  g_clear_object (&self->texture);
  g_clear_pointer (&self->words, g_ptr_array_unref);

  G_OBJECT_CLASS (sohoa_page_canvas_parent_class)->dispose (object);
}

static void
sohoa_page_canvas_class_init (SohoaPageCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_page_canvas_dispose;

  widget_class->snapshot = sohoa_page_canvas_snapshot;
  widget_class->measure = sohoa_page_canvas_measure;
  widget_class->get_request_mode = sohoa_page_canvas_get_request_mode;

  /**
   * SohoaPageCanvas::region-picked:
   * @x: left, in image pixels
   * @y: top, in image pixels
   * @width: width, in image pixels (0 for a click)
   * @height: height, in image pixels (0 for a click)
   * @click: whether it was a click rather than a box
   */
  signals[REGION_PICKED] =
    g_signal_new ("region-picked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 5, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_BOOLEAN);

  gtk_widget_class_set_css_name (widget_class, "pagecanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sohoa_page_canvas_init (SohoaPageCanvas *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), FALSE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-end", G_CALLBACK (drag_end_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

GtkWidget *
sohoa_page_canvas_new (void)
{
  return g_object_new (SOHOA_TYPE_PAGE_CANVAS, NULL);
}

void
sohoa_page_canvas_set_texture (SohoaPageCanvas *self,
                               GdkTexture      *texture)
{
  g_return_if_fail (SOHOA_IS_PAGE_CANVAS (self));

  if (g_set_object (&self->texture, texture))
    gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * sohoa_page_canvas_set_image_size:
 * @width: the page's width in its own pixels, or 0 for the texture's
 * @height: the page's height in its own pixels, or 0 for the texture's
 *
 * The size the texture stands for; it may be a scaled-down copy.
 */
void
sohoa_page_canvas_set_image_size (SohoaPageCanvas *self,
                                  int              width,
                                  int              height)
{
  g_return_if_fail (SOHOA_IS_PAGE_CANVAS (self));

  self->image_width = MAX (width, 0);
  self->image_height = MAX (height, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

GdkTexture *
sohoa_page_canvas_get_texture (SohoaPageCanvas *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_CANVAS (self), NULL);

  return self->texture;
}

/**
 * sohoa_page_canvas_set_words:
 * @words: (nullable) (element-type SohoaOcrWord): the page's OCR words, in
 *   image pixels
 */
void
sohoa_page_canvas_set_words (SohoaPageCanvas *self,
                             GPtrArray       *words)
{
  g_return_if_fail (SOHOA_IS_PAGE_CANVAS (self));

  if (words != NULL)
    g_ptr_array_ref (words);
  g_clear_pointer (&self->words, g_ptr_array_unref);
  self->words = words;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
sohoa_page_canvas_get_zoom (SohoaPageCanvas *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_CANVAS (self), 0);

  return self->zoom;
}

/**
 * sohoa_page_canvas_set_zoom:
 * @zoom: screen pixels per image pixel, or 0 to fit the width
 */
void
sohoa_page_canvas_set_zoom (SohoaPageCanvas *self,
                            double           zoom)
{
  g_return_if_fail (SOHOA_IS_PAGE_CANVAS (self));

  zoom = zoom <= 0 ? 0 : CLAMP (zoom, 0.05, 8.0);
  if (G_APPROX_VALUE (self->zoom, zoom, 0.0001))
    return;

  self->zoom = zoom;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* The scale in use now: the zoom, or what fitting the width gives. */
double
sohoa_page_canvas_get_scale (SohoaPageCanvas *self)
{
  g_return_val_if_fail (SOHOA_IS_PAGE_CANVAS (self), 1.0);

  return scale_for_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
}

/**
 * sohoa_page_canvas_set_highlight:
 * @rect: (nullable): a region in image pixels, or %NULL for none
 */
void
sohoa_page_canvas_set_highlight (SohoaPageCanvas       *self,
                                 const graphene_rect_t *rect)
{
  g_return_if_fail (SOHOA_IS_PAGE_CANVAS (self));

  if (rect != NULL && rect->size.width > 0 && rect->size.height > 0)
    self->highlight = *rect;
  else
    graphene_rect_init_from_rect (&self->highlight, graphene_rect_zero ());
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Where the highlight is drawn, in widget pixels, to scroll it into view. */
gboolean
sohoa_page_canvas_get_highlight_bounds (SohoaPageCanvas *self,
                                        graphene_rect_t *bounds)
{
  double scale, x0, y0;

  g_return_val_if_fail (SOHOA_IS_PAGE_CANVAS (self), FALSE);

  if (self->texture == NULL || graphene_rect_equal (&self->highlight, graphene_rect_zero ()))
    return FALSE;

  scale = sohoa_page_canvas_get_scale (self);
  get_origin (self, scale, &x0, &y0);
  graphene_rect_scale (&self->highlight, scale, scale, bounds);
  graphene_rect_offset (bounds, x0, y0);
  return TRUE;
}
