/* sohoa-batch-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_BATCH_ROW (sohoa_batch_row_get_type ())

G_DECLARE_FINAL_TYPE (SohoaBatchRow, sohoa_batch_row, SOHOA, BATCH_ROW, AdwBin)

GtkWidget  *sohoa_batch_row_new       (void);
SohoaBatch *sohoa_batch_row_get_batch (SohoaBatchRow *self);
void        sohoa_batch_row_set_batch (SohoaBatchRow *self,
                                       SohoaBatch    *batch);

G_END_DECLS
