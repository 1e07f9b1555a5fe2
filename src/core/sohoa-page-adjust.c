/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-page-adjust"

/* What the clerk can correct on one page, beside the untouched original:
 * its turn (when OCR was unsure which way up it is, or wrong), and whether
 * it is read cleaned up or as captured.  Each change marks the page for
 * reading again.  A turned page is shown by an upright copy of its image
 * and thumbnail in derived/, so every view shows it the right way up. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "sohoa-core-private.h"
#include "sohoa-image-private.h"
#include "sohoa-page-adjust.h"
#include "sohoa-preprocess.h"

int
_sohoa_rotation_normalize (int degrees)
{
  return ((degrees / 90) % 4 + 4) % 4 * 90;
}

char *
_sohoa_workspace_upright_path (const char *workspace_dir,
                               const char *sha256,
                               guint       frame,
                               int         rotation)
{
  g_autofree char *name = g_strdup_printf ("%s-%u-r%d.png", sha256, frame, rotation);

  return g_build_filename (workspace_dir, "derived", "upright", name, NULL);
}

char *
_sohoa_workspace_upright_thumbnail_path (const char *thumbnail_path,
                                         int         rotation)
{
  g_autofree char *stem = g_str_has_suffix (thumbnail_path, ".png")
                          ? g_strndup (thumbnail_path, strlen (thumbnail_path) - 4)
                          : g_strdup (thumbnail_path);

  return g_strdup_printf ("%s-r%d.png", stem, rotation);
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

static gboolean
write_turned (const char  *from,
              const char  *to,
              int          rotation,
              GError     **error)
{
  g_autoptr(PIX) pix = NULL;
  g_autoptr(PIX) turned = NULL;
  g_autofree char *basename = g_path_get_basename (from);

  if (g_file_test (to, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  setMsgSeverity (L_SEVERITY_NONE);
  if (!(pix = pixRead (from)))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                   _("“%s” is damaged or not a complete image."), basename);
      return FALSE;
    }
  if (!(turned = pixRotateOrth (pix, rotation / 90)))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FAILED, _("A preview image could not be made."));
      return FALSE;
    }
  pixCopyResolution (turned, pix);
  return write_png (to, turned, error);
}

/* Writes the upright copies of a page's image and thumbnail, unless they
 * exist (they depend only on the content and the turn). */
gboolean
_sohoa_workspace_write_upright (const char  *original_path,
                                const char  *thumbnail_path,
                                const char  *upright_path,
                                const char  *upright_thumbnail_path,
                                int          rotation,
                                GError     **error)
{
  if (rotation == 0)
    return TRUE;
  return write_turned (original_path, upright_path, rotation, error) &&
         write_turned (thumbnail_path, upright_thumbnail_path, rotation, error);
}

static void
set_db_error (SohoaStore  *store,
              GError     **error)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be updated (%s). Nothing was lost; try again."),
               sqlite3_errmsg (_sohoa_store_get_db (store)));
}

typedef struct
{
  char   *sha256;
  guint   frame;
  char   *ext;
  int     rotation;
  gint64  batch_id;
} PageInfo;

static void
page_info_clear (PageInfo *info)
{
  g_clear_pointer (&info->sha256, g_free);
  g_clear_pointer (&info->ext, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PageInfo, page_info_clear)

static gboolean
get_page_info (SohoaStore  *store,
               gint64       page_id,
               PageInfo    *info,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _sohoa_store_get_db (store);

  if (sqlite3_prepare_v2 (db,
                          "SELECT p.sha256, p.frame, p.ext, p.rotation, d.batch_id "
                          "FROM pages p JOIN documents d ON p.document_id = d.id WHERE p.id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (store, error);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, page_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("The page no longer exists."));
      return FALSE;
    }
  info->sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  info->frame = (guint) sqlite3_column_int (stmt, 1);
  info->ext = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  info->rotation = _sohoa_rotation_normalize (sqlite3_column_int (stmt, 3));
  info->batch_id = sqlite3_column_int64 (stmt, 4);
  return TRUE;
}

static gboolean
require_editable (SohoaStore  *store,
                  SohoaUser   *user,
                  gint64       batch_id,
                  GError     **error)
{
  g_autoptr(SohoaBatch) batch = NULL;

  if (user == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION, _("Sign in first."));
      return FALSE;
    }
  if (!(batch = sohoa_store_get_batch (store, batch_id, error)))
    return FALSE;
  switch (sohoa_batch_get_state (batch))
    {
    case SOHOA_BATCH_OPEN:
    case SOHOA_BATCH_REJECTED:
      return TRUE;
    default:
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("Batch “%s” has been submitted; its pages and records can no longer be changed."),
                   sohoa_batch_get_title (batch));
      return FALSE;
    }
}

