/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-keying-policy"

/* The workspace's rule on which forms are keyed twice: a supervisor's
 * decision, audited, and what the core goes by. */

#include "config.h"

#include "sohoa-core-private.h"
#include "sohoa-test-util.h"

static guint
count_audit (SohoaStore *store,
             const char *action)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_sohoa_store_get_db (store), "SELECT count (*) FROM audit WHERE action = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return (guint) sqlite3_column_int (stmt, 0);
}

static gboolean
required (SohoaStore  *store,
          SohoaSchema *schema,
          gboolean    *overridden)
{
  g_autoptr(GError) error = NULL;
  gboolean value = FALSE;

  g_assert_true (sohoa_store_get_double_keying (store, schema, &value, overridden, &error));
  g_assert_no_error (error);
  return value;
}

static void
test_policy (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  SohoaSchema *birth = sohoa_context_lookup_schema (ws->context, "ho-tich.khai-sinh");
  SohoaSchema *file = sohoa_context_lookup_schema (ws->context, "luu-tru.ho-so");
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(SohoaUser) second = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *image = sohoa_test_write_image (ws->dir, "a", "png", 601, 1);
  g_autofree char *detail = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GFile **files = sohoa_test_files (image, NULL);
  gboolean overridden = TRUE;
  gint64 record_id;
  guint n_rows;

  /* By default each form follows its schema. */
  g_assert_true (required (store, birth, &overridden));
  g_assert_false (overridden);
  g_assert_false (required (store, file, NULL));
  fields = sohoa_store_double_keying_fields (store, file, &error);
  g_assert_cmpuint (fields->len, ==, 0);
  g_clear_pointer (&fields, g_ptr_array_unref);

  /* An operator cannot change the rule; nothing is written. */
  g_assert_false (sohoa_store_set_double_keying (store, ws->operator, birth, FALSE, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (sohoa_store_set_double_keying (store, NULL, birth, FALSE, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (required (store, birth, NULL));
  g_assert_cmpuint (count_audit (store, "workspace.double-keying"), ==, 0);

  /* A supervisor turns it off for birth extracts: audited, and the core
   * no longer takes second keyings of them. */
  g_assert_true (sohoa_store_set_double_keying (store, ws->supervisor, birth, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (required (store, birth, &overridden));
  g_assert_true (overridden);
  g_assert_cmpuint (count_audit (store, "workspace.double-keying"), ==, 1);
  g_assert_cmpint (sqlite3_prepare_v2 (_sohoa_store_get_db (store),
                                       "SELECT detail, user_id FROM audit WHERE action = 'workspace.double-keying'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "{\"schema\":\"ho-tich.khai-sinh\",\"required\":false}");
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, sohoa_user_get_id (ws->supervisor));
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Setting what is already the rule writes nothing. */
  g_assert_true (sohoa_store_set_double_keying (store, ws->supervisor, birth, FALSE, &error));
  g_assert_cmpuint (count_audit (store, "workspace.double-keying"), ==, 1);

  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 1, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  page = g_list_model_get_item (pages, 0);
  record_id = sohoa_store_ensure_record (store, sohoa_page_get_document_id (page), "ho-tich.khai-sinh", 1, &error);
  g_assert_no_error (error);
  second = sohoa_store_add_user (store, ws->admin, "canbo2", "Lê Thị Hồng", SOHOA_ROLE_OPERATOR, "canbo2-pw", &error);
  g_assert_no_error (error);

  fields = sohoa_store_double_keying_fields (store, birth, &error);
  g_assert_cmpuint (fields->len, ==, 0);
  g_clear_pointer (&fields, g_ptr_array_unref);
  g_assert_false (sohoa_store_set_second_field (store, second, birth, record_id, "so", "12", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_clear_error (&error);

  /* An administrator turns it back on: the same fields as the schema's. */
  g_assert_true (sohoa_store_set_double_keying (store, ws->admin, birth, TRUE, &error));
  g_assert_no_error (error);
  fields = sohoa_store_double_keying_fields (store, birth, &error);
  g_assert_cmpuint (fields->len, >, 0);
  {
    g_autoptr(GPtrArray) schema_fields = sohoa_double_keying_fields (birth);

    g_assert_cmpuint (fields->len, ==, schema_fields->len);
    g_assert_cmpstr (((SohoaSchemaField *) g_ptr_array_index (fields, 0))->key, ==, "so");
  }
  g_assert_true (sohoa_store_set_second_field (store, second, birth, record_id, "so", "12", &error));
  g_assert_no_error (error);
  g_clear_pointer (&fields, g_ptr_array_unref);

  /* And on for a form whose schema does not ask: its critical fields. */
  g_assert_true (sohoa_store_set_double_keying (store, ws->supervisor, file, TRUE, &error));
  fields = sohoa_store_double_keying_fields (store, file, &error);
  g_assert_cmpuint (fields->len, >, 0);
  for (guint i = 0; i < fields->len; i++)
    g_assert_true (((SohoaSchemaField *) g_ptr_array_index (fields, i))->critical);

  g_assert_cmpuint (count_audit (store, "workspace.double-keying"), ==, 3);
  g_assert_true (sohoa_store_verify_audit (store, &n_rows, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keying-policy/policy", test_policy);

  return g_test_run ();
}
