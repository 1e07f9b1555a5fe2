/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A job carries the progress and the cancellable of one slow operation.
 * Worker threads report into it; its properties change on the main context
 * that created it, so the UI can bind to "fraction" and "message". */
#define SOHOA_TYPE_JOB (sohoa_job_get_type ())
G_DECLARE_FINAL_TYPE (SohoaJob, sohoa_job, SOHOA, JOB, GObject)

SohoaJob     *sohoa_job_new             (void);
GCancellable *sohoa_job_get_cancellable (SohoaJob   *self);
void          sohoa_job_cancel          (SohoaJob   *self);
double        sohoa_job_get_fraction    (SohoaJob   *self);
const char   *sohoa_job_get_message     (SohoaJob   *self);
void          sohoa_job_report          (SohoaJob   *self,
                                         guint       done,
                                         guint       total,
                                         const char *message);

G_END_DECLS
