/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-search"

#include "config.h"

#include "sohoa-core-private.h"
#include "sohoa-test-util.h"

typedef struct
{
  SohoaTestWorkspace *ws;
  SohoaStore         *store;
  gint64              batch_id;
  GArray             *records;    /* record id per document */
  GArray             *pages;      /* page id per document */
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GError) error = NULL;
  guint n_documents = GPOINTER_TO_UINT (data);
  GFile **files;

  fx->ws = sohoa_test_workspace_new ();
  fx->store = sohoa_context_get_store (fx->ws->context);
  fx->records = g_array_new (FALSE, FALSE, sizeof (gint64));
  fx->pages = g_array_new (FALSE, FALSE, sizeof (gint64));

  files = g_new0 (GFile *, n_documents + 1);
  for (guint i = 0; i < n_documents; i++)
    {
      g_autofree char *name = g_strdup_printf ("page-%u", i);
      g_autofree char *path = sohoa_test_write_image (fx->ws->dir, name, "png", 900 + i, 1);
      files[i] = g_file_new_for_path (path);
    }
  report = sohoa_import_files (fx->ws->context, 0, "ho-tich.khai-sinh", files, n_documents, NULL, &error);
  g_assert_no_error (error);
  sohoa_test_files_free (files);
  fx->batch_id = report->batch_id;

  pages = sohoa_store_list_pages (fx->store, fx->batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, n_documents);
  for (guint i = 0; i < n_documents; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      gint64 page_id = sohoa_page_get_id (page);
      gint64 record = sohoa_store_ensure_record (fx->store, sohoa_page_get_document_id (page), "ho-tich.khai-sinh", 1, &error);

      g_assert_no_error (error);
      g_array_append_val (fx->records, record);
      g_array_append_val (fx->pages, page_id);
    }
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_array_unref (fx->records);
  g_array_unref (fx->pages);
  sohoa_test_workspace_free (fx->ws);
}

