/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-package"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sohoa-core-private.h"
#include "sohoa-test-util.h"

/* An approved civil-status batch of three documents whose searchable PDFs
 * are there (written here instead of by OCR, which test-ocr covers). */
static gint64
approved_batch (SohoaTestWorkspace *ws)
{
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *a = sohoa_test_write_image (ws->dir, "a.png", "png", 21, 1);
  g_autofree char *b = sohoa_test_write_image (ws->dir, "b.png", "png", 22, 1);
  g_autofree char *c = sohoa_test_write_image (ws->dir, "c.png", "png", 23, 1);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GError) error = NULL;
  GFile **files = sohoa_test_files (a, b, c, NULL);
  static const char * const books[] = { "01/2025", "01/2025", "02/2025" };

  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 3, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      gint64 document = sohoa_page_get_document_id (page);
      g_autofree char *pdf = sohoa_store_dup_document_pdf_path (store, document);
      g_autofree char *dir = g_path_get_dirname (pdf);
      g_autofree char *content = g_strdup_printf ("%%PDF-1.7\n%% document %u\n%%%%EOF\n", i);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      gint64 record = sohoa_store_ensure_record (store, document, "ho-tich.khai-sinh", 1, &error);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (g_file_set_contents (pdf, content, -1, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "so", number, SOHOA_VALUE_FILLED, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "quyenSo", books[i], SOHOA_VALUE_FILLED, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "nksHoTen", "Lê Thị Hoà", SOHOA_VALUE_FILLED, &error));
      g_assert_no_error (error);
    }
  g_assert_true (sohoa_store_submit_batch (store, ws->operator, report->batch_id, &error));
  g_assert_true (sohoa_store_approve_batch (store, ws->supervisor, report->batch_id, &error));
  g_assert_no_error (error);
  return report->batch_id;
}

