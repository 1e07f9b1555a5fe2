/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-register"

#include "config.h"

#include "sohoa-test-util.h"

#include <string.h>

static SohoaRegisterEntry *
entry (guint       position,
       const char *book,
       int         year,
       gint64      number)
{
  SohoaRegisterEntry *e = g_new0 (SohoaRegisterEntry, 1);

  e->record_id = position;
  e->position = position;
  e->book = g_strdup (book);
  e->year = year;
  e->number = number;
  return e;
}

/* Numbers restart each year and run per book: 1 in 2025 and 1 in 2026 are
 * not a repeat, nor are book 01's and book 02's 5. */
static void
test_check_entries (void)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_register_entry_free);
  g_autoptr(GPtrArray) issues = NULL;
  const SohoaRegisterIssue *issue;
  g_autofree char *line = NULL;

  g_ptr_array_add (entries, entry (1, "01", 2025, 1));
  g_ptr_array_add (entries, entry (2, "01", 2025, 2));
  g_ptr_array_add (entries, entry (3, "01", 2025, 5));     /* 3, 4 missing */
  g_ptr_array_add (entries, entry (4, "01", 2025, 6));
  g_ptr_array_add (entries, entry (5, "01", 2025, 6));     /* repeat */
  g_ptr_array_add (entries, entry (9, "01", 2025, 6));     /* and again */
  g_ptr_array_add (entries, entry (6, "01", 2025, 8));     /* 7 missing */
  g_ptr_array_add (entries, entry (7, "01", 2026, 1));     /* a new year */
  g_ptr_array_add (entries, entry (8, "01", 2026, 2));
  g_ptr_array_add (entries, entry (10, "02", 2025, 5));    /* another book */
  g_ptr_array_add (entries, entry (11, "02", 2025, 6));

  issues = sohoa_register_check (entries);
  g_assert_cmpuint (issues->len, ==, 3);

  issue = g_ptr_array_index (issues, 0);
  g_assert_cmpint (issue->kind, ==, SOHOA_REGISTER_GAP);
  g_assert_cmpstr (issue->book, ==, "01");
  g_assert_cmpint (issue->year, ==, 2025);
  g_assert_cmpint (issue->first, ==, 3);
  g_assert_cmpint (issue->last, ==, 4);
  line = sohoa_register_issue_describe (issue);
  g_assert_cmpstr (line, ==, "Book 01, year 2025: numbers 3 to 4 are missing");
  g_clear_pointer (&line, g_free);

  issue = g_ptr_array_index (issues, 1);
  g_assert_cmpint (issue->kind, ==, SOHOA_REGISTER_DUPLICATE);
  g_assert_cmpint (issue->first, ==, 6);
  g_assert_cmpuint (issue->positions->len, ==, 3);
  line = sohoa_register_issue_describe (issue);
  g_assert_cmpstr (line, ==, "Book 01, year 2025: number 6 is used 3 times (documents 4, 5, 9)");
  g_clear_pointer (&line, g_free);

  issue = g_ptr_array_index (issues, 2);
  g_assert_cmpint (issue->kind, ==, SOHOA_REGISTER_GAP);
  g_assert_cmpint (issue->first, ==, 7);
  g_assert_cmpint (issue->last, ==, 7);
  line = sohoa_register_issue_describe (issue);
  g_assert_cmpstr (line, ==, "Book 01, year 2025: number 7 is missing");
}

/* The same check on the records keyed in a batch of the store. */
static void
test_check_batch (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(GError) error = NULL;
  static const struct { const char *so, *book, *date; } keyed[] = {
    { "1", "03", "02/01/2024" },
    { "2", "03", "05/01/2024" },
    { "2", "03", "05/01/2024" },     /* keyed twice */
    { "5", "03", "10/01/2024" },     /* 3 and 4 not here */
    { "1", "03", "03/01/2025" },     /* the next year starts again */
    { "", "03", "04/01/2025" },      /* not keyed yet */
  };
  guint n_skipped = 0;

  for (guint i = 0; i < G_N_ELEMENTS (keyed); i++)
    {
      g_autofree char *name = g_strdup_printf ("p%u.png", i);

      g_ptr_array_add (paths, sohoa_test_write_image (ws->dir, name, "png", 300 + i, 1));
      g_ptr_array_add (files, g_file_new_for_path (g_ptr_array_index (paths, i)));
    }
  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", (GFile **) files->pdata, files->len, NULL, &error);
  g_assert_no_error (error);

  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, G_N_ELEMENTS (keyed));
  for (guint i = 0; i < G_N_ELEMENTS (keyed); i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      gint64 record = sohoa_store_ensure_record (store, sohoa_page_get_document_id (page), "ho-tich.khai-sinh", 1, &error);

      g_assert_no_error (error);
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "so", keyed[i].so, SOHOA_VALUE_FILLED, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "quyenSo", keyed[i].book, SOHOA_VALUE_FILLED, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "ngayDangKy", keyed[i].date, SOHOA_VALUE_FILLED, &error));
    }

  issues = sohoa_register_check_batch (store, report->batch_id, &n_skipped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_skipped, ==, 1);
  g_assert_cmpuint (issues->len, ==, 2);
  g_assert_cmpint (((SohoaRegisterIssue *) g_ptr_array_index (issues, 0))->kind, ==, SOHOA_REGISTER_DUPLICATE);
  g_assert_cmpuint (g_array_index (((SohoaRegisterIssue *) g_ptr_array_index (issues, 0))->positions, guint, 1), ==, 3);
  g_assert_cmpint (((SohoaRegisterIssue *) g_ptr_array_index (issues, 1))->kind, ==, SOHOA_REGISTER_GAP);
  g_assert_cmpint (((SohoaRegisterIssue *) g_ptr_array_index (issues, 1))->first, ==, 3);
  g_assert_cmpint (((SohoaRegisterIssue *) g_ptr_array_index (issues, 1))->last, ==, 4);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/register/check-entries", test_check_entries);
  g_test_add_func ("/register/check-batch", test_check_batch);

  return g_test_run ();
}
