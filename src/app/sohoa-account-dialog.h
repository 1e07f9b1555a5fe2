/* sohoa-account-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

typedef enum
{
  SOHOA_ACCOUNT_DIALOG_ADD,
  SOHOA_ACCOUNT_DIALOG_RESET_PASSWORD,
  SOHOA_ACCOUNT_DIALOG_CHANGE_PASSWORD,
} SohoaAccountDialogMode;

#define SOHOA_TYPE_ACCOUNT_DIALOG (sohoa_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SohoaAccountDialog, sohoa_account_dialog, SOHOA, ACCOUNT_DIALOG, AdwMessageDialog)

GtkWidget *sohoa_account_dialog_new (GtkWindow              *parent,
                                     SohoaContext           *context,
                                     SohoaUser              *actor,
                                     SohoaUser              *account,
                                     SohoaAccountDialogMode  mode);

G_END_DECLS
