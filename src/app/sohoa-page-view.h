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

GtkWidget *sohoa_page_view_new      (void);
SohoaPage *sohoa_page_view_get_page (SohoaPageView *self);
void       sohoa_page_view_set_page (SohoaPageView *self,
                                     SohoaPage     *page);
gboolean   sohoa_page_view_get_fit  (SohoaPageView *self);
void       sohoa_page_view_set_fit  (SohoaPageView *self,
                                     gboolean       fit);

G_END_DECLS
