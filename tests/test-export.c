/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include <json-glib/json-glib.h>

#include "sohoa-test-util.h"

static gint64
approved_batch (SohoaTestWorkspace *ws)
{
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *png = sohoa_test_write_image (ws->dir, "one.png", "png", 11, 1);
  g_autofree char *tiff = sohoa_test_write_image (ws->dir, "two.tif", "tiff", 12, 2);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  GFile **files = sohoa_test_files (png, tiff, NULL);
  gint64 record;

  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 2, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 3);

  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  page = g_list_model_get_item (pages, 0);
  record = sohoa_store_ensure_record (store, sohoa_page_get_document_id (page), "ho-tich.khai-sinh", 1, &error);
  g_assert_true (sohoa_store_set_field (store, ws->operator, record, "nksHoTen", "Lê Thị Hoà", SOHOA_VALUE_FILLED, &error));
  g_assert_true (sohoa_store_submit_batch (store, ws->operator, report->batch_id, &error));
  g_assert_true (sohoa_store_approve_batch (store, ws->supervisor, report->batch_id, &error));
  g_assert_no_error (error);
  return report->batch_id;
}

static void
test_export_zip_verifies (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *zip = g_build_filename (ws->dir, "lô 1.zip", NULL);
  g_autofree char *out_dir = g_build_filename (ws->dir, "unzipped", NULL);
  g_autofree char *manifest_path = g_build_filename (out_dir, "manifest-sha256.txt", NULL);
  g_autofree char *records_path = g_build_filename (out_dir, "records.json", NULL);
  g_autofree char *manifest = NULL;
  g_autofree char *out = NULL;
  g_autofree char *part = g_strdup_printf ("%s.part", zip);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *records;
  JsonObject *first;
  gint64 batch_id = approved_batch (ws);
  int status;

  sohoa_context_set_user (ws->context, ws->supervisor);
  g_assert_true (sohoa_export_batch (ws->context, batch_id, zip, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));

  /* An independent tool unpacks it ... */
  {
    const char *argv[] = { "unzip", "-q", zip, "-d", out_dir, NULL };
    g_free (sohoa_test_run (argv, &status));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  /* ... and another checks every checksum of the manifest. */
  {
    const char *argv[] = { "sh", "-c", "cd \"$0\" && sha256sum --strict -c manifest-sha256.txt", out_dir, NULL };
    out = sohoa_test_run (argv, &status);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  /* Every file but the manifest is in the manifest: two page files (the
   * TIFF holds two pages), the records and the batch description. */
  g_assert_true (g_file_get_contents (manifest_path, &manifest, NULL, NULL));
  lines = g_strsplit (g_strstrip (manifest), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);

  g_assert_true (json_parser_load_from_file (parser, records_path, &error));
  records = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (records), ==, 2);
  first = json_array_get_object_element (records, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (first, "fields"), "nksHoTen"), "value"), ==, "Lê Thị Hoà");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_array_get_object_element (records, 1), "pages")), ==, 2);

  /* The export is in the audit log, which still verifies. */
  g_assert_true (sohoa_store_verify_audit (sohoa_context_get_store (ws->context), NULL, &error));
}

static void
test_export_refuses_unapproved (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *zip = g_build_filename (ws->dir, "x.zip", NULL);
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  batch = sohoa_store_create_batch (sohoa_context_get_store (ws->context), ws->operator, "ho-tich.khai-sinh", NULL, &error);
  g_assert_false (sohoa_export_batch (ws->context, sohoa_batch_get_id (batch), zip, NULL, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
  g_assert_false (g_file_test (zip, G_FILE_TEST_EXISTS));
}

static void
test_export_detects_damaged_page (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *zip = g_build_filename (ws->dir, "x.zip", NULL);
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 batch_id = approved_batch (ws);

  pages = sohoa_store_list_pages (sohoa_context_get_store (ws->context), batch_id, &error);
  page = g_list_model_get_item (pages, 0);
  g_assert_true (g_file_set_contents (sohoa_page_get_image_path (page), "bit rot", -1, NULL));

  g_assert_false (sohoa_export_batch (ws->context, batch_id, zip, NULL, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE);
  g_assert_false (g_file_test (zip, G_FILE_TEST_EXISTS));
}

static void
test_export_unwritable_destination (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autoptr(GError) error = NULL;
  gint64 batch_id = approved_batch (ws);

  g_assert_false (sohoa_export_batch (ws->context, batch_id, "/nonexistent-dir/x.zip", NULL, &error));
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/zip-verifies", test_export_zip_verifies);
  g_test_add_func ("/export/refuses-unapproved", test_export_refuses_unapproved);
  g_test_add_func ("/export/detects-damaged-page", test_export_detects_damaged_page);
  g_test_add_func ("/export/unwritable-destination", test_export_unwritable_destination);

  return g_test_run ();
}