static gboolean
contains (const char *data,
          gsize       length,
          const char *text)
{
  gsize n = strlen (text);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, text, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_package_deterministic (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *first = g_build_filename (ws->dir, "first.zip", NULL);
  g_autofree char *second = g_build_filename (ws->dir, "second.zip", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GError) error = NULL;
  gsize a_len, b_len;
  gint64 batch = approved_batch (ws);

  sohoa_context_set_user (ws->context, ws->supervisor);
  g_assert_true (sohoa_package_build (ws->context, batch, first, NULL, NULL, &error));
  g_assert_no_error (error);
  g_usleep (2100 * 1000);   /* a DOS-time tick later */
  g_assert_true (sohoa_package_build (ws->context, batch, second, NULL, NULL, &error));
  g_assert_true (g_file_get_contents (first, &a, &a_len, NULL));
  g_assert_true (g_file_get_contents (second, &b, &b_len, NULL));
  g_assert_cmpmem (a, a_len, b, b_len);

  /* Two books: one Ministry sheet each. */
  g_assert_true (contains (a, a_len, "documentation/moj/01_2025.xlsx"));
  g_assert_true (contains (a, a_len, "documentation/moj/02_2025.xlsx"));
  g_assert_true (sohoa_store_verify_audit (sohoa_context_get_store (ws->context), NULL, &error));

  /* The batch moved on to 'packaged'. */
  {
    g_autoptr(SohoaBatch) packaged = sohoa_store_get_batch (sohoa_context_get_store (ws->context), batch, &error);

    g_assert_true (sohoa_store_refresh_batch (sohoa_context_get_store (ws->context), packaged, &error));
    g_assert_cmpint (sohoa_batch_get_state (packaged), ==, SOHOA_BATCH_PACKAGED);
    g_assert_cmpstr (sohoa_batch_state_to_string (SOHOA_BATCH_ACKNOWLEDGED), ==, "acknowledged");
  }
}

static int
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* A workspace of format 2 with a batch and its pages moves to format 3:
 * nothing is lost (no cascade from rebuilding batches), the new states
 * are allowed, on other connections too, and others still refused. */
static void
test_package_migration (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sohoa-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sohoa.db", NULL);
  g_autoptr(SohoaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *steps;
  sqlite3 *old = NULL;
  sqlite3 *other = NULL;
  guint n_steps;

  steps = _sohoa_store_get_migrations (&n_steps);
  g_assert_cmpuint (n_steps, >=, 3);
  g_assert_cmpint (sqlite3_open (path, &old), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (old, steps[0], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (old, steps[1], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (old,
    "PRAGMA user_version = 2;"
    "INSERT INTO batches (id, title, schema_id, state, created_at) VALUES (1, 'Sổ 2001', 'khai-sinh', 'approved', 0);"
    "INSERT INTO documents (id, batch_id, position) VALUES (1, 1, 0);"
    "INSERT INTO pages (id, document_id, position, sha256, ext, size, width, height, imported_at) "
    "  VALUES (1, 1, 0, '0123456789012345678901234567890123456789012345678901234567890123', 'png', 1, 1, 1, 0);",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (old);

  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (query_int (other, "SELECT count(*) FROM batches"), ==, 1);   /* schema read before */

  store = sohoa_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sohoa_store_get_version (store), ==, SOHOA_STORE_VERSION);
  g_assert_cmpint (query_int (_sohoa_store_get_db (store), "SELECT count(*) FROM pages"), ==, 1);
  g_assert_cmpint (query_int (_sohoa_store_get_db (store), "SELECT count(*) FROM documents"), ==, 1);
  g_assert_cmpint (sqlite3_exec (_sohoa_store_get_db (store), "UPDATE batches SET state = 'packaged'", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "UPDATE batches SET state = 'acknowledged'", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "UPDATE batches SET state = 'lost'", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (query_int (other, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), ==, 1);
  sqlite3_close (other);
}

static void
test_package_refusals (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *zip = g_build_filename (ws->dir, "x.zip", NULL);
  g_autofree char *part = g_strdup_printf ("%s.part", zip);
  g_autofree char *pdf = NULL;
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 batch = approved_batch (ws);

  /* Operators do not make packages. */
  sohoa_context_set_user (ws->context, ws->operator);
  g_assert_false (sohoa_package_build (ws->context, batch, zip, NULL, NULL, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);

  /* Cancelled: no file, not even a part. */
  sohoa_context_set_user (ws->context, ws->supervisor);
  sohoa_job_cancel (job);
  g_assert_false (sohoa_package_build (ws->context, batch, zip, NULL, job, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (zip, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));

  /* A document whose text was not read has no PDF. */
  pages = sohoa_store_list_pages (store, batch, &error);
  page = g_list_model_get_item (pages, 1);
  pdf = sohoa_store_dup_document_pdf_path (store, sohoa_page_get_document_id (page));
  g_assert_cmpint (g_unlink (pdf), ==, 0);
  g_assert_false (sohoa_package_build (ws->context, batch, zip, NULL, NULL, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_assert_false (g_file_test (zip, G_FILE_TEST_EXISTS));
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

/* Signed through the asynchronous API, then every byte of every ZIP
 * header, of the start and end of every file, and of the whole central
 * directory and end record is changed in turn: each copy must fail. */
static void
test_package_signed_every_byte (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *zip = g_build_filename (ws->dir, "signed.zip", NULL);
  g_autofree char *bad = g_build_filename (ws->dir, "bad.zip", NULL);
  g_autofree char *p12 = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *data = NULL;
  g_autoptr(SohoaSigner) signer = NULL;
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(SohoaPackageInfo) info = NULL;
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GError) error = NULL;
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL };
  gint64 batch = approved_batch (ws);
  guint32 directory;
  gsize size, eocd;
  guint accepted = 0;

  sohoa_test_make_signing_keys (ws->dir, &p12, &ca);
  signer = sohoa_signer_new_pkcs12 (p12, "sai", &error);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_AUTH);
  g_assert_null (signer);
  g_clear_error (&error);
  signer = sohoa_signer_new_pkcs12 (p12, "mat-khau", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sohoa_signer_get_subject (signer), ==, "CN=UBND Phường Sài Gòn");

  sohoa_context_set_user (ws->context, ws->supervisor);
  sohoa_package_build_async (ws->context, batch, zip, signer, job, done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_assert_true (sohoa_package_build_finish (ws->context, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpfloat (sohoa_job_get_fraction (job), ==, 1.0);

  sohoa_package_verify_async (zip, ca, NULL, 0, NULL, done_cb, &wait);
  g_main_loop_run (wait.loop);
  info = sohoa_package_verify_finish (wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_main_loop_unref (wait.loop);
  g_assert_cmpstr (info->signer, ==, "CN=UBND Phường Sài Gòn");
  g_assert_true (g_str_has_prefix (info->objid, "urn:uuid:"));
  g_assert_cmpuint (info->n_files, ==, 13);

  /* Find the places to damage. */
  g_assert_true (g_file_get_contents (zip, &data, &size, NULL));
  for (eocd = size - 22; eocd > 0 && memcmp (data + eocd, "PK\5\6", 4) != 0; eocd--)
    ;
  memcpy (&directory, data + eocd + 16, 4);
  directory = GUINT32_FROM_LE (directory);
  for (gsize o = directory; o < size; o++)
    g_array_append_val (offsets, o);
  for (gsize h = 0; h < directory;)
    {
      guint16 name_len, extra_len;
      guint32 stored;
      gsize start;

      g_assert_cmpmem (data + h, 4, "PK\3\4", 4);
      memcpy (&name_len, data + h + 26, 2);
      memcpy (&extra_len, data + h + 28, 2);
      memcpy (&stored, data + h + 18, 4);
      start = h + 30 + GUINT16_FROM_LE (name_len) + GUINT16_FROM_LE (extra_len);
      for (gsize o = h; o < start + 8; o++)
        g_array_append_val (offsets, o);
      h = start + GUINT32_FROM_LE (stored);
      for (gsize o = h - 8; o < h; o++)
        g_array_append_val (offsets, o);
      /* A data descriptor, if any, up to the next header. */
      while (h < directory && memcmp (data + h, "PK\3\4", 4) != 0)
        {
          g_array_append_val (offsets, h);
          h++;
        }
    }

  for (guint i = 0; i < offsets->len; i++)
    {
      gsize o = g_array_index (offsets, gsize, i);
      g_autoptr(SohoaPackageInfo) damaged = NULL;
      g_autoptr(GError) local_error = NULL;

      data[o] ^= 0x20;
      g_assert_true (g_file_set_contents (bad, data, (gssize) size, NULL));
      data[o] ^= 0x20;
      damaged = sohoa_package_verify (bad, ca, NULL, 0, NULL, &local_error);
      if (damaged != NULL)
        {
          g_test_message ("byte %" G_GSIZE_FORMAT " changed, still accepted", o);
          accepted++;
        }
      else
        g_assert_error (local_error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
    }
  g_test_message ("%u damaged copies checked", offsets->len);
  g_assert_cmpuint (accepted, ==, 0);
  g_assert_cmpuint (offsets->len, >, 1000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/package/deterministic", test_package_deterministic);
  g_test_add_func ("/package/refusals", test_package_refusals);
  g_test_add_func ("/package/migration", test_package_migration);
  g_test_add_func ("/package/signed-every-byte", test_package_signed_every_byte);

  return g_test_run ();
}
