/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-context.h"
#include "sohoa-page.h"
#include "sohoa-store.h"

G_BEGIN_DECLS

gboolean  sohoa_page_adjust_rotate               (SohoaStore          *store,
                                                  SohoaUser           *user,
                                                  gint64               page_id,
                                                  int                  by,
                                                  GError             **error);
void      sohoa_page_adjust_rotate_async         (SohoaContext        *context,
                                                  gint64               page_id,
                                                  int                  by,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean  sohoa_page_adjust_rotate_finish        (SohoaContext        *context,
                                                  GAsyncResult        *result,
                                                  GError             **error);
gboolean  sohoa_page_adjust_accept_orientation   (SohoaStore          *store,
                                                  SohoaUser           *user,
                                                  gint64               page_id,
                                                  GError             **error);
gboolean  sohoa_page_adjust_set_no_cleanup       (SohoaStore          *store,
                                                  SohoaUser           *user,
                                                  gint64               page_id,
                                                  gboolean             no_cleanup,
                                                  GError             **error);
char     *sohoa_page_adjust_render_cleaned       (SohoaStore          *store,
                                                  SohoaPage           *page,
                                                  GError             **error);
void      sohoa_page_adjust_render_cleaned_async (SohoaStore          *store,
                                                  SohoaPage           *page,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char     *sohoa_page_adjust_render_cleaned_finish (GAsyncResult       *result,
                                                   GError            **error);

/* For the OCR run: what reading the page found about its orientation. */
gboolean  _sohoa_page_adjust_save_orientation    (SohoaStore          *store,
                                                  SohoaPage           *page,
                                                  int                  rotation,
                                                  gboolean             unsure,
                                                  GError             **error);

G_END_DECLS
