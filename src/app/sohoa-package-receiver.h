/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

/* The "Import Package…" command of a supervisor: asks for the package
 * (and, once, for the certificate authorities to trust, kept in the
 * "trusted-ca-path" setting), shows the import's progress with a Cancel
 * button, and explains a refused package in a dialog.  Finishes with the
 * new batch's id, or 0 with an error (G_IO_ERROR_CANCELLED when the
 * supervisor gave up; a refusal has already been shown). */
void   sohoa_package_receiver_run_async  (GtkWindow           *parent,
                                          SohoaContext        *context,
                                          GSettings           *settings,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gint64 sohoa_package_receiver_run_finish (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
