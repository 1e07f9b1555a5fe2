/* sohoa-page-thumbnail.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_PAGE_THUMBNAIL (sohoa_page_thumbnail_get_type ())

G_DECLARE_FINAL_TYPE (SohoaPageThumbnail, sohoa_page_thumbnail, SOHOA, PAGE_THUMBNAIL, AdwBin)

GtkWidget *sohoa_page_thumbnail_new      (void);
SohoaPage *sohoa_page_thumbnail_get_page (SohoaPageThumbnail *self);
void       sohoa_page_thumbnail_set_page (SohoaPageThumbnail *self,
                                          SohoaPage          *page);

G_END_DECLS
