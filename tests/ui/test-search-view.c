/* test-search-view.c: Ctrl+F in the workstation, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-search-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sohoa-core.h"
#include "sohoa-ui-test-util.h"
#include "sohoa-search-view.h"
#include "sohoa-window-private.h"

#define TIMEOUT_S 10

static gboolean
search_is_done (gpointer data)
{
  return !sohoa_search_view_get_busy (data);
}

static GFile *
write_page (const char *dir,
            const char *name,
            guint32     color)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 560);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, color);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
test_search_opens_record (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *workspace = g_dir_make_tmp ("sohoa-test-search-XXXXXX", &error);
  g_autoptr(SohoaContext) context = NULL;
  g_autoptr(SohoaUser) admin = NULL;
  g_autoptr(SohoaUser) operator = NULL;
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) second = NULL;
  g_autoptr(SohoaSearchHit) hit = NULL;
  GFile *files[3];
  SohoaStore *store;
  SohoaWindow *window;
  SohoaSearchView *view;
  GtkWidget *entry;
  SohoaPage *selected;
  SohoaBatch *batch;
  gint64 record;

  context = sohoa_context_open (workspace, &error);
  g_assert_no_error (error);
  store = sohoa_context_get_store (context);
  admin = sohoa_store_initialize (store, "26740", "Phường Sài Gòn", "admin", "Quản trị", "quantri-pw", &error);
  g_assert_no_error (error);
  operator = sohoa_store_add_user (store, admin, "canbo", "Cán bộ", SOHOA_ROLE_OPERATOR, "canbo-pw", &error);
  g_assert_no_error (error);

  files[0] = write_page (workspace, "a.png", 0xffffffff);
  files[1] = write_page (workspace, "b.png", 0xeeeeeeff);
  files[2] = NULL;
  sohoa_context_set_user (context, operator);
  report = sohoa_import_files (context, 0, "ho-tich.khai-sinh", files, 2, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (files[0]);
  g_object_unref (files[1]);

  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  second = g_list_model_get_item (pages, 1);
  record = sohoa_store_ensure_record (store, sohoa_page_get_document_id (second), "ho-tich.khai-sinh", 1, &error);
  g_assert_no_error (error);
  g_assert_true (sohoa_store_set_field (store, operator, record, "nksHoTen", "Nguyễn Văn Hoà",
                                        SOHOA_VALUE_FILLED, &error));

  window = sohoa_window_new (NULL, context, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, TIMEOUT_S));
  sohoa_window_sign_in (window, operator);

  /* Ctrl+F opens the search, whose entry and list have accessible names. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  view = SOHOA_SEARCH_VIEW (sohoa_test_find_descendant (GTK_WIDGET (window), SOHOA_TYPE_SEARCH_VIEW));
  g_assert_nonnull (view);
  entry = sohoa_test_find_descendant (GTK_WIDGET (view), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);

  /* No marks, new tone placement: still found. */
  sohoa_search_view_set_query (view, "nguyen van hòa");
  g_assert_true (sohoa_test_spin_until (search_is_done, view, TIMEOUT_S));
  g_assert_cmpuint (g_list_model_get_n_items (sohoa_search_view_get_hits (view)), ==, 1);
  hit = g_list_model_get_item (sohoa_search_view_get_hits (view), 0);
  g_assert_cmpstr (sohoa_search_hit_get_title (hit), ==, "Nguyễn Văn Hoà");

  sohoa_search_view_set_query (view, "tran");
  g_assert_true (sohoa_test_spin_until (search_is_done, view, TIMEOUT_S));
  g_assert_cmpuint (g_list_model_get_n_items (sohoa_search_view_get_hits (view)), ==, 0);

  /* Enter opens the first hit: its batch and its document. */
  sohoa_search_view_set_query (view, "hoa");
  g_assert_true (sohoa_test_spin_until (search_is_done, view, TIMEOUT_S));
  g_assert_cmpuint (g_list_model_get_n_items (sohoa_search_view_get_hits (view)), ==, 1);
  g_signal_emit_by_name (entry, "activate");

  batch = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (_sohoa_window_get_batches (window)));
  g_assert_nonnull (batch);
  g_assert_cmpint (sohoa_batch_get_id (batch), ==, report->batch_id);
  selected = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window)));
  g_assert_nonnull (selected);
  g_assert_cmpint (sohoa_page_get_document_id (selected), ==, sohoa_page_get_document_id (second));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/search/opens-record", test_search_opens_record);

  return g_test_run ();
}
