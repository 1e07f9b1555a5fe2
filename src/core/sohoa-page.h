/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-types.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_PAGE (sohoa_page_get_type ())
G_DECLARE_FINAL_TYPE (SohoaPage, sohoa_page, SOHOA, PAGE, GObject)

gint64         sohoa_page_get_id             (SohoaPage *self);
gint64         sohoa_page_get_batch_id       (SohoaPage *self);
gint64         sohoa_page_get_document_id    (SohoaPage *self);
guint          sohoa_page_get_position       (SohoaPage *self);
const char    *sohoa_page_get_sha256         (SohoaPage *self);
const char    *sohoa_page_get_source_name    (SohoaPage *self);
const char    *sohoa_page_get_image_path     (SohoaPage *self);
const char    *sohoa_page_get_thumbnail_path (SohoaPage *self);
guint          sohoa_page_get_width          (SohoaPage *self);
guint          sohoa_page_get_height         (SohoaPage *self);
guint          sohoa_page_get_dpi            (SohoaPage *self);
SohoaOcrState  sohoa_page_get_ocr_state      (SohoaPage *self);
double         sohoa_page_get_ocr_confidence (SohoaPage *self);
guint          sohoa_page_get_n_flagged      (SohoaPage *self);
char          *sohoa_page_dup_title          (SohoaPage *self);
const char    *sohoa_page_get_original_path  (SohoaPage *self);
int            sohoa_page_get_rotation       (SohoaPage *self);
gboolean       sohoa_page_get_rotation_manual (SohoaPage *self);
gboolean       sohoa_page_get_orientation_unsure (SohoaPage *self);
gboolean       sohoa_page_get_no_cleanup     (SohoaPage *self);

G_END_DECLS
