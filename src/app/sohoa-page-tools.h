/* sohoa-page-tools.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_PAGE_TOOLS (sohoa_page_tools_get_type ())

G_DECLARE_FINAL_TYPE (SohoaPageTools, sohoa_page_tools, SOHOA, PAGE_TOOLS, AdwBin)

void       sohoa_page_tools_set_context  (SohoaPageTools *self,
                                          SohoaContext   *context);
void       sohoa_page_tools_set_page     (SohoaPageTools *self,
                                          SohoaPage      *page);
void       sohoa_page_tools_set_editable (SohoaPageTools *self,
                                          gboolean        editable);
GtkWidget *sohoa_page_tools_get_content  (SohoaPageTools *self);
void       sohoa_page_tools_set_content  (SohoaPageTools *self,
                                          GtkWidget      *content);
gboolean   sohoa_page_tools_get_show_original (SohoaPageTools *self);

G_END_DECLS
