/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_SCAN_DIALOG (sohoa_scan_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SohoaScanDialog, sohoa_scan_dialog, SOHOA, SCAN_DIALOG, AdwMessageDialog)

GtkWidget *sohoa_scan_dialog_new         (GtkWindow        *parent,
                                          SohoaScanner     *scanner);
void       sohoa_scan_dialog_get_options (SohoaScanDialog  *self,
                                          SohoaScanOptions *options);

G_END_DECLS
