/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-package-import"

#include "config.h"

#include <time.h>
#include <utime.h>

#include <glib/gstdio.h>
#include <string.h>

#include "sohoa-core-private.h"
#include "sohoa-test-util.h"

/* An approved batch of two documents whose searchable PDFs are there
 * (written here instead of by OCR, which test-ocr covers). */
static gint64
approved_batch (SohoaTestWorkspace *ws)
{
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *a = sohoa_test_write_image (ws->dir, "a.png", "png", 31, 1);
  g_autofree char *b = sohoa_test_write_image (ws->dir, "b.png", "png", 32, 1);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GError) error = NULL;
  GFile **files = sohoa_test_files (a, b, NULL);
  static const char * const names[] = { "Nguyễn Văn An", "Trần Thị Hoà" };

  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 2, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      gint64 document = sohoa_page_get_document_id (page);
      g_autofree char *path = sohoa_store_dup_document_pdf_path (store, document);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *text = g_strdup_printf ("GIAY KHAI SINH so %u", i + 1);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      g_autofree char *pdf = NULL;
      gsize length;
      gint64 record = sohoa_store_ensure_record (store, document, "ho-tich.khai-sinh", 1, &error);

      pdf = sohoa_test_make_pdf (text, &length);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (g_file_set_contents (path, pdf, (gssize) length, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "so", number, SOHOA_VALUE_FILLED, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "nksHoTen", names[i], SOHOA_VALUE_FILLED, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "nksNoiSinh", "", SOHOA_VALUE_ILLEGIBLE, &error));
      g_assert_no_error (error);
    }
  g_assert_true (sohoa_store_submit_batch (store, ws->operator, report->batch_id, &error));
  g_assert_true (sohoa_store_approve_batch (store, ws->supervisor, report->batch_id, &error));
  g_assert_no_error (error);
  return report->batch_id;
}

static gint64
count (SohoaTestWorkspace *ws,
       const char         *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_sohoa_store_get_db (sohoa_context_get_store (ws->context)), sql, -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      n += g_file_test (child, G_FILE_TEST_IS_DIR) ? count_files (child) : 1;
    }
  return n;
}

/* Nothing of a refused package is left: no row, no page file, no image,
 * nothing unpacked. */
