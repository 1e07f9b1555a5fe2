/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-context.h"
#include "sohoa-job.h"

G_BEGIN_DECLS

typedef struct
{
  gint64     batch_id;
  guint      n_imported;      /* pages added */
  guint      n_duplicates;    /* files whose content was already in the workspace */
  guint      n_skipped;       /* files in folders that are neither images nor PDFs */
  GPtrArray *errors;          /* translated messages, one per file that failed */
  GPtrArray *files;           /* GFile: the files read, folders expanded, in order */
} SohoaImportReport;

#define SOHOA_TYPE_IMPORT_REPORT (sohoa_import_report_get_type ())

GType              sohoa_import_report_get_type (void) G_GNUC_CONST;
SohoaImportReport *sohoa_import_report_new   (void);
SohoaImportReport *sohoa_import_report_copy  (const SohoaImportReport *report);
void               sohoa_import_report_free  (SohoaImportReport   *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaImportReport, sohoa_import_report_free)

gboolean           sohoa_import_is_supported_file   (GFile          *file,
                                                     GCancellable   *cancellable);
gboolean           sohoa_import_file_looks_complete (GFile          *file,
                                                     GCancellable   *cancellable);

/* Imports PNG, JPEG and TIFF images and PDF files into @batch_id, or into a
 * new batch of @schema_id when @batch_id is 0.  A folder among @files is
 * imported with everything in it, in natural order of the file names.  A
 * file whose content is already in the workspace is counted as a duplicate,
 * not stored twice.  Runs in the calling thread. */
SohoaImportReport *sohoa_import_files        (SohoaContext        *context,
                                              gint64               batch_id,
                                              const char          *schema_id,
                                              GFile              **files,
                                              guint                n_files,
                                              SohoaJob            *job,
                                              GError             **error);
void               sohoa_import_files_async  (SohoaContext        *context,
                                              gint64               batch_id,
                                              const char          *schema_id,
                                              GFile              **files,
                                              guint                n_files,
                                              SohoaJob            *job,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
SohoaImportReport *sohoa_import_files_finish (SohoaContext        *context,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
