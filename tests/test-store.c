/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <glib/gstdio.h>

#include "sohoa-core-private.h"
#include "sohoa-test-util.h"

static int
query_int (SohoaStore *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_prepare_v2 (_sohoa_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (SohoaStore *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (_sohoa_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static SohoaImportReport *
import (SohoaTestWorkspace *ws,
        gint64              batch_id,
        GFile             **files)
{
  g_autoptr(GError) error = NULL;
  SohoaImportReport *report;
  guint n = 0;

  while (files[n])
    n++;
  report = sohoa_import_files (ws->context, batch_id, "ho-tich.khai-sinh", files, n, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
test_migrations_fresh (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  static const char * const tables[] = {
    "workspace", "users", "batches", "documents", "pages", "ocr_words",
    "records", "field_values", "audit", "packages",
  };
  g_autofree char *journal = NULL;

  g_assert_cmpint (sohoa_store_get_version (store), ==, SOHOA_STORE_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'", tables[i]);
      g_assert_cmpint (query_int (store, sql), ==, 1);
    }

  journal = query_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (store, "PRAGMA synchronous"), ==, 2);
}

static void
test_migrations_reopen_and_future (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaStore) again = NULL;
  g_autoptr(SohoaStore) future = NULL;
  const char *path = sohoa_store_get_path (sohoa_context_get_store (ws->context));

  /* Reopening keeps the data and does not migrate again. */
  again = sohoa_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sohoa_store_is_initialized (again));
  g_assert_cmpint (sohoa_store_get_version (again), ==, SOHOA_STORE_VERSION);

  /* A workspace from a newer Sohoa is refused, not damaged. */
  g_assert_cmpint (sqlite3_exec (_sohoa_store_get_db (again), "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  future = sohoa_store_open (path, &error);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_WORKSPACE);
  g_assert_null (future);
  g_assert_cmpint (sohoa_store_get_version (again), ==, 99);
}

static void
test_migrations_failure_rolls_back (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autoptr(GError) error = NULL;
  const char *steps[SOHOA_STORE_VERSION + 1];

  for (guint i = 0; i < SOHOA_STORE_VERSION; i++)
    steps[i] = "SELECT 1";
  /* The new step creates a table, then fails: neither must remain. */
  steps[SOHOA_STORE_VERSION] = "CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);";

  g_assert_false (_sohoa_store_migrate (store, steps, G_N_ELEMENTS (steps), &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE);
  g_assert_cmpint (sohoa_store_get_version (store), ==, SOHOA_STORE_VERSION);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"), ==, 0);
}

/* A workspace of format 1 with a page read by OCR reaches the current
 * format with its data, one step at a time. */
static void
test_migrations_upgrade_keeps_data (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sohoa-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sohoa.db", NULL);
  g_autoptr(SohoaStore) old = NULL;
  g_autoptr(SohoaStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *steps;
  guint n_steps;

  steps = _sohoa_store_get_migrations (&n_steps);
  g_assert_cmpuint (n_steps, ==, SOHOA_STORE_VERSION);

  /* An old file: only the first migration, and some data in it. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, steps[0], NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db,
      "PRAGMA user_version = 1;"
      "INSERT INTO batches (id, title, schema_id, created_at) VALUES (1, 'Sổ 1998', 'khai-sinh', 0);"
      "INSERT INTO documents (id, batch_id, position) VALUES (1, 1, 0);"
      "INSERT INTO pages (id, document_id, position, sha256, ext, size, width, height, imported_at, ocr_state) "
      "  VALUES (1, 1, 0, '" "0123456789012345678901234567890123456789012345678901234567890123" "', 'png', 1, 1, 1, 0, 'done');"
      "INSERT INTO ocr_words (page_id, idx, text, x, y, width, height, confidence, block, line) "
      "  VALUES (1, 0, 'Nguyễn', 0, 0, 1, 1, 95, 0, 0);",
      NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }

  store = sohoa_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sohoa_store_get_version (store), ==, SOHOA_STORE_VERSION);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM ocr_words WHERE text = 'Nguyễn' AND flagged = 0"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT n_flagged FROM pages WHERE id = 1"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM batches WHERE title = 'Sổ 1998'"), ==, 1);
  /* Schema ids gained their area in version 3. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM batches WHERE schema_id = 'ho-tich.khai-sinh'"), ==, 1);

  g_clear_object (&store);
  g_unlink (path);
  {
    g_autofree char *wal = g_strdup_printf ("%s-wal", path);
    g_autofree char *shm = g_strdup_printf ("%s-shm", path);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

static void
test_flagged_words (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *png = sohoa_test_write_image (ws->dir, "f.png", "png", 77, 1);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_ocr_word_free);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  GFile **files = sohoa_test_files (png, NULL);

  report = import (ws, 0, files);
  sohoa_test_files_free (files);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  page = g_list_model_get_item (pages, 0);

  /* A good word, an impossible syllable read with confidence, a number
   * read with little confidence, an abbreviation. */
  g_ptr_array_add (words, sohoa_ocr_word_new ("Nguyễn", 0, 0, 10, 10, 96, 0, 0));
  g_ptr_array_add (words, sohoa_ocr_word_new ("Nguyén", 12, 0, 10, 10, 91, 0, 0));
  g_ptr_array_add (words, sohoa_ocr_word_new ("079203001234", 24, 0, 10, 10, 41, 0, 0));
  g_ptr_array_add (words, sohoa_ocr_word_new ("UBND", 36, 0, 10, 10, 88, 0, 0));
  g_assert_true (sohoa_store_save_ocr (store, sohoa_page_get_id (page), words, "Nguyễn Nguyén 079203001234 UBND",
                                       0, 0, FALSE, &error));
  g_assert_no_error (error);

  stored = sohoa_store_get_page_words (store, sohoa_page_get_id (page), &error);
  g_assert_false (((SohoaOcrWord *) stored->pdata[0])->flagged);
  g_assert_true (((SohoaOcrWord *) stored->pdata[1])->flagged);
  g_assert_true (((SohoaOcrWord *) stored->pdata[2])->flagged);
  g_assert_false (((SohoaOcrWord *) stored->pdata[3])->flagged);

  g_clear_object (&pages);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  g_assert_cmpuint (sohoa_page_get_n_flagged (page), ==, 2);
}

static void
test_content_addressing (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *png = sohoa_test_write_image (ws->dir, "a.png", "png", 1, 1);
  g_autofree char *copy = g_build_filename (ws->dir, "same-content-other-name.png", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *stored_contents = NULL;
  g_autoptr(SohoaImportReport) first = NULL;
  g_autoptr(SohoaImportReport) second = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  GFile **files;
  gsize size, stored_size;

  g_assert_true (g_file_get_contents (png, &contents, &size, NULL));
  g_assert_true (g_file_set_contents (copy, contents, size, NULL));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);

  files = sohoa_test_files (png, NULL);
  first = import (ws, 0, files);
  sohoa_test_files_free (files);
  g_assert_cmpuint (first->n_imported, ==, 1);
  g_assert_cmpuint (first->n_duplicates, ==, 0);

  /* The same bytes again, under another name and into another batch. */
  files = sohoa_test_files (png, copy, NULL);
  second = import (ws, 0, files);
  sohoa_test_files_free (files);
  g_assert_cmpuint (second->n_imported, ==, 0);
  g_assert_cmpuint (second->n_duplicates, ==, 2);

  g_assert_cmpint (query_int (sohoa_context_get_store (ws->context), "SELECT count(*) FROM pages"), ==, 1);

  stored = _sohoa_workspace_original_path (sohoa_context_get_workspace_dir (ws->context), sha, "png");
  g_assert_true (g_file_get_contents (stored, &stored_contents, &stored_size, NULL));
  g_assert_cmpmem (stored_contents, stored_size, contents, size);

  pages = sohoa_store_list_pages (sohoa_context_get_store (ws->context), first->batch_id, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 1);
  page = g_list_model_get_item (pages, 0);
  g_assert_cmpstr (sohoa_page_get_sha256 (page), ==, sha);
  g_assert_cmpuint (sohoa_page_get_dpi (page), ==, 300);
  g_assert_true (g_file_test (sohoa_page_get_thumbnail_path (page), G_FILE_TEST_IS_REGULAR));
}

static void
test_import_formats_and_bad_files (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *jpeg = sohoa_test_write_image (ws->dir, "b.jpg", "jpeg", 2, 1);
  g_autofree char *tiff = sohoa_test_write_image (ws->dir, "c.tif", "tiff", 3, 3);
  g_autofree char *png = sohoa_test_write_image (ws->dir, "d.png", "png", 9, 1);
  g_autofree char *truncated = g_build_filename (ws->dir, "truncated.png", NULL);
  g_autofree char *text = g_build_filename (ws->dir, "notes.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) last = NULL;
  g_autoptr(SohoaPage) second = NULL;
  GFile **files;
  gsize size;

  g_assert_true (g_file_get_contents (png, &contents, &size, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, 60, NULL));
  g_assert_true (g_file_set_contents (text, "Không phải ảnh", -1, NULL));

  files = sohoa_test_files (jpeg, tiff, truncated, text, NULL);
  report = import (ws, 0, files);
  sohoa_test_files_free (files);

  g_assert_cmpuint (report->n_imported, ==, 4);
  g_assert_cmpuint (report->errors->len, ==, 2);

  pages = sohoa_store_list_pages (sohoa_context_get_store (ws->context), report->batch_id, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 4);
  /* The three frames of the TIFF are one document, shown as PNGs. */
  second = g_list_model_get_item (pages, 1);
  last = g_list_model_get_item (pages, 3);
  g_assert_cmpint (sohoa_page_get_document_id (second), ==, sohoa_page_get_document_id (last));
  g_assert_true (g_str_has_suffix (sohoa_page_get_image_path (last), "-2.png"));
  g_assert_true (g_file_test (sohoa_page_get_image_path (last), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (sohoa_page_get_position (last), ==, 3);
}

static void
test_transactions (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaBatch) kept = NULL;
  g_autoptr(SohoaBatch) dropped = NULL;
  g_autoptr(SohoaBatch) inner = NULL;
  int audit_before = query_int (store, "SELECT count(*) FROM audit");

  /* A rolled-back transaction leaves no batch and no audit row. */
  g_assert_true (sohoa_store_begin (store, &error));
  dropped = sohoa_store_create_batch (store, ws->operator, "ho-tich.khai-sinh", "Bỏ", &error);
  g_assert_no_error (error);
  sohoa_store_rollback (store);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM batches"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit"), ==, audit_before);

  /* Nested: the inner part is undone, the outer part is kept. */
  g_assert_true (sohoa_store_begin (store, &error));
  kept = sohoa_store_create_batch (store, ws->operator, "ho-tich.khai-sinh", "Giữ", &error);
  g_assert_true (sohoa_store_begin (store, &error));
  inner = sohoa_store_create_batch (store, ws->operator, "ho-tich.khai-sinh", "Trong", &error);
  sohoa_store_rollback (store);
  g_assert_true (sohoa_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM batches"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM batches WHERE title = 'Giữ'"), ==, 1);

  /* Foreign keys hold: a record needs a real document. */
  g_assert_cmpint (sohoa_store_ensure_record (store, 4242, "ho-tich.khai-sinh", 1, &error), ==, 0);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND);
}

static void
test_users (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaUser) user = NULL;
  g_autoptr(SohoaUser) nobody = NULL;
  g_autofree char *hash = NULL;

  user = sohoa_store_authenticate (store, "giamsat", "giamsat-pw", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sohoa_user_get_role (user), ==, SOHOA_ROLE_SUPERVISOR);
  g_assert_cmpstr (sohoa_user_get_full_name (user), ==, "Trần Văn Minh");

  nobody = sohoa_store_authenticate (store, "giamsat", "wrong", &error);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_AUTH);
  g_clear_error (&error);

  /* Sign-ins, and attempts, are in the audit log; never the password. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit WHERE action = 'user.login'"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit WHERE action = 'user.login-failed' "
                                     "AND detail = '{\"name\":\"giamsat\"}'"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit WHERE detail LIKE '%wrong%' OR detail LIKE '%giamsat-pw%'"), ==, 0);

  /* Passwords are stored as Argon2id hashes, never as given. */
  hash = query_text (store, "SELECT password_hash FROM users WHERE name = 'giamsat'");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));

  g_assert_null (sohoa_store_add_user (store, ws->operator, "x", NULL, SOHOA_ROLE_ADMIN, "long-pw", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (sohoa_store_add_user (store, ws->admin, "canbo", NULL, SOHOA_ROLE_OPERATOR, "long-pw", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sohoa_store_initialize (store, "26740", "Phường Sài Gòn", "x", NULL, "long-pw", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
}

/* An administrator resets passwords and closes accounts; users change
 * their own password knowing the present one.  Everything is audited. */
static void
test_accounts (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  gint64 canbo = sohoa_user_get_id (ws->operator);
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(SohoaUser) signed_in = NULL;
  g_autoptr(SohoaUser) refused = NULL;
  g_autoptr(SohoaUser) closed = NULL;
  g_autoptr(GError) error = NULL;

  /* Own password: the present one is asked for. */
  g_assert_false (sohoa_store_set_password (store, ws->operator, canbo, "wrong", "moi-pw-1", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_false (sohoa_store_set_password (store, ws->operator, canbo, "canbo-pw", "abc", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (sohoa_store_set_password (store, ws->operator, canbo, "canbo-pw", "moi-pw-1", &error));
  g_assert_no_error (error);
  signed_in = sohoa_store_authenticate (store, "canbo", "moi-pw-1", &error);
  g_assert_no_error (error);
  g_clear_object (&signed_in);

  /* Somebody else's: administrators only, without the present one. */
  g_assert_false (sohoa_store_set_password (store, ws->operator, sohoa_user_get_id (ws->supervisor),
                                            NULL, "moi-pw-2", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (sohoa_store_set_password (store, ws->admin, canbo, NULL, "moi-pw-3", &error));
  g_assert_no_error (error);
  refused = sohoa_store_authenticate (store, "canbo", "moi-pw-1", &error);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_AUTH);
  g_clear_error (&error);

  /* Closing: not by an operator, not one's own account. */
  g_assert_false (sohoa_store_set_user_disabled (store, ws->operator, canbo, TRUE, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (sohoa_store_set_user_disabled (store, ws->admin, sohoa_user_get_id (ws->admin), TRUE, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (sohoa_store_set_user_disabled (store, ws->admin, 9999, TRUE, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (sohoa_store_set_user_disabled (store, ws->admin, canbo, TRUE, &error));
  g_assert_no_error (error);
  closed = sohoa_store_authenticate (store, "canbo", "moi-pw-3", &error);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_AUTH);
  g_clear_error (&error);

  /* The list: closed accounts last, and only for administrators. */
  g_assert_null (sohoa_store_list_accounts (store, ws->supervisor, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  accounts = sohoa_store_list_accounts (store, ws->admin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 3);
  {
    g_autoptr(SohoaUser) last = g_list_model_get_item (accounts, 2);

    g_assert_cmpstr (sohoa_user_get_name (last), ==, "canbo");
    g_assert_true (sohoa_user_get_disabled (last));
  }

  /* Opened again, the account signs in with its last password. */
  g_assert_true (sohoa_store_set_user_disabled (store, ws->admin, canbo, FALSE, &error));
  g_assert_no_error (error);
  signed_in = sohoa_store_authenticate (store, "canbo", "moi-pw-3", &error);
  g_assert_no_error (error);

  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit WHERE action IN "
                                     "('user.password-change', 'user.password-reset', 'user.disable', 'user.enable')"),
                   ==, 4);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit WHERE detail LIKE '%moi-pw%'"), ==, 0);
  g_assert_true (sohoa_store_verify_audit (store, NULL, &error));
  g_assert_no_error (error);
}

static void
test_batch_workflow (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *png = sohoa_test_write_image (ws->dir, "p.png", "png", 5, 1);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(SohoaBatch) empty = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GError) error = NULL;
  GFile **files;
  gint64 id, record;

  empty = sohoa_store_create_batch (store, ws->operator, "ho-tich.khai-sinh", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sohoa_store_submit_batch (store, ws->operator, sohoa_batch_get_id (empty), &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_clear_error (&error);

  files = sohoa_test_files (png, NULL);
  report = import (ws, 0, files);
  sohoa_test_files_free (files);
  id = report->batch_id;

  pages = sohoa_store_list_pages (store, id, &error);
  page = g_list_model_get_item (pages, 0);
  record = sohoa_store_ensure_record (store, sohoa_page_get_document_id (page), "ho-tich.khai-sinh", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record, ==, sohoa_store_ensure_record (store, sohoa_page_get_document_id (page), "ho-tich.khai-sinh", 1, NULL));

  /* Typed text in decomposed form is stored composed (NFC). */
  g_assert_true (sohoa_store_set_field (store, ws->operator, record, "nksHoTen",
                                        "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n An", SOHOA_VALUE_FILLED, &error));
  fields = sohoa_store_get_fields (store, record, &error);
  g_assert_cmpstr (g_hash_table_lookup (fields, "nksHoTen"), ==, "Nguyễn Văn An");

  g_assert_false (sohoa_store_approve_batch (store, ws->operator, id, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (sohoa_store_approve_batch (store, ws->supervisor, id, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (sohoa_store_submit_batch (store, ws->operator, id, &error));
  g_assert_false (sohoa_store_set_field (store, ws->operator, record, "nksHoTen", "Khác", SOHOA_VALUE_FILLED, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_clear_error (&error);

  g_assert_false (sohoa_store_reject_batch (store, ws->supervisor, id, "  ", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (sohoa_store_reject_batch (store, ws->supervisor, id, "Thiếu ngày sinh", &error));
  batch = sohoa_store_get_batch (store, id, &error);
  g_assert_cmpint (sohoa_batch_get_state (batch), ==, SOHOA_BATCH_REJECTED);
  g_assert_cmpstr (sohoa_batch_get_note (batch), ==, "Thiếu ngày sinh");

  g_assert_true (sohoa_store_submit_batch (store, ws->operator, id, &error));
  g_assert_true (sohoa_store_approve_batch (store, ws->supervisor, id, &error));
  g_assert_no_error (error);
  g_assert_true (sohoa_store_refresh_batch (store, batch, &error));
  g_assert_cmpint (sohoa_batch_get_state (batch), ==, SOHOA_BATCH_APPROVED);
}

/* The supervisor's review, record by record: who may, what a returned
 * record blocks, and what an operator's correction reopens. */
static void
test_record_review (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *png1 = sohoa_test_write_image (ws->dir, "a.png", "png", 21, 1);
  g_autofree char *png2 = sohoa_test_write_image (ws->dir, "b.png", "png", 22, 1);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  gint64 id, first, second;
  GFile **files;

  files = sohoa_test_files (png1, png2, NULL);
  report = import (ws, 0, files);
  sohoa_test_files_free (files);
  id = report->batch_id;

  reviews = sohoa_store_list_reviews (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviews->len, ==, 2);
  first = sohoa_store_ensure_record (store, ((SohoaRecordReview *) reviews->pdata[0])->document_id, "ho-tich.khai-sinh", 1, &error);
  second = sohoa_store_ensure_record (store, ((SohoaRecordReview *) reviews->pdata[1])->document_id, "ho-tich.khai-sinh", 1, &error);
  g_assert_true (sohoa_store_set_field (store, ws->operator, first, "nksHoTen", "Lê Thị Hoà", SOHOA_VALUE_FILLED, &error));
  g_assert_true (sohoa_store_set_field (store, ws->operator, first, "nksHoTen", "Lê Thị Hòa", SOHOA_VALUE_FILLED, &error));
  g_assert_no_error (error);

  /* An edit is audited with the value before and after. */
  detail = query_text (store, "SELECT detail FROM audit WHERE action = 'field.edit' ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (detail, ==,
                   "{\"key\":\"nksHoTen\",\"old\":\"Lê Thị Hoà\",\"old_state\":\"filled\","
                   "\"new\":\"Lê Thị Hòa\",\"state\":\"filled\"}");

  /* Nothing is reviewed before the batch is submitted, and never by an operator. */
  g_assert_false (sohoa_store_review_record (store, ws->supervisor, first, SOHOA_REVIEW_APPROVED, NULL, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (sohoa_store_submit_batch (store, ws->operator, id, &error));
  g_assert_false (sohoa_store_review_record (store, ws->operator, first, SOHOA_REVIEW_APPROVED, NULL, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);

  /* A record goes back only with a reason, and then the batch cannot be approved. */
  g_assert_false (sohoa_store_review_record (store, ws->supervisor, second, SOHOA_REVIEW_RETURNED, " ", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (sohoa_store_review_record (store, ws->supervisor, first, SOHOA_REVIEW_APPROVED, NULL, &error));
  g_assert_true (sohoa_store_review_record (store, ws->supervisor, second, SOHOA_REVIEW_RETURNED, "Thiếu ngày sinh", &error));
  g_assert_no_error (error);
  g_assert_false (sohoa_store_approve_batch (store, ws->supervisor, id, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_clear_error (&error);

  g_clear_pointer (&reviews, g_ptr_array_unref);
  reviews = sohoa_store_list_reviews (store, id, &error);
  g_assert_cmpint (((SohoaRecordReview *) reviews->pdata[0])->state, ==, SOHOA_REVIEW_APPROVED);
  g_assert_cmpint (((SohoaRecordReview *) reviews->pdata[1])->state, ==, SOHOA_REVIEW_RETURNED);
  g_assert_cmpstr (((SohoaRecordReview *) reviews->pdata[1])->reason, ==, "Thiếu ngày sinh");

  /* The operator corrects the returned record; it waits for review again,
   * the approved one stays approved. */
  g_assert_true (sohoa_store_reject_batch (store, ws->supervisor, id, "Xem lại mục 2", &error));
  g_assert_true (sohoa_store_set_field (store, ws->operator, second, "nksNgaySinh", "02/03/1990", SOHOA_VALUE_FILLED, &error));
  g_assert_true (sohoa_store_submit_batch (store, ws->operator, id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&reviews, g_ptr_array_unref);
  reviews = sohoa_store_list_reviews (store, id, &error);
  g_assert_cmpint (((SohoaRecordReview *) reviews->pdata[0])->state, ==, SOHOA_REVIEW_APPROVED);
  g_assert_cmpint (((SohoaRecordReview *) reviews->pdata[1])->state, ==, SOHOA_REVIEW_PENDING);

  /* Approving the batch approves what was not looked at one by one. */
  g_assert_true (sohoa_store_approve_batch (store, ws->supervisor, id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&reviews, g_ptr_array_unref);
  reviews = sohoa_store_list_reviews (store, id, &error);
  g_assert_cmpint (((SohoaRecordReview *) reviews->pdata[1])->state, ==, SOHOA_REVIEW_APPROVED);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit WHERE action IN ('record.approve', 'record.return')"), ==, 2);
  g_assert_true (sohoa_store_verify_audit (store, NULL, &error));
}

static GListModel *
ordered_pages (SohoaTestWorkspace *ws,
               gint64              batch_id,
               char               *names)
{
  GListModel *pages = sohoa_store_list_pages (sohoa_context_get_store (ws->context), batch_id, NULL);

  /* One letter per page, from its source file name, in page order. */
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);

      names[i] = sohoa_page_get_source_name (page)[0];
      g_assert_cmpuint (sohoa_page_get_position (page), ==, i);
    }
  names[g_list_model_get_n_items (pages)] = '\0';
  return pages;
}

static gint64
page_id_at (GListModel *pages,
            guint       position)
{
  g_autoptr(SohoaPage) page = g_list_model_get_item (pages, position);
  return sohoa_page_get_id (page);
}

static void
test_page_order (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  const char *letters[] = { "a", "b", "c", "d", "e", "f" };
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(SohoaImportReport) again = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *pages;
  GFile **files;
  char names[16];

  for (guint i = 0; i < G_N_ELEMENTS (letters); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.png", letters[i]);
      g_ptr_array_add (paths, sohoa_test_write_image (ws->dir, name, "png", 100 + i, 1));
    }
  files = sohoa_test_files (paths->pdata[0], paths->pdata[1], paths->pdata[2],
                            paths->pdata[3], paths->pdata[4], paths->pdata[5], NULL);
  report = import (ws, 0, files);
  sohoa_test_files_free (files);

  pages = ordered_pages (ws, report->batch_id, names);
  g_assert_cmpstr (names, ==, "abcdef");

  /* A page dragged from the end to the second place. */
  g_assert_true (sohoa_store_move_page (store, ws->operator, page_id_at (pages, 5), 1, &error));
  g_assert_no_error (error);
  g_object_unref (pages);
  pages = ordered_pages (ws, report->batch_id, names);
  g_assert_cmpstr (names, ==, "afbcde");

  /* A bad scan taken out; its content can then come back, rescanned. */
  g_assert_true (sohoa_store_delete_page (store, ws->operator, page_id_at (pages, 2), &error));
  g_object_unref (pages);
  pages = ordered_pages (ws, report->batch_id, names);
  g_assert_cmpstr (names, ==, "afcde");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM documents"), ==, 5);
  files = sohoa_test_files (paths->pdata[1], NULL);
  again = import (ws, report->batch_id, files);
  sohoa_test_files_free (files);
  g_assert_cmpuint (again->n_imported, ==, 1);
  g_assert_true (sohoa_store_move_page (store, ws->operator, page_id_at (pages, 0) + 100, 0, &error) == FALSE);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_object_unref (pages);
  pages = ordered_pages (ws, report->batch_id, names);
  g_assert_cmpstr (names, ==, "afcdeb");

  /* Fronts a f c, then the stack turned over: backs b e d (reversed). */
  g_assert_true (sohoa_store_merge_duplex (store, ws->operator, report->batch_id, &error));
  g_assert_no_error (error);
  g_object_unref (pages);
  pages = ordered_pages (ws, report->batch_id, names);
  g_assert_cmpstr (names, ==, "abfecd");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM documents"), ==, 3);
  for (guint i = 0; i < 6; i += 2)
    {
      g_autoptr(SohoaPage) front = g_list_model_get_item (pages, i);
      g_autoptr(SohoaPage) back = g_list_model_get_item (pages, i + 1);
      g_assert_cmpint (sohoa_page_get_document_id (front), ==, sohoa_page_get_document_id (back));
    }

  /* An odd stack cannot be merged; a submitted batch cannot be changed. */
  g_assert_true (sohoa_store_delete_page (store, ws->operator, page_id_at (pages, 5), &error));
  g_assert_false (sohoa_store_merge_duplex (store, ws->operator, report->batch_id, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (sohoa_store_submit_batch (store, ws->operator, report->batch_id, &error));
  g_assert_false (sohoa_store_move_page (store, ws->operator, page_id_at (pages, 1), 0, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_object_unref (pages);
}

static void
test_audit_chain (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  sqlite3 *db = _sohoa_store_get_db (store);
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  batch = sohoa_store_create_batch (store, ws->operator, "ho-tich.khai-sinh", NULL, &error);
  g_assert_true (sohoa_store_verify_audit (store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);   /* admin, workspace, two users, batch */

  /* Viewing sensitive fields is logged by key, never by value. */
  {
    const char *keys[] = { "nksDanToc", NULL };
    g_autofree char *detail = NULL;

    g_assert_true (sohoa_store_log_view (store, ws->supervisor, 1, keys, &error));
    g_assert_no_error (error);
    detail = query_text (store, "SELECT action || ' ' || detail FROM audit ORDER BY id DESC LIMIT 1");
    g_assert_cmpstr (detail, ==, "record.view-sensitive {\"keys\":[\"nksDanToc\"]}");
    g_assert_true (sohoa_store_verify_audit (store, &n, &error));
    g_assert_cmpuint (n, ==, 6);
  }

  /* The log refuses edits outright ... */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET action = 'x' WHERE id = 2", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit WHERE id = 2", NULL, NULL, NULL), !=, SQLITE_OK);

  /* ... and one who removes the guard is still found out by the chain. */
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_append_only_delete", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit WHERE id = 3", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (sohoa_store_verify_audit (store, &n, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
}

/* Each way of rewriting the log behind the application's back, and the
 * first row the check must name. */
static const struct
{
  const char *name;
  const char *sql;
  const char *first_broken;
} audit_tampering[] = {
  { "edit-detail", "UPDATE audit SET detail = '{}' WHERE id = 4", "entry 4." },
  { "edit-time", "UPDATE audit SET at = '2020-01-01T00:00:00Z' WHERE id = 2", "entry 2." },
  { "edit-user-name", "UPDATE audit SET user_name = 'someone' WHERE id = 5", "entry 5." },
  { "edit-user-id", "UPDATE audit SET user_id = NULL, user_name = NULL WHERE id = 5", "entry 5." },
  { "delete-middle", "DELETE FROM audit WHERE id = 3", "entry 4." },
  { "reorder",
    "UPDATE audit SET id = -1 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 3; UPDATE audit SET id = 3 WHERE id = -1",
    "entry 2." },
};

static void
test_audit_tampering (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  sqlite3 *db = _sohoa_store_get_db (store);
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  batch = sohoa_store_create_batch (store, ws->operator, "ho-tich.khai-sinh", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sohoa_store_verify_audit (store, &n, &error));

  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TRIGGER audit_append_only_update;"
                                 "DROP TRIGGER audit_append_only_delete;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, audit_tampering[i].sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (sohoa_store_verify_audit (store, &n, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message, audit_tampering[i].first_broken));
}

typedef struct
{
  guint   n_failed;
  char   *key;
} WriterFailures;

static void
writer_failed_cb (SohoaFieldWriter *writer,
                  gint64            record_id,
                  const char       *key,
                  const GError     *error,
                  WriterFailures   *failures)
{
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  failures->n_failed++;
  g_free (failures->key);
  failures->key = g_strdup (key);
}

/* The entry form's writer thread: values land in the order they were
 * queued, NFC, with their state and source region, through a connection
 * of its own; a refused value comes back as a signal on the owner's
 * context. */
static void
test_field_writer (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *png = sohoa_test_write_image (ws->dir, "w.png", "png", 31, 1);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(SohoaFieldWriter) writer = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nfd = g_utf8_normalize ("Trần Thị Ánh", -1, G_NORMALIZE_NFD);
  SohoaStore *store = sohoa_context_get_store (ws->context);
  WriterFailures failures = { 0 };
  SohoaFieldValue *value;
  GFile **files;
  gint64 record;

  files = sohoa_test_files (png, NULL);
  report = import (ws, 0, files);
  sohoa_test_files_free (files);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  page = g_list_model_get_item (pages, 0);
  record = sohoa_store_ensure_record (store, sohoa_page_get_document_id (page), "ho-tich.khai-sinh", 1, &error);
  g_assert_no_error (error);

  writer = sohoa_field_writer_new (store, &error);
  g_assert_no_error (error);
  g_signal_connect (writer, "failed", G_CALLBACK (writer_failed_cb), &failures);

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *partial = g_utf8_substring (nfd, 0, MIN (i, (guint) g_utf8_strlen (nfd, -1)));
      sohoa_field_writer_set_field (writer, ws->operator, record, "nksHoTen", partial, SOHOA_VALUE_FILLED);
    }
  sohoa_field_writer_set_field (writer, ws->operator, record, "nksNgaySinhBangChu", "", SOHOA_VALUE_ILLEGIBLE);
  sohoa_field_writer_set_source (writer, record, "nksHoTen", sohoa_page_get_id (page), 10, 20, 300, 40);
  sohoa_field_writer_flush (writer);
  g_assert_cmpuint (sohoa_field_writer_get_n_pending (writer), ==, 0);

  values = sohoa_store_get_field_values (store, record, &error);
  g_assert_no_error (error);
  value = g_hash_table_lookup (values, "nksHoTen");
  g_assert_cmpstr (value->value, ==, "Trần Thị Ánh");
  g_assert_cmpint (value->state, ==, SOHOA_VALUE_FILLED);
  g_assert_false (value->from_ocr);
  g_assert_cmpint (value->box_page, ==, sohoa_page_get_id (page));
  g_assert_cmpint (value->box_width, ==, 300);
  value = g_hash_table_lookup (values, "nksNgaySinhBangChu");
  g_assert_cmpint (value->state, ==, SOHOA_VALUE_ILLEGIBLE);
  g_assert_cmpint (value->box_page, ==, 0);

  /* Once the batch is sent, the writer's edits are refused and said so. */
  g_assert_true (sohoa_store_submit_batch (store, ws->operator, report->batch_id, &error));
  g_assert_no_error (error);
  sohoa_field_writer_set_field (writer, ws->operator, record, "nksHoTen", "Khác", SOHOA_VALUE_FILLED);
  sohoa_field_writer_flush (writer);
  while (failures.n_failed == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (failures.n_failed, ==, 1);
  g_assert_cmpstr (failures.key, ==, "nksHoTen");
  g_free (failures.key);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/migrations/fresh", test_migrations_fresh);
  g_test_add_func ("/store/migrations/reopen-and-future", test_migrations_reopen_and_future);
  g_test_add_func ("/store/migrations/failure-rolls-back", test_migrations_failure_rolls_back);
  g_test_add_func ("/store/migrations/upgrade-keeps-data", test_migrations_upgrade_keeps_data);
  g_test_add_func ("/store/flagged-words", test_flagged_words);
  g_test_add_func ("/store/content-addressing", test_content_addressing);
  g_test_add_func ("/store/import/formats-and-bad-files", test_import_formats_and_bad_files);
  g_test_add_func ("/store/transactions", test_transactions);
  g_test_add_func ("/store/users", test_users);
  g_test_add_func ("/store/accounts", test_accounts);
  g_test_add_func ("/store/batch-workflow", test_batch_workflow);
  g_test_add_func ("/store/record-review", test_record_review);
  g_test_add_func ("/store/page-order", test_page_order);
  g_test_add_func ("/store/audit-chain", test_audit_chain);
  for (guint i = 0; i < G_N_ELEMENTS (audit_tampering); i++)
    {
      g_autofree char *path = g_strdup_printf ("/store/audit-tampering/%s", audit_tampering[i].name);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_audit_tampering);
    }

  g_test_add_func ("/store/field-writer", test_field_writer);

  return g_test_run ();
}
