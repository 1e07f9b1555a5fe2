/* sohoa-page-canvas.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_PAGE_CANVAS (sohoa_page_canvas_get_type ())

G_DECLARE_FINAL_TYPE (SohoaPageCanvas, sohoa_page_canvas, SOHOA, PAGE_CANVAS, GtkWidget)

GtkWidget  *sohoa_page_canvas_new           (void);
void        sohoa_page_canvas_set_texture   (SohoaPageCanvas        *self,
                                             GdkTexture             *texture);
GdkTexture *sohoa_page_canvas_get_texture   (SohoaPageCanvas        *self);
void        sohoa_page_canvas_set_image_size (SohoaPageCanvas       *self,
                                             int                     width,
                                             int                     height);
void        sohoa_page_canvas_set_words     (SohoaPageCanvas        *self,
                                             GPtrArray              *words);
double      sohoa_page_canvas_get_zoom      (SohoaPageCanvas        *self);
void        sohoa_page_canvas_set_zoom      (SohoaPageCanvas        *self,
                                             double                  zoom);
double      sohoa_page_canvas_get_scale     (SohoaPageCanvas        *self);
void        sohoa_page_canvas_set_highlight (SohoaPageCanvas        *self,
                                             const graphene_rect_t  *rect);
gboolean    sohoa_page_canvas_get_highlight_bounds (SohoaPageCanvas *self,
                                             graphene_rect_t        *bounds);

G_END_DECLS
