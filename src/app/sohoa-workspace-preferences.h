/* sohoa-workspace-preferences.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_WORKSPACE_PREFERENCES (sohoa_workspace_preferences_get_type ())

G_DECLARE_FINAL_TYPE (SohoaWorkspacePreferences, sohoa_workspace_preferences, SOHOA, WORKSPACE_PREFERENCES, AdwPreferencesPage)

GtkWidget *sohoa_workspace_preferences_new    (SohoaContext              *context);
void       sohoa_workspace_preferences_choose (SohoaWorkspacePreferences *self,
                                               const char                *path);

G_END_DECLS
