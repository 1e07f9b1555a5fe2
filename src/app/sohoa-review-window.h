/* sohoa-review-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_REVIEW_WINDOW (sohoa_review_window_get_type ())

G_DECLARE_FINAL_TYPE (SohoaReviewWindow, sohoa_review_window, SOHOA, REVIEW_WINDOW, AdwWindow)

GtkWidget *sohoa_review_window_new (GtkWindow     *parent,
                                    SohoaContext  *context,
                                    SohoaBatch    *batch,
                                    GError       **error);

G_END_DECLS
