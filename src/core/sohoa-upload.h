/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-context.h"
#include "sohoa-job.h"
#include "sohoa-outbox.h"

G_BEGIN_DECLS

/* Where packages go: an S3-compatible object store (MinIO, Ceph), addressed
 * path-style (endpoint/bucket/key), signed with AWS SigV4. */
typedef struct
{
  char    *endpoint;          /* http(s)://host[:port], no trailing slash */
  char    *bucket;
  char    *region;            /* "us-east-1" when the store does not care */
  char    *access_key;
  char    *secret_key;
  char    *prefix;            /* object keys start with this and "/"; NULL: the ward code */
  guint64  part_size;         /* bytes per part; packages up to this size go in one PUT */
  guint    max_attempts;      /* per request, on network errors and 5xx */
  guint    retry_delay_ms;    /* first back-off; doubles with each attempt, with jitter */
  guint    low_speed_time;    /* seconds below 1 KiB/s before a connection counts as dead */
  guint    connect_timeout;   /* seconds */
} SohoaUploadConfig;

#define SOHOA_UPLOAD_MIN_PART_SIZE (5 * 1024 * 1024)
#define SOHOA_UPLOAD_MAX_PART_SIZE (512 * 1024 * 1024)

#define SOHOA_TYPE_UPLOAD_CONFIG (sohoa_upload_config_get_type ())

GType              sohoa_upload_config_get_type     (void) G_GNUC_CONST;
SohoaUploadConfig *sohoa_upload_config_new          (void);
SohoaUploadConfig *sohoa_upload_config_new_from_env (void);
SohoaUploadConfig *sohoa_upload_config_copy         (const SohoaUploadConfig *config);
void               sohoa_upload_config_free         (SohoaUploadConfig       *config);
gboolean           sohoa_upload_config_check        (const SohoaUploadConfig *config,
                                                     GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaUploadConfig, sohoa_upload_config_free)

/* Sends packages from the outbox.  Large ones go as a multipart upload whose
 * id and finished parts are kept on the packages row after every part, so a
 * restart or a dropped network resumes where it stopped.  Network errors and
 * server errors (5xx) are retried with exponential back-off and jitter; when
 * the attempts run out the package is left "failed" and is tried again the
 * next time.  Every part carries its SHA-256 (x-amz-content-sha256, signed)
 * and MD5 (Content-MD5); the ETags the store answers are compared with the
 * MD5s, and the package's SHA-256 is checked before sending. */
#define SOHOA_TYPE_UPLOADER (sohoa_uploader_get_type ())
G_DECLARE_FINAL_TYPE (SohoaUploader, sohoa_uploader, SOHOA, UPLOADER, GObject)

SohoaUploader *sohoa_uploader_new           (SohoaContext            *context,
                                             const SohoaUploadConfig *config);
const SohoaUploadConfig *
               sohoa_uploader_get_config    (SohoaUploader           *self);
/* Runs in the calling thread; reports into @job and stops when its
 * cancellable is cancelled (the package is then left pending). */
gboolean       sohoa_uploader_upload        (SohoaUploader           *self,
                                             gint64                   package_id,
                                             SohoaJob                *job,
                                             GError                 **error);
void           sohoa_uploader_upload_async  (SohoaUploader           *self,
                                             gint64                   package_id,
                                             SohoaJob                *job,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
gboolean       sohoa_uploader_upload_finish (SohoaUploader           *self,
                                             GAsyncResult            *result,
                                             GError                 **error);

G_END_DECLS
