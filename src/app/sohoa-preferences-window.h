/* sohoa-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SOHOA_TYPE_PREFERENCES_WINDOW (sohoa_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SohoaPreferencesWindow, sohoa_preferences_window, SOHOA, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *sohoa_preferences_window_new (GtkWindow *parent);

G_END_DECLS
