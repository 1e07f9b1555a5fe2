/* sohoa-outbox-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_OUTBOX_VIEW (sohoa_outbox_view_get_type ())

G_DECLARE_FINAL_TYPE (SohoaOutboxView, sohoa_outbox_view, SOHOA, OUTBOX_VIEW, AdwBin)

GtkWidget  *sohoa_outbox_view_new       (SohoaContext    *context);
void        sohoa_outbox_view_reload    (SohoaOutboxView *self);
GListModel *sohoa_outbox_view_get_items (SohoaOutboxView *self);
gboolean    sohoa_outbox_view_get_busy  (SohoaOutboxView *self);
void        sohoa_outbox_view_send_waiting (SohoaOutboxView *self);

/* Opens the outbox in a window of its own, with the upload settings one
 * click away. */
GtkWindow  *sohoa_outbox_view_present   (GtkWindow       *parent,
                                         SohoaContext    *context);
SohoaOutboxView *sohoa_outbox_view_from_window (GtkWindow  *window);

G_END_DECLS
