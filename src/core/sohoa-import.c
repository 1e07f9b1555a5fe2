/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sohoa-core-private.h"
#include "sohoa-image-private.h"
#include "sohoa-import.h"

#include <errno.h>
#include <string.h>

/* Limits that keep a corrupt or hostile file from exhausting the machine:
 * an A3 page at 600 dpi is about 7000 × 10000 pixels. */
#define MAX_FILE_BYTES   (512 * 1024 * 1024)
#define MAX_SIDE         30000
#define MAX_PIXELS       (300 * 1000 * 1000)
#define MAX_FRAMES       2000
#define THUMBNAIL_HEIGHT 320

typedef struct
{
  gint64    batch_id;
  char     *schema_id;
  GPtrArray *files;
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *import = data;

  g_free (import->schema_id);
  g_ptr_array_unref (import->files);
  g_free (import);
}

void
sohoa_import_report_free (SohoaImportReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->errors);
  g_free (report);
}

static const char *
detect_format (const guint8 *data,
               gsize         size)
{
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "jpg";
  if (size >= 4 && (memcmp (data, "II*\0", 4) == 0 || memcmp (data, "MM\0*", 4) == 0))
    return "tif";
  return NULL;
}

static gboolean
write_file_durably (const char  *path,
                    const guint8 *data,
                    gsize        size,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The folder “%s” could not be created: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, (const char *) data, size,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static gboolean
write_png (const char  *path,
           PIX         *pix,
           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  guint8 *data = NULL;
  size_t size = 0;
  gboolean ok;

  if (pixWriteMemPng (&data, &size, pix, 0) != 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FAILED, _("A preview image could not be made."));
      return FALSE;
    }
  g_mkdir_with_parents (dir, 0700);
  ok = g_file_set_contents_full (path, (const char *) data, size, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  lept_free (data);
  return ok;
}

static PIX *
decode_frame (const guint8 *data,
              gsize         size,
              const char   *format,
              guint         frame)
{
  if (g_str_equal (format, "tif"))
    return pixReadMemTiff (data, size, (l_int32) frame);
  return pixReadMem (data, size);
}

static gboolean
make_thumbnail (const char  *path,
                PIX         *pix,
                GError     **error)
{
  g_autoptr(PIX) plain = pixRemoveColormap (pix, REMOVE_CMAP_BASED_ON_SRC);
  g_autoptr(PIX) deep = NULL;
  g_autoptr(PIX) small = NULL;
  float scale = (float) THUMBNAIL_HEIGHT / pixGetHeight (pix);

  /* Scale 1-bit scans through grey so thin strokes stay visible. */
  deep = pixGetDepth (plain) == 1 ? pixConvertTo8 (plain, FALSE) : pixClone (plain);
  small = pixScale (deep, scale, scale);
  if (small == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FAILED, _("A preview image could not be made."));
      return FALSE;
    }
  return write_png (path, small, error);
}

/* Imports one file.  Returns the number of pages added, 0 for a duplicate
 * or -1 on error. */
static int
import_one (SohoaStore    *store,
            SohoaUser     *user,
            gint64         batch_id,
            GFile         *file,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *original = NULL;
  const char *workspace_dir = sohoa_store_get_workspace_dir (store);
  const char *format;
  gsize size = 0;
  l_int32 n_frames = 1;
  l_int32 iff, w, h, bps, spp, iscmap;

  if (!(info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                  G_FILE_QUERY_INFO_NONE, cancellable, error)))
    return -1;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED, _("“%s” is not a file."), name);
      return -1;
    }
  if (g_file_info_get_size (info) > MAX_FILE_BYTES)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_TOO_LARGE,
                   _("“%s” is larger than %d MB; scan it again at a lower resolution or in parts."),
                   name, MAX_FILE_BYTES / (1024 * 1024));
      return -1;
    }
  if (!g_file_load_contents (file, cancellable, &contents, &size, NULL, error))
    return -1;

  if (!(format = detect_format ((const guint8 *) contents, size)))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                   _("“%s” is not a PNG, JPEG or TIFF image."), name);
      return -1;
    }

  if (pixReadHeaderMem ((const l_uint8 *) contents, size, &iff, &w, &h, &bps, &spp, &iscmap) != 0 ||
      w <= 0 || h <= 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                   _("“%s” is damaged or not a complete image."), name);
      return -1;
    }
  if (w > MAX_SIDE || h > MAX_SIDE || (gint64) w * h > MAX_PIXELS)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_TOO_LARGE,
                   _("“%s” is too large (%d × %d pixels)."), name, w, h);
      return -1;
    }

  if (g_str_equal (format, "tif"))
    {
      FILE *fp = fopenReadFromMemory ((const l_uint8 *) contents, size);

      if (fp == NULL || tiffGetCount (fp, &n_frames) != 0 || n_frames < 1 || n_frames > MAX_FRAMES)
        {
          if (fp)
            fclose (fp);
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                       _("“%s” is damaged or not a complete image."), name);
          return -1;
        }
      fclose (fp);
    }

  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);
  if (sohoa_store_find_page (store, sha256, NULL) != 0)
    return 0;

  original = _sohoa_workspace_original_path (workspace_dir, sha256, format);
  if (!g_file_test (original, G_FILE_TEST_EXISTS) &&
      !write_file_durably (original, (const guint8 *) contents, size, error))
    return -1;

  if (!sohoa_store_begin (store, error))
    return -1;

  for (l_int32 frame = 0; frame < n_frames; frame++)
    {
      g_autoptr(PIX) pix = decode_frame ((const guint8 *) contents, size, format, (guint) frame);
      g_autofree char *thumbnail = NULL;
      SohoaNewPage page = { 0 };

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;
      if (pix == NULL || pixGetWidth (pix) > MAX_SIDE || pixGetHeight (pix) > MAX_SIDE)
        {
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                       _("“%s” is damaged or not a complete image."), name);
          goto failed;
        }

      if (g_str_equal (format, "tif"))
        {
          g_autofree char *display = _sohoa_workspace_display_path (workspace_dir, sha256, (guint) frame, format);

          if (!write_png (display, pix, error))
            goto failed;
        }
      thumbnail = _sohoa_workspace_thumbnail_path (workspace_dir, sha256, (guint) frame);
      if (!make_thumbnail (thumbnail, pix, error))
        goto failed;

      page.batch_id = batch_id;
      page.sha256 = sha256;
      page.frame = (guint) frame;
      page.ext = format;
      page.source_name = name;
      page.size = (gint64) size;
      page.width = (guint) pixGetWidth (pix);
      page.height = (guint) pixGetHeight (pix);
      page.dpi = (guint) MAX (pixGetXRes (pix), 0);
      if (_sohoa_store_add_page (store, user, &page, error) == 0)
        goto failed;
    }

  if (!sohoa_store_commit (store, error))
    return -1;
  return n_frames;