static void
set (Fixture    *fx,
     guint       document,
     const char *key,
     const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sohoa_store_set_field (fx->store, fx->ws->operator, g_array_index (fx->records, gint64, document),
                                        key, value, SOHOA_VALUE_FILLED, &error));
  g_assert_no_error (error);
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* The documents (counting from 0) found for @query, as "0,2" */
static char *
found (Fixture    *fx,
       const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) hits = sohoa_store_search (fx->store, query, 0, &error);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) documents = g_array_new (FALSE, FALSE, sizeof (guint));

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  for (guint i = 0; i < g_list_model_get_n_items (hits); i++)
    {
      g_autoptr(SohoaSearchHit) hit = g_list_model_get_item (hits, i);
      gint64 record = sohoa_search_hit_get_record_id (hit);

      for (guint d = 0; d < fx->records->len; d++)
        if (g_array_index (fx->records, gint64, d) == record)
          g_array_append_val (documents, d);
      g_assert_cmpint (sohoa_search_hit_get_batch_id (hit), ==, fx->batch_id);
    }
  g_array_sort (documents, compare_uint);
  for (guint i = 0; i < documents->len; i++)
    g_string_append_printf (out, "%s%u", i ? "," : "", g_array_index (documents, guint, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_found(fx, query, expected) \
  G_STMT_START { \
    g_autofree char *got_ = found (fx, query); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

static void
test_match_syntax (void)
{
  g_autofree char *match = sohoa_search_build_match ("  Nguyễn  \"Văn\" AN* OR (hoà) ");
  g_autofree char *dd = sohoa_search_build_match ("Đặng");
  g_autofree char *nothing = sohoa_search_build_match (" \"*() -^: ");

  g_assert_cmpstr (match, ==, "\"nguyen\"* \"van\"* \"an\"* \"or\"* \"hoa\"*");
  g_assert_cmpstr (dd, ==, "\"dang\"*");
  g_assert_null (nothing);
}

static void
test_folding (Fixture       *fx,
              gconstpointer  data)
{
  set (fx, 0, "nksHoTen", "Nguyễn Văn An");
  set (fx, 1, "nksHoTen", "Trần Thị Hoà");       /* old tone placement */
  set (fx, 2, "nksHoTen", "Lê Văn Hòa");         /* new tone placement */
  set (fx, 3, "nksHoTen", "Đặng Thị Mai");
  set (fx, 3, "meHoTen", "Nguyễn Thị Anh");

  assert_found (fx, "nguyen van an", "0");
  assert_found (fx, "Nguyễn Văn An", "0");
  assert_found (fx, "NGUYEN", "0,3");
  assert_found (fx, "ng v a", "0");             /* prefixes */
  assert_found (fx, "an", "0,3");                /* An, Anh */
  assert_found (fx, "hoa", "1,2");
  assert_found (fx, "hoà", "1,2");
  assert_found (fx, "hòa", "1,2");
  assert_found (fx, "tran hoa", "1");
  assert_found (fx, "dang", "3");
  assert_found (fx, "Đặng", "3");
  assert_found (fx, "mai anh", "3");             /* words from two fields of one record */
  assert_found (fx, "nguyen hoa", "");
  assert_found (fx, "", "");

  /* Decomposed input (as some keyboards send it) folds the same. */
  assert_found (fx, "Nguye\xcc\x82\xcc\x83n", "0,3");
}

static void
test_hit_details (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) hits = NULL;
  g_autoptr(SohoaSearchHit) hit = NULL;
  g_autoptr(SohoaBatch) batch = sohoa_store_get_batch (fx->store, fx->batch_id, NULL);

  set (fx, 1, "meHoTen", "Phạm Thị Lan");
  set (fx, 1, "nksHoTen", "Võ Minh Khang");
  set (fx, 1, "nksNgaySinh", "12/03/2015");

  hits = sohoa_store_search (fx->store, "lan 2015", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);
  hit = g_list_model_get_item (hits, 0);
  g_assert_cmpint (sohoa_search_hit_get_record_id (hit), ==, g_array_index (fx->records, gint64, 1));
  g_assert_cmpuint (sohoa_search_hit_get_document_number (hit), ==, 2);
  g_assert_cmpstr (sohoa_search_hit_get_title (hit), ==, "Võ Minh Khang");   /* the child's name */
  g_assert_cmpstr (sohoa_search_hit_get_schema_id (hit), ==, "ho-tich.khai-sinh");
  g_assert_cmpstr (sohoa_search_hit_get_batch_title (hit), ==, sohoa_batch_get_title (batch));
  g_assert_cmpint (sohoa_search_hit_get_document_id (hit), >, 0);

  assert_found (fx, "12/03/2015", "1");
  assert_found (fx, "12 03 2015", "1");
}

static void
test_updates (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  set (fx, 0, "nksHoTen", "Nguyễn Văn An");
  set (fx, 1, "nksHoTen", "Bùi Văn Bình");
  assert_found (fx, "an", "0");

  /* A corrected value replaces the old one in the index. */
  set (fx, 0, "nksHoTen", "Nguyễn Văn Tâm");
  assert_found (fx, "an", "");
  assert_found (fx, "tam", "0");

  /* Emptied: no longer found. */
  set (fx, 0, "nksHoTen", "");
  assert_found (fx, "nguyen", "");

  /* A deleted document takes its record out of the index. */
  assert_found (fx, "binh", "1");
  g_assert_true (sohoa_store_delete_page (fx->store, fx->ws->operator, g_array_index (fx->pages, gint64, 1), &error));
  g_assert_no_error (error);
  assert_found (fx, "binh", "");
}

static void
test_sensitive (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaSchema) schema = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *json =
    "{\"id\":\"khai-tu\",\"version\":1,\"title\":\"Death\",\"fields\":["
    "{\"key\":\"hoTen\",\"label\":\"Name\",\"type\":\"person-name\"},"
    "{\"key\":\"nguyenNhan\",\"label\":\"Cause\",\"type\":\"text\",\"sensitive\":true}]}";
  sqlite3_stmt *stmt = NULL;

  /* khai-sinh marks ethnicity sensitive; a code field is not indexed either. */
  set (fx, 0, "nksHoTen", "Lò Văn Páo");
  set (fx, 0, "nksDanToc", "Thái");
  set (fx, 0, "ghiChu", "Thái Bình");
  assert_found (fx, "pao", "0");
  assert_found (fx, "thai binh", "0");
  assert_found (fx, "thai pao", "0");     /* through ghiChu, not the ethnicity */

  set (fx, 0, "ghiChu", "");
  assert_found (fx, "thai", "");

  /* A free-text sensitive field (cause of death) is neither searchable nor
   * stored in the index, even folded. */
  schema = sohoa_schema_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (sohoa_store_register_search_fields (fx->store, schema, &error));
  g_assert_no_error (error);
  {
    gint64 record = g_array_index (fx->records, gint64, 2);
    g_assert_cmpint (sqlite3_prepare_v2 (_sohoa_store_get_db (fx->store),
                                         "UPDATE records SET schema_id = 'khai-tu' WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_int64 (stmt, 1, record);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
  }
  set (fx, 2, "hoTen", "Hồ Văn Tư");
  set (fx, 2, "nguyenNhan", "Tai nạn giao thông");
  assert_found (fx, "tu", "2");
  assert_found (fx, "tai nan", "");
  g_assert_cmpint (sqlite3_prepare_v2 (_sohoa_store_get_db (fx->store),
                                       "SELECT count (*) FROM search_index WHERE body LIKE '%giao%'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
}

static void
test_injection (Fixture       *fx,
                gconstpointer  data)
{
  static const char * const queries[] = {
    "\"", "\"\"", "*", "an*", "NEAR(an van)", "an OR van", "an AND NOT van", "-an", "^an",
    "nksHoTen:an", "body:an", "(an", "an)", "{body}: an", "'; DROP TABLE records; --", "a\"b",
    "%", "_", "\\", "+", "an + van", "\xe2\x80\x8b", "\xff\xfe",
  };

  set (fx, 0, "nksHoTen", "Nguyễn Văn An");
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) hits = sohoa_store_search (fx->store, queries[i], 5, &error);

      g_assert_no_error (error);
      g_assert_nonnull (hits);
    }
  assert_found (fx, "(an) \"van\" nguyen*", "0");
  assert_found (fx, "an AND NOT van", "");   /* "not" is a word like any other */
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GListModel **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = sohoa_store_search_finish (SOHOA_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GListModel) hits = NULL;

  set (fx, 0, "nksHoTen", "Nguyễn Văn An");
  sohoa_store_search_async (fx->store, "nguyen", 0, NULL, search_done_cb, &hits);
  while (hits == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);
}

static void
test_reopen_registers_existing (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autoptr(GError) error = NULL;
  SohoaStore *store = sohoa_context_get_store (ws->context);
  sqlite3_stmt *stmt = NULL;

  /* Every built-in schema is registered when the workspace opens, and its
   * sensitive fields are left out. */
  g_assert_cmpint (sqlite3_prepare_v2 (_sohoa_store_get_db (store),
                                       "SELECT count (*), sum (key = 'nksHoTen'), sum (key = 'nksDanToc') "
                                       "FROM search_fields WHERE schema_id = 'ho-tich.khai-sinh'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), >, 10);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 0);
  sqlite3_finalize (stmt);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/match-syntax", test_match_syntax);
  g_test_add_func ("/search/registered", test_reopen_registers_existing);
  g_test_add ("/search/folding", Fixture, GUINT_TO_POINTER (4), fixture_set_up, test_folding, fixture_tear_down);
  g_test_add ("/search/hit-details", Fixture, GUINT_TO_POINTER (2), fixture_set_up, test_hit_details, fixture_tear_down);
  g_test_add ("/search/updates", Fixture, GUINT_TO_POINTER (2), fixture_set_up, test_updates, fixture_tear_down);
  g_test_add ("/search/sensitive", Fixture, GUINT_TO_POINTER (3), fixture_set_up, test_sensitive, fixture_tear_down);
  g_test_add ("/search/injection", Fixture, GUINT_TO_POINTER (1), fixture_set_up, test_injection, fixture_tear_down);
  g_test_add ("/search/async", Fixture, GUINT_TO_POINTER (1), fixture_set_up, test_async, fixture_tear_down);

  return g_test_run ();
}
