/* test-keying-views.c: the second keying dialog and the arbitration view,
 * under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-keying-views"

#include "config.h"

#include <adwaita.h>

#include "sohoa-arbitration-view.h"
#include "sohoa-core.h"
#include "sohoa-second-keying-dialog.h"
#include "sohoa-ui-test-util.h"

static void
test_second_keying_and_arbitration (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *workspace = g_dir_make_tmp ("sohoa-test-keying-XXXXXX", &error);
  g_autofree char *path = g_build_filename (workspace, "p.png", NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 560);
  g_autoptr(SohoaContext) context = NULL;
  g_autoptr(SohoaUser) admin = NULL;
  g_autoptr(SohoaUser) first = NULL;
  g_autoptr(SohoaUser) second = NULL;
  g_autoptr(SohoaUser) supervisor = NULL;
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GFile) file = NULL;
  SohoaSecondKeyingDialog *dialog;
  SohoaArbitrationView *view;
  SohoaSchema *schema;
  SohoaStore *store;
  GtkWidget *row;
  gint64 record;

  context = sohoa_context_open (workspace, &error);
  g_assert_no_error (error);
  store = sohoa_context_get_store (context);
  schema = sohoa_context_lookup_schema (context, "ho-tich.khai-sinh");
  admin = sohoa_store_initialize (store, "26740", "Phường Sài Gòn", "admin", "Quản trị", "quantri-pw", &error);
  first = sohoa_store_add_user (store, admin, "canbo", "Cán bộ một", SOHOA_ROLE_OPERATOR, "canbo-pw", &error);
  second = sohoa_store_add_user (store, admin, "canbo2", "Cán bộ hai", SOHOA_ROLE_OPERATOR, "canbo2-pw", &error);
  supervisor = sohoa_store_add_user (store, admin, "giamsat", "Giám sát", SOHOA_ROLE_SUPERVISOR, "giamsat-pw", &error);
  g_assert_no_error (error);

  gdk_pixbuf_fill (pixbuf, 0xffffffff);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  file = g_file_new_for_path (path);
  sohoa_context_set_user (context, first);
  report = sohoa_import_files (context, 0, "ho-tich.khai-sinh", &file, 1, NULL, &error);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  page = g_list_model_get_item (pages, 0);
  record = sohoa_store_ensure_record (store, sohoa_page_get_document_id (page), "ho-tich.khai-sinh", 1, &error);
  g_assert_true (sohoa_store_set_field (store, first, record, "nksHoTen", "Nguyễn Văn An", SOHOA_VALUE_FILLED, &error));

  /* The second clerk's form starts empty: no first value shows. */
  sohoa_context_set_user (context, second);
  dialog = sohoa_second_keying_dialog_new (NULL, context, schema, record, page, &error);
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (dialog));
  row = sohoa_test_find_named (GTK_WIDGET (dialog), "nksHoTen");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  g_assert_null (sohoa_test_find_named (GTK_WIDGET (dialog), "ghiChu"));    /* only critical fields */
  gtk_editable_set_text (GTK_EDITABLE (row), "Nguyễn Văn Ân");
  g_assert_true (sohoa_second_keying_dialog_save (dialog, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The first clerk cannot use it on a field they keyed. */
  sohoa_context_set_user (context, first);
  dialog = sohoa_second_keying_dialog_new (NULL, context, schema, record, page, &error);
  row = sohoa_test_find_named (GTK_WIDGET (dialog), "nksHoTen");
  gtk_editable_set_text (GTK_EDITABLE (row), "x");
  g_assert_false (sohoa_second_keying_dialog_save (dialog, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The supervisor sees the disagreement and takes the second value. */
  sohoa_context_set_user (context, supervisor);
  batch = sohoa_store_get_batch (store, report->batch_id, &error);
  view = sohoa_arbitration_view_new (NULL, context, batch, &error);
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (view));
  g_assert_cmpuint (sohoa_arbitration_view_get_n_items (view), ==, 1);
  g_assert_true (sohoa_arbitration_view_decide (view, SOHOA_ARBITRATE_SECOND, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sohoa_arbitration_view_get_n_items (view), ==, 0);
  gtk_window_destroy (GTK_WINDOW (view));

  fields = sohoa_store_get_fields (store, record, &error);
  g_assert_cmpstr (g_hash_table_lookup (fields, "nksHoTen"), ==, "Nguyễn Văn Ân");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/double-keying/dialogs", test_second_keying_and_arbitration);

  return g_test_run ();
}
