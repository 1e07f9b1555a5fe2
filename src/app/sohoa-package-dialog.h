/* sohoa-package-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_PACKAGE_DIALOG (sohoa_package_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SohoaPackageDialog, sohoa_package_dialog, SOHOA, PACKAGE_DIALOG, AdwWindow)

/* Signs and builds the package of an approved batch: the key on a token
 * (found through p11-kit) or in a PKCS#12 file, its PIN or password asked
 * for here and never kept, the package written into the workspace's
 * packages folder and queued for upload.  Emits "packaged" (the packages
 * row's id) and closes when it is done. */
GtkWidget *sohoa_package_dialog_new      (GtkWindow          *parent,
                                          SohoaContext       *context,
                                          gint64              batch_id);
gboolean   sohoa_package_dialog_get_busy (SohoaPackageDialog *self);
/* The token keys found so far (a list of GtkStringObject, PKCS#11 URLs). */
GListModel *sohoa_package_dialog_get_token_keys (SohoaPackageDialog *self);

G_END_DECLS
