/* sohoa-accounts-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_ACCOUNTS_WINDOW (sohoa_accounts_window_get_type ())

G_DECLARE_FINAL_TYPE (SohoaAccountsWindow, sohoa_accounts_window, SOHOA, ACCOUNTS_WINDOW, AdwWindow)

GtkWidget  *sohoa_accounts_window_new          (GtkWindow           *parent,
                                                SohoaContext        *context,
                                                SohoaUser           *admin);
GListModel *sohoa_accounts_window_get_accounts (SohoaAccountsWindow *self);

G_END_DECLS
