/* sohoa-new-batch-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_NEW_BATCH_DIALOG (sohoa_new_batch_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SohoaNewBatchDialog, sohoa_new_batch_dialog, SOHOA, NEW_BATCH_DIALOG, AdwMessageDialog)

GtkWidget   *sohoa_new_batch_dialog_new        (GtkWindow           *parent,
                                                GListModel          *schemas,
                                                const char          *schema_id);
SohoaSchema *sohoa_new_batch_dialog_get_schema (SohoaNewBatchDialog *self);
char        *sohoa_new_batch_dialog_dup_title  (SohoaNewBatchDialog *self);

G_END_DECLS
