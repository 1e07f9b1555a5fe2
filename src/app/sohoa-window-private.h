/* sohoa-window-private.h
 *
 * What the UI tests look at inside a window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sohoa-page-view.h"
#include "sohoa-record-form.h"
#include "sohoa-window.h"

G_BEGIN_DECLS

const char      *_sohoa_window_get_view_name   (SohoaWindow *self);
GListModel      *_sohoa_window_get_batches     (SohoaWindow *self);
GListModel      *_sohoa_window_get_pages       (SohoaWindow *self);
SohoaRecordForm *_sohoa_window_get_record_form (SohoaWindow *self);
SohoaPageView   *_sohoa_window_get_page_view   (SohoaWindow *self);
gboolean         _sohoa_window_is_busy         (SohoaWindow *self);
char            *_sohoa_window_dup_selected_text (SohoaWindow *self);

G_END_DECLS
