/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-context.h"
#include "sohoa-job.h"

G_BEGIN_DECLS

typedef struct
{
  GPtrArray *words;           /* SohoaOcrWord, boxes of the original turned upright */
  char      *text;            /* NFC */
  double     mean_confidence;
  int        rotation;        /* degrees turned clockwise to make it upright */
  float      skew;            /* degrees straightened */
  gboolean   blank;           /* nothing written on the page */
  char      *hocr;            /* NFC; boxes of the prepared image */
  gboolean   orientation_unsure; /* which way up could not be told */
  gboolean   perspective;     /* a photographed page was squared up */
} SohoaOcrResult;

/* How one page is prepared; the default (rotation -1) finds everything. */
typedef struct
{
  int      rotation;          /* -1, or the quarter turn (degrees) the clerk chose */
  gboolean no_cleanup;        /* read the original, only turned */
} SohoaOcrPageOptions;

typedef struct
{
  const char * const *pages;    /* image paths, in page order */
  guint               n_pages;
  const char         *pdf_path; /* nullable: write the pages as one searchable PDF */
  const SohoaOcrPageOptions *options; /* nullable: one per page */
} SohoaOcrDocument;

typedef gboolean (*SohoaOcrPageFunc) (guint            index,
                                      SohoaOcrResult  *result,
                                      gpointer         user_data,
                                      GError         **error);

void            sohoa_ocr_result_free         (SohoaOcrResult  *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaOcrResult, sohoa_ocr_result_free)

/* One Tesseract instance; use it from one thread at a time. */
typedef struct _SohoaOcrEngine SohoaOcrEngine;

void            sohoa_ocr_limit_openmp        (char           **argv);

SohoaOcrEngine *sohoa_ocr_engine_new          (const char      *language,
                                               GError         **error);
void            sohoa_ocr_engine_free         (SohoaOcrEngine  *engine);
GStrv           sohoa_ocr_engine_dup_languages (SohoaOcrEngine *engine);
GStrv           sohoa_ocr_list_languages      (GError         **error);
SohoaOcrResult *sohoa_ocr_engine_recognize    (SohoaOcrEngine  *engine,
                                               const char      *image_path,
                                               GCancellable    *cancellable,
                                               GError         **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaOcrEngine, sohoa_ocr_engine_free)

gboolean        sohoa_ocr_run                 (const SohoaOcrDocument *documents,
                                               guint            n_documents,
                                               const char      *language,
                                               SohoaJob        *job,
                                               GCancellable    *cancellable,
                                               SohoaOcrPageFunc page_done,
                                               gpointer         user_data,
                                               guint           *n_failed,
                                               GError         **error);

/* Recognizes every page of @batch_id that has no OCR yet, in the
 * context's OCR language with its number of threads. */
gboolean        sohoa_ocr_batch               (SohoaContext    *context,
                                               gint64           batch_id,
                                               SohoaJob        *job,
                                               guint           *n_pages,
                                               GError         **error);
void            sohoa_ocr_batch_async         (SohoaContext    *context,
                                               gint64           batch_id,
                                               SohoaJob        *job,
                                               GAsyncReadyCallback callback,
                                               gpointer         user_data);
gboolean        sohoa_ocr_batch_finish        (SohoaContext    *context,
                                               GAsyncResult    *result,
                                               guint           *n_pages,
                                               GError         **error);

G_END_DECLS
