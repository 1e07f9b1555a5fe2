/* sohoa-second-keying-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_SECOND_KEYING_DIALOG (sohoa_second_keying_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SohoaSecondKeyingDialog, sohoa_second_keying_dialog, SOHOA, SECOND_KEYING_DIALOG, AdwWindow)

SohoaSecondKeyingDialog *sohoa_second_keying_dialog_new  (GtkWindow               *parent,
                                                          SohoaContext            *context,
                                                          SohoaSchema             *schema,
                                                          gint64                   record_id,
                                                          SohoaPage               *page,
                                                          GError                 **error);
gboolean                 sohoa_second_keying_dialog_save (SohoaSecondKeyingDialog *self,
                                                          GError                 **error);

G_END_DECLS