static void
assert_untouched (SohoaTestWorkspace *ws,
                  gint64              n_audit)
{
  g_autofree char *pages = g_build_filename (ws->dir, "pages", NULL);
  g_autofree char *derived = g_build_filename (ws->dir, "derived", NULL);

  g_assert_cmpint (count (ws, "SELECT count (*) FROM batches"), ==, 0);
  g_assert_cmpint (count (ws, "SELECT count (*) FROM pages"), ==, 0);
  g_assert_cmpint (count (ws, "SELECT count (*) FROM records"), ==, 0);
  g_assert_cmpint (count (ws, "SELECT count (*) FROM field_values"), ==, 0);
  g_assert_cmpint (count (ws, "SELECT count (*) FROM received_packages"), ==, 0);
  g_assert_cmpint (count (ws, "SELECT count (*) FROM audit"), ==, n_audit);
  g_assert_cmpuint (count_files (pages), ==, 0);
  g_assert_cmpuint (count_files (derived), ==, 0);
  {
    g_autoptr(GDir) dir = g_dir_open (derived, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)))
      g_assert_false (g_str_has_prefix (name, "receive-"));
  }
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
test_package_import (void)
{
  g_autoptr(SohoaTestWorkspace) a = sohoa_test_workspace_new ();
  g_autoptr(SohoaTestWorkspace) b = sohoa_test_workspace_new ();
  g_autofree char *zip = g_build_filename (a->dir, "batch.zip", NULL);
  g_autofree char *p12 = NULL;
  g_autofree char *ca = NULL;
  g_autoptr(SohoaSigner) signer = NULL;
  g_autoptr(SohoaJob) cancelled = sohoa_job_new ();
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db_b = _sohoa_store_get_db (sohoa_context_get_store (b->context));
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL };
  gint64 batch = approved_batch (a);
  gint64 n_audit = count (b, "SELECT count (*) FROM audit");
  gint64 received;
  guint n_rows = 0;

  sohoa_test_make_signing_keys (a->dir, &p12, &ca);
  signer = sohoa_signer_new_pkcs12 (p12, "mat-khau", &error);
  g_assert_no_error (error);
  sohoa_context_set_user (a->context, a->supervisor);
  g_assert_true (sohoa_package_build (a->context, batch, zip, signer, NULL, &error));
  g_assert_no_error (error);

  /* An operator cannot; a supervisor who changed his mind leaves nothing. */
  sohoa_context_set_user (b->context, b->operator);
  g_assert_cmpint (sohoa_workspace_import_package (b->context, zip, ca, NULL, &error), ==, 0);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  sohoa_context_set_user (b->context, b->supervisor);
  sohoa_job_cancel (cancelled);
  g_assert_cmpint (sohoa_workspace_import_package (b->context, zip, ca, cancelled, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  assert_untouched (b, n_audit);

  /* A failure at the very end of the transaction, after the batch, its
   * pages, records and PDFs are in: all of it is taken back. */
  g_assert_cmpint (sqlite3_exec (db_b, "CREATE TRIGGER refuse BEFORE INSERT ON received_packages "
                                       "BEGIN SELECT RAISE (ABORT, 'disk on fire'); END;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sohoa_workspace_import_package (b->context, zip, ca, NULL, &error), ==, 0);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE);
  g_clear_error (&error);
  assert_untouched (b, n_audit);
  g_assert_cmpint (sqlite3_exec (db_b, "DROP TRIGGER refuse", NULL, NULL, NULL), ==, SQLITE_OK);

  /* Now for real, through the asynchronous API, with progress. */
  sohoa_workspace_import_package_async (b->context, zip, ca, job, done_cb, &wait);
  g_main_loop_run (wait.loop);
  received = sohoa_workspace_import_package_finish (b->context, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpint (received, >, 0);
  g_assert_cmpfloat (sohoa_job_get_fraction (job), ==, 1.0);

  g_assert_cmpint (count (b, "SELECT count (*) FROM batches WHERE state = 'submitted' AND schema_id = 'ho-tich.khai-sinh'"), ==, 1);
  g_assert_cmpint (count (b, "SELECT count (*) FROM documents"), ==, 2);
  g_assert_cmpint (count (b, "SELECT count (*) FROM pages WHERE ext = 'pdf' AND ocr_state = 'done' "
                             "AND ocr_text LIKE '%KHAI SINH%'"), ==, 2);
  g_assert_cmpint (count (b, "SELECT count (*) FROM field_values"), ==, 6);
  g_assert_cmpint (count (b, "SELECT count (*) FROM field_values WHERE key = 'nksNoiSinh' AND state = 'illegible'"), ==, 2);
  g_assert_cmpint (count (b, "SELECT count (*) FROM audit WHERE action = 'batch.import-package' "
                             "AND detail NOT LIKE '%Nguyễn%' AND detail LIKE '%CN=UBND%'"), ==, 1);
  {
    g_autoptr(sqlite3_stmt) stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db_b, "SELECT r.id FROM records r JOIN documents d ON d.id = r.document_id "
                                               "ORDER BY d.position LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    values = sohoa_store_get_fields (sohoa_context_get_store (b->context), sqlite3_column_int64 (stmt, 0), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (values, "nksHoTen"), ==, "Nguyễn Văn An");
  }
  g_assert_true (sohoa_store_verify_audit (sohoa_context_get_store (b->context), &n_rows, &error));
  g_assert_no_error (error);

  /* Twice: refused, clearly.  On the way, what a killed import left a
   * day ago is swept up; a folder that may be another import's stays. */
  {
    g_autofree char *stale = g_build_filename (b->dir, "derived", "receive-killed", NULL);
    g_autofree char *fresh = g_build_filename (b->dir, "derived", "receive-running", NULL);
    g_autofree char *leftover = g_build_filename (stale, "records.json", NULL);
    struct utimbuf two_days_ago = { time (NULL) - 2 * 24 * 3600, time (NULL) - 2 * 24 * 3600 };

    g_assert_cmpint (g_mkdir_with_parents (stale, 0700), ==, 0);
    g_assert_cmpint (g_mkdir_with_parents (fresh, 0700), ==, 0);
    g_assert_true (g_file_set_contents (leftover, "{}", -1, NULL));
    g_assert_cmpint (g_utime (stale, &two_days_ago), ==, 0);

    g_assert_cmpint (sohoa_workspace_import_package (b->context, zip, ca, NULL, &error), ==, 0);
    g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
    g_clear_error (&error);
    g_assert_cmpint (count (b, "SELECT count (*) FROM batches"), ==, 1);
    g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (fresh, G_FILE_TEST_IS_DIR));
    g_rmdir (fresh);
  }

  /* Into the workspace that made it: refused too. */
  g_assert_cmpint (sohoa_workspace_import_package (a->context, zip, ca, NULL, &error), ==, 0);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_clear_error (&error);

  /* B's supervisor can approve it and package it again, without OCR. */
  {
    g_autofree char *again = g_build_filename (b->dir, "again.zip", NULL);

    g_assert_true (sohoa_store_approve_batch (sohoa_context_get_store (b->context), b->supervisor, received, &error));
    g_assert_true (sohoa_package_build (b->context, received, again, signer, NULL, &error));
    g_assert_no_error (error);
  }
  g_main_loop_unref (wait.loop);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/package-import/receive", test_package_import);
  return g_test_run ();
}
