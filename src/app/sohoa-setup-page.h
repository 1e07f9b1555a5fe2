/* sohoa-setup-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_SETUP_PAGE (sohoa_setup_page_get_type ())

G_DECLARE_FINAL_TYPE (SohoaSetupPage, sohoa_setup_page, SOHOA, SETUP_PAGE, AdwBin)

GtkWidget    *sohoa_setup_page_new         (SohoaContext   *context);
SohoaContext *sohoa_setup_page_get_context (SohoaSetupPage *self);
void          sohoa_setup_page_set_context (SohoaSetupPage *self,
                                            SohoaContext   *context);
void          sohoa_setup_page_create_demo (SohoaSetupPage *self);

G_END_DECLS
