/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-context.h"
#include "sohoa-job.h"

G_BEGIN_DECLS

typedef struct
{
  gint64     batch_id;
  guint      n_imported;
  guint      n_duplicates;
  GPtrArray *errors;          /* translated messages, one per file that failed */
} SohoaImportReport;

void               sohoa_import_report_free  (SohoaImportReport   *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaImportReport, sohoa_import_report_free)

/* Imports image files into @batch_id, or into a new batch of @schema_id when
 * @batch_id is 0.  A file whose content is already in the workspace is
 * counted as a duplicate, not stored twice.  Runs in the calling thread. */
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
