/* sohoa-upload-preferences.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_UPLOAD_PREFERENCES (sohoa_upload_preferences_get_type ())

G_DECLARE_FINAL_TYPE (SohoaUploadPreferences, sohoa_upload_preferences, SOHOA, UPLOAD_PREFERENCES, AdwPreferencesPage)

GtkWidget         *sohoa_upload_preferences_new              (void);

/* The upload settings as they are now: GSettings for the server and the
 * access key, the keyring (or $SOHOA_S3_SECRET_KEY) for the secret key. */
void               sohoa_upload_preferences_load_config_async  (GSettings           *settings,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
SohoaUploadConfig *sohoa_upload_preferences_load_config_finish (GAsyncResult        *result,
                                                                GError             **error);

G_END_DECLS
