/* sohoa-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sohoa-core.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_WINDOW (sohoa_window_get_type ())

G_DECLARE_FINAL_TYPE (SohoaWindow, sohoa_window, SOHOA, WINDOW, AdwApplicationWindow)

SohoaWindow  *sohoa_window_new          (GtkApplication  *application,
                                         SohoaContext    *context,
                                         gboolean         demo);
SohoaContext *sohoa_window_get_context  (SohoaWindow     *self);
void          sohoa_window_sign_in      (SohoaWindow     *self,
                                         SohoaUser       *user);
void          sohoa_window_sign_out     (SohoaWindow     *self);
void          sohoa_window_import_files (SohoaWindow     *self,
                                         GFile          **files,
                                         guint            n_files);

G_END_DECLS
