/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-batch.h"
#include "sohoa-page.h"
#include "sohoa-user.h"

G_BEGIN_DECLS

typedef struct
{
  gint64         id;
  gint64         batch_id;
  gint64         document_id;
  guint          position;
  const char    *sha256;
  const char    *source_name;
  const char    *image_path;
  const char    *thumbnail_path;
  guint          width;
  guint          height;
  guint          dpi;
  SohoaOcrState  ocr_state;
  double         ocr_confidence;
  guint          n_flagged;
  const char    *original_path;
  int            rotation;
  gboolean       rotation_manual;
  gboolean       orientation_unsure;
  gboolean       no_cleanup;
} SohoaPageRow;

SohoaBatch *_sohoa_batch_new    (gint64           id,
                                 const char      *title,
                                 const char      *schema_id,
                                 SohoaBatchState  state,
                                 guint            n_pages,
                                 gint64           created_at,
                                 const char      *note);
void        _sohoa_batch_update (SohoaBatch      *self,
                                 SohoaBatchState  state,
                                 guint            n_pages,
                                 const char      *note);
SohoaPage  *_sohoa_page_new     (const SohoaPageRow *row);
void        _sohoa_page_set_ocr (SohoaPage       *self,
                                 SohoaOcrState    state,
                                 double           confidence,
                                 guint            n_flagged);
void        _sohoa_page_set_adjustments (SohoaPage *self,
                                         gboolean   rotation_manual,
                                         gboolean   orientation_unsure,
                                         gboolean   no_cleanup);
SohoaUser  *_sohoa_user_new     (gint64           id,
                                 const char      *name,
                                 const char      *full_name,
                                 SohoaRole        role);
void        _sohoa_user_set_disabled (SohoaUser     *self,
                                      gboolean       disabled);

G_END_DECLS
