/* sohoa-login-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_LOGIN_PAGE (sohoa_login_page_get_type ())

G_DECLARE_FINAL_TYPE (SohoaLoginPage, sohoa_login_page, SOHOA, LOGIN_PAGE, AdwBin)

GtkWidget    *sohoa_login_page_new               (SohoaContext   *context);
SohoaContext *sohoa_login_page_get_context       (SohoaLoginPage *self);
void          sohoa_login_page_set_context       (SohoaLoginPage *self,
                                                  SohoaContext   *context);
gboolean      sohoa_login_page_get_show_demo_hint (SohoaLoginPage *self);
void          sohoa_login_page_set_show_demo_hint (SohoaLoginPage *self,
                                                  gboolean        show_demo_hint);
void          sohoa_login_page_reset             (SohoaLoginPage *self);

G_END_DECLS
