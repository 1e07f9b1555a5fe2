/* sohoa-arbitration-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_ARBITRATION_VIEW (sohoa_arbitration_view_get_type ())

G_DECLARE_FINAL_TYPE (SohoaArbitrationView, sohoa_arbitration_view, SOHOA, ARBITRATION_VIEW, AdwWindow)

SohoaArbitrationView *sohoa_arbitration_view_new          (GtkWindow            *parent,
                                                           SohoaContext         *context,
                                                           SohoaBatch           *batch,
                                                           GError              **error);
guint                 sohoa_arbitration_view_get_n_items  (SohoaArbitrationView *self);
gboolean              sohoa_arbitration_view_decide       (SohoaArbitrationView *self,
                                                           SohoaArbitration      choice,
                                                           const char           *value,
                                                           GError              **error);

G_END_DECLS
