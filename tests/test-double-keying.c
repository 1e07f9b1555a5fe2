/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-double-keying"

#include "config.h"

#include "sohoa-core-private.h"
#include "sohoa-test-util.h"

typedef struct
{
  SohoaTestWorkspace *ws;
  SohoaStore         *store;
  SohoaSchema        *schema;
  SohoaUser          *second;     /* another operator, the second keyer */
  SohoaUser          *third;      /* an operator who keyed nothing */
  gint64              batch_id;
  gint64              records[2];
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  GFile **files;

  fx->ws = sohoa_test_workspace_new ();
  fx->store = sohoa_context_get_store (fx->ws->context);
  fx->schema = sohoa_context_lookup_schema (fx->ws->context, "ho-tich.khai-sinh");
  g_assert_nonnull (fx->schema);
  g_assert_true (sohoa_schema_get_double_keying (fx->schema));

  fx->second = sohoa_store_add_user (fx->store, fx->ws->admin, "canbo2", "Lê Thị Hồng", SOHOA_ROLE_OPERATOR, "canbo2-pw", &error);
  g_assert_no_error (error);
  fx->third = sohoa_store_add_user (fx->store, fx->ws->admin, "canbo3", "Phạm Văn Tú", SOHOA_ROLE_OPERATOR, "canbo3-pw", &error);
  g_assert_no_error (error);

  a = sohoa_test_write_image (fx->ws->dir, "a", "png", 501, 1);
  b = sohoa_test_write_image (fx->ws->dir, "b", "png", 502, 1);
  files = sohoa_test_files (a, b, NULL);
  report = sohoa_import_files (fx->ws->context, 0, "ho-tich.khai-sinh", files, 2, NULL, &error);
  g_assert_no_error (error);
  sohoa_test_files_free (files);
  fx->batch_id = report->batch_id;

  pages = sohoa_store_list_pages (fx->store, fx->batch_id, &error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);

      fx->records[i] = sohoa_store_ensure_record (fx->store, sohoa_page_get_document_id (page), "ho-tich.khai-sinh", 1, &error);
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_object (&fx->second);
  g_clear_object (&fx->third);
  sohoa_test_workspace_free (fx->ws);
}

static void
key1 (Fixture    *fx,
      guint       record,
      const char *key,
      const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sohoa_store_set_field (fx->store, fx->ws->operator, fx->records[record], key, value,
                                        SOHOA_VALUE_FILLED, &error));
  g_assert_no_error (error);
}

static void
key2 (Fixture    *fx,
      guint       record,
      const char *key,
      const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sohoa_store_set_second_field (fx->store, fx->second, fx->schema, fx->records[record], key, value, &error));
  g_assert_no_error (error);
}

