/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-context.h"
#include "sohoa-job.h"

G_BEGIN_DECLS

#define SOHOA_TYPE_OCR_QUEUE (sohoa_ocr_queue_get_type ())
G_DECLARE_FINAL_TYPE (SohoaOcrQueue, sohoa_ocr_queue, SOHOA, OCR_QUEUE, GObject)

SohoaOcrQueue *sohoa_ocr_queue_new      (SohoaContext  *context);
void           sohoa_ocr_queue_add      (SohoaOcrQueue *self,
                                         gint64         batch_id);
SohoaJob      *sohoa_ocr_queue_get_job  (SohoaOcrQueue *self);
gboolean       sohoa_ocr_queue_get_busy (SohoaOcrQueue *self);
void           sohoa_ocr_queue_cancel   (SohoaOcrQueue *self);

G_END_DECLS