/* What a page's earlier reading said no longer holds once it is turned or
 * read differently: it waits to be read again. */
#define MARK_PENDING \
  "ocr_state = 'pending', ocr_text = NULL, ocr_confidence = NULL, n_flagged = 0"

static gboolean
forget_words (SohoaStore  *store,
              gint64       page_id,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (_sohoa_store_get_db (store), "DELETE FROM ocr_words WHERE page_id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, page_id);
  if (sqlite3_step (stmt) == SQLITE_DONE)
    return TRUE;
failed:
  set_db_error (store, error);
  return FALSE;
}

/* Runs @sql (one statement, the page id bound last) and the audit row in
 * one transaction, first dropping the page's words if @forget. */
static gboolean
update_page (SohoaStore  *store,
             SohoaUser   *user,
             gint64       page_id,
             gboolean     forget,
             const char  *sql,
             const int   *ints,
             guint        n_ints,
             const char  *action,
             const char  *detail,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _sohoa_store_get_db (store);

  if (!sohoa_store_begin (store, error))
    return FALSE;
  if (forget && !forget_words (store, page_id, error))
    {
      sohoa_store_rollback (store);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  for (guint i = 0; i < n_ints; i++)
    sqlite3_bind_int (stmt, (int) i + 1, ints[i]);
  sqlite3_bind_int64 (stmt, (int) n_ints + 1, page_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto failed;
  if (!sohoa_store_append_audit (store, user, action, "page", page_id, detail, error) ||
      !sohoa_store_commit (store, error))
    {
      sohoa_store_rollback (store);
      return FALSE;
    }
  return TRUE;

failed:
  set_db_error (store, error);
  sohoa_store_rollback (store);
  return FALSE;
}

/**
 * sohoa_page_adjust_rotate:
 * @by: degrees clockwise: 90, 180 or 270 (-90 is 270)
 *
 * Turns a page by a quarter turn or two.  The original is untouched; the
 * turn is the page's rotation from now on (OCR keeps it instead of
 * guessing), the page is no longer "orientation unsure", and it waits to
 * be read again.
 */
gboolean
sohoa_page_adjust_rotate (SohoaStore  *store,
                          SohoaUser   *user,
                          gint64       page_id,
                          int          by,
                          GError     **error)
{
  g_auto(PageInfo) info = { 0 };
  const char *workspace;
  g_autofree char *original = NULL;
  g_autofree char *thumbnail = NULL;
  g_autofree char *upright = NULL;
  g_autofree char *upright_thumbnail = NULL;
  g_autofree char *detail = NULL;
  int rotation;
  int ints[1];

  g_return_val_if_fail (SOHOA_IS_STORE (store), FALSE);

  if (by % 90 != 0 || _sohoa_rotation_normalize (by) == 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("A page can only be turned by 90, 180 or 270 degrees."));
      return FALSE;
    }
  if (!get_page_info (store, page_id, &info, error) ||
      !require_editable (store, user, info.batch_id, error))
    return FALSE;

  rotation = _sohoa_rotation_normalize (info.rotation + by);
  workspace = sohoa_store_get_workspace_dir (store);
  original = _sohoa_workspace_display_path (workspace, info.sha256, info.frame, info.ext);
  thumbnail = _sohoa_workspace_thumbnail_path (workspace, info.sha256, info.frame);
  upright = _sohoa_workspace_upright_path (workspace, info.sha256, info.frame, rotation);
  upright_thumbnail = _sohoa_workspace_upright_thumbnail_path (thumbnail, rotation);
  if (!_sohoa_workspace_write_upright (original, thumbnail, upright, upright_thumbnail, rotation, error))
    return FALSE;

  ints[0] = rotation;
  detail = g_strdup_printf ("{\"by\":%d,\"rotation\":%d}", _sohoa_rotation_normalize (by), rotation);
  return update_page (store, user, page_id, TRUE,
                      "UPDATE pages SET rotation = ?, rotation_manual = 1, orientation_unsure = 0, "
                      MARK_PENDING " WHERE id = ?",
                      ints, 1, "page.rotate", detail, error);
}

/**
 * sohoa_page_adjust_accept_orientation:
 *
 * The clerk confirms that a page OCR was unsure about is upright as shown:
 * the flag goes, and the turn is kept when the page is read again.
 */
gboolean
sohoa_page_adjust_accept_orientation (SohoaStore  *store,
                                      SohoaUser   *user,
                                      gint64       page_id,
                                      GError     **error)
{
  g_auto(PageInfo) info = { 0 };

  g_return_val_if_fail (SOHOA_IS_STORE (store), FALSE);

  if (!get_page_info (store, page_id, &info, error) ||
      !require_editable (store, user, info.batch_id, error))
    return FALSE;
  return update_page (store, user, page_id, FALSE,
                      "UPDATE pages SET rotation_manual = 1, orientation_unsure = 0 WHERE id = ?",
                      NULL, 0, "page.orientation-accept", NULL, error);
}

/**
 * sohoa_page_adjust_set_no_cleanup:
 * @no_cleanup: read the page from its original image, only turned
 *
 * For a page the cleanup made worse (a pale photo whose ink was whitened
 * away, a drawing taken for noise).  The page waits to be read again.
 */
gboolean
sohoa_page_adjust_set_no_cleanup (SohoaStore  *store,
                                  SohoaUser   *user,
                                  gint64       page_id,
                                  gboolean     no_cleanup,
                                  GError     **error)
{
  g_auto(PageInfo) info = { 0 };
  int ints[1] = { no_cleanup ? 1 : 0 };

  g_return_val_if_fail (SOHOA_IS_STORE (store), FALSE);

  if (!get_page_info (store, page_id, &info, error) ||
      !require_editable (store, user, info.batch_id, error))
    return FALSE;
  return update_page (store, user, page_id, TRUE,
                      "UPDATE pages SET no_cleanup = ?, " MARK_PENDING " WHERE id = ?",
                      ints, 1, "page.cleanup", no_cleanup ? "{\"cleanup\":false}" : "{\"cleanup\":true}",
                      error);
}

/* Called for each page an OCR run read (from its worker thread, with its
 * own store connection): shows a page OCR turned upright the right way up,
 * and flags a page whose orientation could not be told. */
gboolean
_sohoa_page_adjust_save_orientation (SohoaStore  *store,
                                     SohoaPage   *page,
                                     int          rotation,
                                     gboolean     unsure,
                                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  rotation = _sohoa_rotation_normalize (rotation);
  if (rotation != 0 && !sohoa_page_get_rotation_manual (page))
    {
      const char *workspace = sohoa_store_get_workspace_dir (store);
      const char *sha256 = sohoa_page_get_sha256 (page);
      g_autofree char *name = g_path_get_basename (sohoa_page_get_thumbnail_path (page));
      g_autoptr(GError) local_error = NULL;
      g_autofree char *thumbnail = NULL;
      g_autofree char *upright = NULL;
      g_autofree char *upright_thumbnail = NULL;
      guint frame = 0;

      /* The thumbnail of the unturned page is named <sha256>-<frame>.png. */
      sscanf (name + strlen (sha256), "-%u", &frame);
      thumbnail = _sohoa_workspace_thumbnail_path (workspace, sha256, frame);
      upright = _sohoa_workspace_upright_path (workspace, sha256, frame, rotation);
      upright_thumbnail = _sohoa_workspace_upright_thumbnail_path (thumbnail, rotation);
      /* Only the display suffers if this fails: the reading is saved. */
      if (!_sohoa_workspace_write_upright (sohoa_page_get_original_path (page), thumbnail,
                                           upright, upright_thumbnail, rotation, &local_error))
        g_warning ("Could not write the upright view of page %lld: %s",
                   (long long) sohoa_page_get_id (page), local_error->message);
    }

  if (sqlite3_prepare_v2 (_sohoa_store_get_db (store),
                          "UPDATE pages SET orientation_unsure = ? * (1 - rotation_manual) WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_int (stmt, 1, unsure ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, sohoa_page_get_id (page));
  if (sqlite3_step (stmt) == SQLITE_DONE)
    return TRUE;
failed:
  set_db_error (store, error);
  return FALSE;
}

/* The cleaned page --------------------------------------------------------- */

typedef struct
{
  char    *original_path;
  char    *cleaned_path;
  int      rotation;        /* -1: found by preprocessing */
  gboolean no_cleanup;
} CleanRequest;

static void
clean_request_free (gpointer data)
{
  CleanRequest *request = data;

  g_free (request->original_path);
  g_free (request->cleaned_path);
  g_free (request);
}

static CleanRequest *
clean_request_new (SohoaStore *store,
                   SohoaPage  *page)
{
  CleanRequest *request = g_new0 (CleanRequest, 1);
  gboolean keep = sohoa_page_get_rotation_manual (page) || sohoa_page_get_no_cleanup (page);
  g_autofree char *name = NULL;

  request->original_path = g_strdup (sohoa_page_get_original_path (page));
  request->rotation = keep ? sohoa_page_get_rotation (page) : -1;
  request->no_cleanup = sohoa_page_get_no_cleanup (page);
  /* Named by content and settings: the same page prepared the same way
   * is the same image. */
  name = g_strdup_printf ("%s-%lld-%s%d%s.png", sohoa_page_get_sha256 (page),
                          (long long) sohoa_page_get_id (page), keep ? "r" : "auto",
                          keep ? request->rotation : 0, request->no_cleanup ? "-plain" : "");
  request->cleaned_path = g_build_filename (sohoa_store_get_workspace_dir (store), "derived", "cleaned",
                                            name, NULL);
  return request;
}

static char *
render_cleaned (CleanRequest  *request,
                GError       **error)
{
  g_autoptr(PIX) pix = NULL;
  g_autoptr(PIX) prepared = NULL;
  g_autofree char *basename = g_path_get_basename (request->original_path);
  SohoaPreprocessOptions options = { request->rotation, request->no_cleanup };
  SohoaPreprocessInfo info;

  if (g_file_test (request->cleaned_path, G_FILE_TEST_IS_REGULAR))
    return g_strdup (request->cleaned_path);

  setMsgSeverity (L_SEVERITY_NONE);
  if (!(pix = pixRead (request->original_path)))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                   _("“%s” is damaged or not a complete image."), basename);
      return NULL;
    }
  if (!(prepared = sohoa_preprocess_page (pix, &options, &info, NULL)) ||
      !write_png (request->cleaned_path, prepared, error))
    {
      if (error && *error == NULL)
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FAILED, _("A preview image could not be made."));
      return NULL;
    }
  return g_strdup (request->cleaned_path);
}

/**
 * sohoa_page_adjust_render_cleaned:
 *
 * Prepares the page as OCR reads it (with its own settings) and saves the
 * result in derived/cleaned, for the clerk to compare with the original.
 *
 * Returns: (transfer full): the path of the cleaned image
 */
char *
sohoa_page_adjust_render_cleaned (SohoaStore  *store,
                                  SohoaPage   *page,
                                  GError     **error)
{
  CleanRequest *request;
  char *path;

  g_return_val_if_fail (SOHOA_IS_STORE (store), NULL);
  g_return_val_if_fail (SOHOA_IS_PAGE (page), NULL);

  request = clean_request_new (store, page);
  path = render_cleaned (request, error);
  clean_request_free (request);
  return path;
}

static void
render_cleaned_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  char *path;

  if (g_task_return_error_if_cancelled (task))
    return;
  if ((path = render_cleaned (task_data, &error)))
    g_task_return_pointer (task, path, g_free);
  else
    g_task_return_error (task, error);
}