failed:
  sohoa_store_rollback (store);
  return -1;
}

/**
 * sohoa_import_files:
 *
 * Returns: (transfer full): what was imported; %NULL only when nothing
 *   could be done at all (no batch, database unusable, cancelled)
 */
SohoaImportReport *
sohoa_import_files (SohoaContext  *context,
                    gint64         batch_id,
                    const char    *schema_id,
                    GFile        **files,
                    guint          n_files,
                    SohoaJob      *job,
                    GError       **error)
{
  g_autoptr(SohoaStore) store = NULL;
  g_autoptr(SohoaImportReport) report = NULL;
  GCancellable *cancellable = job ? sohoa_job_get_cancellable (job) : NULL;
  SohoaUser *user;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (files != NULL || n_files == 0, NULL);

  user = sohoa_context_get_user (context);
  if (user == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION, _("Sign in first."));
      return NULL;
    }

  /* Leptonica reports decoding problems on stderr; ours are better. */
  setMsgSeverity (L_SEVERITY_NONE);

  if (!(store = sohoa_store_dup (sohoa_context_get_store (context), error)))
    return NULL;

  report = g_new0 (SohoaImportReport, 1);
  report->errors = g_ptr_array_new_with_free_func (g_free);

  if (batch_id == 0)
    {
      g_autoptr(SohoaBatch) batch = sohoa_store_create_batch (store, user, schema_id ? schema_id : "khai-sinh",
                                                              NULL, error);
      if (batch == NULL)
        return NULL;
      batch_id = sohoa_batch_get_id (batch);
    }
  else
    {
      g_autoptr(SohoaBatch) batch = sohoa_store_get_batch (store, batch_id, error);

      if (batch == NULL)
        return NULL;
      if (sohoa_batch_get_state (batch) != SOHOA_BATCH_OPEN &&
          sohoa_batch_get_state (batch) != SOHOA_BATCH_REJECTED)
        {
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                       _("Batch “%s” has been submitted; pages can no longer be added to it."),
                       sohoa_batch_get_title (batch));
          return NULL;
        }
    }
  report->batch_id = batch_id;

  for (guint i = 0; i < n_files; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *name = g_file_get_basename (files[i]);
      g_autofree char *message = g_strdup_printf (_("Importing “%s” (%u of %u)"), name, i + 1, n_files);
      int n;

      sohoa_job_report (job, i, n_files, message);

      n = import_one (store, user, batch_id, files[i], cancellable, &local_error);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (n < 0)
        g_ptr_array_add (report->errors, g_strdup (local_error->message));
      else if (n == 0)
        report->n_duplicates++;
      else
        report->n_imported += (guint) n;
    }

  sohoa_job_report (job, n_files, n_files, NULL);
  return g_steal_pointer (&report);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  SohoaJob *job = g_object_get_data (G_OBJECT (task), "sohoa-job");
  SohoaImportReport *report;
  GError *error = NULL;

  report = sohoa_import_files (source_object, data->batch_id, data->schema_id,
                               (GFile **) data->files->pdata, data->files->len, job, &error);
  if (report)
    g_task_return_pointer (task, report, (GDestroyNotify) sohoa_import_report_free);
  else
    g_task_return_error (task, error);
}

void
sohoa_import_files_async (SohoaContext        *context,
                          gint64               batch_id,
                          const char          *schema_id,
                          GFile              **files,
                          guint                n_files,
                          SohoaJob            *job,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (SOHOA_IS_CONTEXT (context));
  g_return_if_fail (!job || SOHOA_IS_JOB (job));

  data = g_new0 (ImportData, 1);
  data->batch_id = batch_id;
  data->schema_id = g_strdup (schema_id);
  data->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (data->files, g_object_ref (files[i]));

  task = g_task_new (context, job ? sohoa_job_get_cancellable (job) : NULL, callback, user_data);
  g_task_set_source_tag (task, sohoa_import_files_async);
  g_task_set_task_data (task, data, import_data_free);
  if (job)
    g_object_set_data_full (G_OBJECT (task), "sohoa-job", g_object_ref (job), g_object_unref);
  g_task_run_in_thread (task, import_thread);
}

SohoaImportReport *
sohoa_import_files_finish (SohoaContext  *context,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, context), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