static guint
count_audit (Fixture    *fx,
             const char *action)
{
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_prepare_v2 (_sohoa_store_get_db (fx->store), "SELECT count (*) FROM audit WHERE action = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_agree (void)
{
  g_assert_true (sohoa_keyed_values_agree ("Nguyễn Văn An", " Nguye\xcc\x82\xcc\x83n Va\xcc\x86n An\t"));
  g_assert_true (sohoa_keyed_values_agree ("", NULL));
  g_assert_false (sohoa_keyed_values_agree ("Nguyễn Văn An", "Nguyễn Văn Ân"));
  g_assert_false (sohoa_keyed_values_agree ("Hoà", "Hòa"));    /* the register's spelling is kept as written */
  g_assert_false (sohoa_keyed_values_agree ("Nguyễn Văn An", "Nguyễn  Văn An"));
}

static void
test_fields (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) fields = sohoa_double_keying_fields (fx->schema);
  gboolean has_name = FALSE;

  g_assert_cmpuint (fields->len, >, 3);
  for (guint i = 0; i < fields->len; i++)
    {
      const SohoaSchemaField *field = g_ptr_array_index (fields, i);

      g_assert_true (field->critical);
      has_name |= g_str_equal (field->key, "nksHoTen");
    }
  g_assert_true (has_name);
}

static void
test_same_user_refused (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  key1 (fx, 0, "nksHoTen", "Nguyễn Văn An");
  g_assert_false (sohoa_store_set_second_field (fx->store, fx->ws->operator, fx->schema, fx->records[0],
                                                "nksHoTen", "Nguyễn Văn An", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);

  /* Only critical fields of a double-keyed form are keyed twice. */
  g_assert_false (sohoa_store_set_second_field (fx->store, fx->second, fx->schema, fx->records[0],
                                                "ghiChu", "x", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_clear_error (&error);

  key2 (fx, 0, "nksHoTen", "Nguyễn Văn An");
  g_assert_cmpuint (count_audit (fx, "field.key-again"), ==, 1);
}

static void
test_blind (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) mine = NULL;
  g_autoptr(GHashTable) others = NULL;
  g_autoptr(GPtrArray) seen_by_second = NULL;
  g_autoptr(GPtrArray) seen_by_first = NULL;
  g_autoptr(GPtrArray) seen_by_third = NULL;
  SohoaMismatch *mismatch;

  key1 (fx, 0, "nksHoTen", "Nguyễn Văn An");
  key1 (fx, 0, "so", "12");

  /* The blind form gets back only what the second keyer typed. */
  mine = sohoa_store_get_second_fields (fx->store, fx->second, fx->records[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (mine), ==, 0);
  g_clear_pointer (&mine, g_hash_table_unref);

  key2 (fx, 0, "nksHoTen", "Nguyễn Văn Ân");
  mine = sohoa_store_get_second_fields (fx->store, fx->second, fx->records[0], &error);
  g_assert_cmpuint (g_hash_table_size (mine), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (mine, "nksHoTen"), ==, "Nguyễn Văn Ân");
  others = sohoa_store_get_second_fields (fx->store, fx->ws->operator, fx->records[0], &error);
  g_assert_cmpuint (g_hash_table_size (others), ==, 0);

  /* Neither keyer learns the other's value from the list of mismatches. */
  seen_by_second = sohoa_store_list_mismatches (fx->store, fx->second, fx->batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen_by_second->len, ==, 1);
  mismatch = g_ptr_array_index (seen_by_second, 0);
  g_assert_cmpstr (mismatch->key, ==, "nksHoTen");
  g_assert_null (mismatch->first_value);
  g_assert_null (mismatch->second_value);

  seen_by_first = sohoa_store_list_mismatches (fx->store, fx->ws->operator, fx->batch_id, &error);
  g_assert_null (((SohoaMismatch *) g_ptr_array_index (seen_by_first, 0))->second_value);

  seen_by_third = sohoa_store_list_mismatches (fx->store, fx->third, fx->batch_id, &error);
  mismatch = g_ptr_array_index (seen_by_third, 0);
  g_assert_cmpstr (mismatch->first_value, ==, "Nguyễn Văn An");
  g_assert_cmpstr (mismatch->second_value, ==, "Nguyễn Văn Ân");
  g_assert_cmpuint (mismatch->document_number, ==, 1);
  g_assert_cmpint (mismatch->first_by, ==, sohoa_user_get_id (fx->ws->operator));
  g_assert_cmpint (mismatch->second_by, ==, sohoa_user_get_id (fx->second));
}

static void
test_mismatch_blocks_submit (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  guint n_rows;

  key1 (fx, 0, "nksHoTen", "Nguyễn Văn An");
  key1 (fx, 0, "nksNgaySinh", "01/02/2020");
  key1 (fx, 1, "nksHoTen", "Trần Thị Mai");
  key1 (fx, 1, "so", "7");

  /* Agreement after NFC and trimming is no mismatch. */
  key2 (fx, 0, "nksHoTen", "  Nguye\xcc\x82\xcc\x83n Văn An ");
  key2 (fx, 0, "nksNgaySinh", "01/02/2021");
  key2 (fx, 1, "nksHoTen", "Trần Thị Mai");
  key2 (fx, 1, "so", "1");

  mismatches = sohoa_store_list_mismatches (fx->store, fx->third, fx->batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mismatches->len, ==, 2);
  g_assert_cmpstr (((SohoaMismatch *) g_ptr_array_index (mismatches, 0))->key, ==, "nksNgaySinh");
  g_assert_cmpint (((SohoaMismatch *) g_ptr_array_index (mismatches, 0))->record_id, ==, fx->records[0]);
  g_assert_cmpstr (((SohoaMismatch *) g_ptr_array_index (mismatches, 1))->key, ==, "so");
  g_assert_cmpuint (((SohoaMismatch *) g_ptr_array_index (mismatches, 1))->document_number, ==, 2);

  g_assert_false (sohoa_store_submit_batch (fx->store, fx->ws->operator, fx->batch_id, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "2 records"));
  g_clear_error (&error);
  batch = sohoa_store_get_batch (fx->store, fx->batch_id, &error);
  g_assert_cmpint (sohoa_batch_get_state (batch), ==, SOHOA_BATCH_OPEN);

  /* The keyers cannot decide; a third clerk or a supervisor can. */
  g_assert_false (sohoa_store_arbitrate (fx->store, fx->second, fx->records[0], "nksNgaySinh",
                                         SOHOA_ARBITRATE_SECOND, NULL, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (sohoa_store_arbitrate (fx->store, fx->ws->operator, fx->records[0], "nksNgaySinh",
                                         SOHOA_ARBITRATE_FIRST, NULL, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  /* Nothing to decide where they agree. */
  g_assert_false (sohoa_store_arbitrate (fx->store, fx->third, fx->records[0], "nksHoTen",
                                         SOHOA_ARBITRATE_FIRST, NULL, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (sohoa_store_arbitrate (fx->store, fx->third, fx->records[0], "nksNgaySinh",
                                        SOHOA_ARBITRATE_SECOND, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sohoa_store_arbitrate (fx->store, fx->ws->supervisor, fx->records[1], "so",
                                        SOHOA_ARBITRATE_OTHER, " 17 ", &error));
  g_assert_no_error (error);

  fields = sohoa_store_get_fields (fx->store, fx->records[0], &error);
  g_assert_cmpstr (g_hash_table_lookup (fields, "nksNgaySinh"), ==, "01/02/2021");
  g_clear_pointer (&fields, g_hash_table_unref);
  fields = sohoa_store_get_fields (fx->store, fx->records[1], &error);
  g_assert_cmpstr (g_hash_table_lookup (fields, "so"), ==, "17");

  g_clear_pointer (&mismatches, g_ptr_array_unref);
  mismatches = sohoa_store_list_mismatches (fx->store, fx->third, fx->batch_id, &error);
  g_assert_cmpuint (mismatches->len, ==, 0);

  /* Audited, without the values, and the chain holds. */
  g_assert_cmpuint (count_audit (fx, "field.arbitrate"), ==, 2);
  g_assert_true (sohoa_store_verify_audit (fx->store, &n_rows, &error));
  g_assert_no_error (error);

  g_assert_true (sohoa_store_submit_batch (fx->store, fx->ws->operator, fx->batch_id, &error));
  g_assert_no_error (error);
}

static void
test_settled_reopens (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;

  key1 (fx, 0, "nksHoTen", "Nguyễn Văn An");
  key2 (fx, 0, "nksHoTen", "Nguyễn Văn Ân");
  g_assert_true (sohoa_store_arbitrate (fx->store, fx->third, fx->records[0], "nksHoTen",
                                        SOHOA_ARBITRATE_FIRST, NULL, &error));

  /* The search index follows the arbitrated value. */
  {
    g_autoptr(GListModel) hits = sohoa_store_search (fx->store, "nguyen van an", 0, &error);
    g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);
  }

  /* Someone changes the settled value: the disagreement is back. */
  key1 (fx, 0, "nksHoTen", "Nguyễn Văn Anh");
  mismatches = sohoa_store_list_mismatches (fx->store, fx->third, fx->batch_id, &error);
  g_assert_cmpuint (mismatches->len, ==, 1);
  g_clear_pointer (&mismatches, g_ptr_array_unref);

  /* Keying the second value again to agree settles it. */
  key2 (fx, 0, "nksHoTen", "Nguyễn Văn Anh");
  mismatches = sohoa_store_list_mismatches (fx->store, fx->third, fx->batch_id, &error);
  g_assert_cmpuint (mismatches->len, ==, 0);
}

static void
test_submitted_is_frozen (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  key1 (fx, 0, "nksHoTen", "Nguyễn Văn An");
  g_assert_true (sohoa_store_submit_batch (fx->store, fx->ws->operator, fx->batch_id, &error));
  g_assert_false (sohoa_store_set_second_field (fx->store, fx->second, fx->schema, fx->records[0],
                                                "nksHoTen", "X", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
}

static void
test_schema_flag (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaSchema) off = sohoa_schema_new_from_data (
    "{\"id\":\"x\",\"version\":1,\"title\":\"X\",\"fields\":[{\"key\":\"a\",\"label\":\"A\",\"type\":\"text\",\"critical\":true}]}",
    -1, &error);
  g_autoptr(SohoaSchema) bad = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  g_assert_no_error (error);
  g_assert_false (sohoa_schema_get_double_keying (off));
  fields = sohoa_double_keying_fields (off);
  g_assert_cmpuint (fields->len, ==, 0);

  bad = sohoa_schema_new_from_data (
    "{\"id\":\"x\",\"version\":1,\"title\":\"X\",\"double_keying\":\"yes\",\"fields\":[{\"key\":\"a\",\"label\":\"A\",\"type\":\"text\"}]}",
    -1, &error);
  g_assert_null (bad);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/double-keying/agree", test_agree);
  g_test_add_func ("/double-keying/schema-flag", test_schema_flag);
  g_test_add ("/double-keying/fields", Fixture, NULL, fixture_set_up, test_fields, fixture_tear_down);
  g_test_add ("/double-keying/same-user-refused", Fixture, NULL, fixture_set_up, test_same_user_refused, fixture_tear_down);
  g_test_add ("/double-keying/blind", Fixture, NULL, fixture_set_up, test_blind, fixture_tear_down);
  g_test_add ("/double-keying/mismatch-blocks-submit", Fixture, NULL, fixture_set_up, test_mismatch_blocks_submit, fixture_tear_down);
  g_test_add ("/double-keying/settled-reopens", Fixture, NULL, fixture_set_up, test_settled_reopens, fixture_tear_down);
  g_test_add ("/double-keying/submitted-is-frozen", Fixture, NULL, fixture_set_up, test_submitted_is_frozen, fixture_tear_down);

  return g_test_run ();
}