void
sohoa_page_adjust_render_cleaned_async (SohoaStore          *store,
                                        SohoaPage           *page,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOHOA_IS_STORE (store));
  g_return_if_fail (SOHOA_IS_PAGE (page));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sohoa_page_adjust_render_cleaned_async);
  g_task_set_task_data (task, clean_request_new (store, page), clean_request_free);
  g_task_run_in_thread (task, render_cleaned_thread);
}

char *
sohoa_page_adjust_render_cleaned_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Turning in a worker thread ------------------------------------------------- */

typedef struct
{
  gint64 page_id;
  int    by;
} RotateRequest;

static void
rotate_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SohoaContext *context = source_object;
  RotateRequest *request = task_data;
  g_autoptr(SohoaStore) store = NULL;
  GError *error = NULL;

  if ((store = sohoa_store_dup (sohoa_context_get_store (context), &error)) &&
      sohoa_page_adjust_rotate (store, sohoa_context_get_user (context), request->page_id, request->by, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Turns a page off the main thread: writing its upright copy takes a
 * moment for a 300 dpi colour scan. */
void
sohoa_page_adjust_rotate_async (SohoaContext        *context,
                                gint64               page_id,
                                int                  by,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RotateRequest *request = g_new0 (RotateRequest, 1);

  g_return_if_fail (SOHOA_IS_CONTEXT (context));

  request->page_id = page_id;
  request->by = by;
  task = g_task_new (context, cancellable, callback, user_data);
  g_task_set_source_tag (task, sohoa_page_adjust_rotate_async);
  g_task_set_task_data (task, request, g_free);
  g_task_run_in_thread (task, rotate_thread);
}

gboolean
sohoa_page_adjust_rotate_finish (SohoaContext  *context,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, context), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
