/* sohoa-page-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_PAGE_VIEW (sohoa_page_view_get_type ())

G_DECLARE_FINAL_TYPE (SohoaPageView, sohoa_page_view, SOHOA, PAGE_VIEW, AdwBin)

GtkWidget *sohoa_page_view_new           (void);
void       sohoa_page_view_set_store     (SohoaPageView          *self,
                                          SohoaStore             *store);
SohoaPage *sohoa_page_view_get_page      (SohoaPageView          *self);
void       sohoa_page_view_set_page      (SohoaPageView          *self,
                                          SohoaPage              *page);
void       sohoa_page_view_prefetch      (SohoaPageView          *self,
                                          SohoaPage              *page);
gboolean   sohoa_page_view_get_fit       (SohoaPageView          *self);
void       sohoa_page_view_set_fit       (SohoaPageView          *self,
                                          gboolean                fit);
double     sohoa_page_view_get_zoom      (SohoaPageView          *self);
void       sohoa_page_view_set_zoom      (SohoaPageView          *self,
                                          double                  zoom);
gboolean   sohoa_page_view_get_loading   (SohoaPageView          *self);
GPtrArray *sohoa_page_view_get_words     (SohoaPageView          *self);
void       sohoa_page_view_set_highlight (SohoaPageView          *self,
                                          const graphene_rect_t  *rect);
char      *sohoa_page_view_pick_text     (SohoaPageView          *self,
                                          const graphene_rect_t  *region,
                                          gboolean                click,
                                          graphene_rect_t        *bounds);

G_END_DECLS
