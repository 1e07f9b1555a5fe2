/* sohoa-search-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_SEARCH_VIEW (sohoa_search_view_get_type ())

G_DECLARE_FINAL_TYPE (SohoaSearchView, sohoa_search_view, SOHOA, SEARCH_VIEW, AdwBin)

GtkWidget    *sohoa_search_view_new         (SohoaContext    *context);
SohoaContext *sohoa_search_view_get_context (SohoaSearchView *self);
void          sohoa_search_view_set_context (SohoaSearchView *self,
                                             SohoaContext    *context);
void          sohoa_search_view_set_query   (SohoaSearchView *self,
                                             const char      *query);
GListModel   *sohoa_search_view_get_hits    (SohoaSearchView *self);
gboolean      sohoa_search_view_get_busy    (SohoaSearchView *self);
void          sohoa_search_view_focus       (SohoaSearchView *self);

G_END_DECLS
