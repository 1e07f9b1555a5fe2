/* test-ui.c: the workstation, in process, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sohoa-core.h"
#include "sohoa-renderer.h"
#include "sohoa-ui-test-util.h"
#include "sohoa-page-canvas.h"
#include "sohoa-page-tools.h"
#include "sohoa-preferences-window.h"
#include "sohoa-record-form.h"
#include "sohoa-review-window.h"
#include "sohoa-sample-page.h"
#include "sohoa-scan-dialog.h"
#include "sohoa-window-private.h"

#define IMPORT_TIMEOUT_S 30
#define SAVE_TIMEOUT_S   5

typedef struct
{
  char         *workspace;
  char         *input_dir;
  SohoaContext *context;
  SohoaUser    *operator;
} Fixture;

/* Helpers */

static gboolean
import_is_done (gpointer data)
{
  SohoaWindow *window = data;

  return !_sohoa_window_is_busy (window) &&
         g_list_model_get_n_items (_sohoa_window_get_pages (window)) == 1;
}

/* A scanned page: the sample renderer's, or a plain white sheet if the
 * renderer cannot run here. */
static GFile *
make_page (Fixture    *f,
           const char *name,
           guint       seed)
{
  g_autofree char *path = g_build_filename (f->input_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!sohoa_sample_page_render_png (SOHOA_SAMPLE_BIRTH_EXTRACT, seed, 150, NULL, path, NULL, &error))
    {
      g_autoptr(GdkPixbuf) pixbuf = NULL;

      g_test_message ("Sample renderer failed (%s); using a blank page", error->message);
      g_clear_error (&error);

      pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1240, 1754);
      gdk_pixbuf_fill (pixbuf, 0xffffffff);
      gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
      g_assert_no_error (error);
    }

  return g_file_new_for_path (path);
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (child) &&
          (name == NULL || g_strcmp0 (gtk_widget_get_name (child), name) == 0))
        return child;

      if ((found = find_row (child, name)))
        return found;
    }

  return NULL;
}

static guint
count_rows (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_PREFERENCES_ROW (child))
        n++;
      else
        n += count_rows (child);
    }

  return n;
}

/* Measures how long the main loop goes without running a 10 ms timeout. */
typedef struct
{
  gint64 start;
  gint64 last;
  gint64 max_gap;
  gint64 max_gap_at;   /* when the longest gap ended, from the first tick */
  guint  n_ticks;
} StallProbe;

static gboolean
stall_probe_cb (gpointer user_data)
{
  StallProbe *probe = user_data;
  gint64 now = g_get_monotonic_time ();

  if (probe->start == 0)
    probe->start = now;
  if (probe->last > 0 && now - probe->last > probe->max_gap)
    {
      probe->max_gap = now - probe->last;
      probe->max_gap_at = now - probe->start;
    }
  probe->last = now;
  probe->n_ticks++;

  return G_SOURCE_CONTINUE;
}

/* Fixture */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(SohoaUser) admin = NULL;
  g_autoptr(GError) error = NULL;
  SohoaStore *store;

  f->workspace = g_dir_make_tmp ("sohoa-test-ui-XXXXXX", &error);
  g_assert_no_error (error);
  /* OCR behind capture only where a test asks for it (data non-NULL). */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_boolean (settings, "auto-ocr", data != NULL);
  }
  f->input_dir = g_dir_make_tmp ("sohoa-test-ui-input-XXXXXX", &error);
  g_assert_no_error (error);

  f->context = sohoa_context_open (f->workspace, &error);
  g_assert_no_error (error);

  store = sohoa_context_get_store (f->context);
  g_assert_false (sohoa_store_is_initialized (store));

  admin = sohoa_store_initialize (store, "26740", "Phường Sài Gòn",
                                  "admin", "Quản trị viên", "mat-khau-quan-tri",
                                  &error);
  g_assert_no_error (error);
  g_assert_nonnull (admin);

  f->operator = sohoa_store_add_user (store, admin, "canbo", "Nguyễn Thị Lan",
                                      SOHOA_ROLE_OPERATOR, "mat-khau-can-bo",
                                      &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->operator);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->operator);
  g_clear_object (&f->context);

  sohoa_test_remove_tree (f->input_dir);
  sohoa_test_remove_tree (f->workspace);
  g_free (f->input_dir);
  g_free (f->workspace);
}

/* Tests */

static void
test_window_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) page = make_page (f, "trang-1.png", 1);
  StallProbe probe = { 0 };
  SohoaWindow *window;
  g_autoptr(SohoaBatch) batch = NULL;
  gint64 settle_until;
  guint probe_source;

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);

  g_assert_cmpstr (_sohoa_window_get_view_name (window), ==, "login");

  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));

  g_assert_cmpstr (_sohoa_window_get_view_name (window), ==, "work");
  g_assert_cmpuint (g_list_model_get_n_items (_sohoa_window_get_batches (window)), ==, 0);

  probe_source = g_timeout_add (10, stall_probe_cb, &probe);

  sohoa_window_import_files (window, &page, 1);
  g_assert_true (_sohoa_window_is_busy (window));
  g_assert_true (sohoa_test_spin_until (import_is_done, window, IMPORT_TIMEOUT_S));

  /* Keep probing while the new page, its thumbnail and its form appear. */
  settle_until = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;
  sohoa_test_spin_until (sohoa_test_time_has_come, &settle_until, 1);
  g_source_remove (probe_source);
  g_test_message ("Longest main-loop stall while importing: %" G_GINT64_FORMAT " ms "
                  "(%u ticks of 10 ms)",
                  probe.max_gap / 1000, probe.n_ticks);

  g_assert_cmpuint (g_list_model_get_n_items (_sohoa_window_get_batches (window)), ==, 1);
  batch = g_list_model_get_item (_sohoa_window_get_batches (window), 0);
  g_assert_cmpuint (sohoa_batch_get_n_pages (batch), ==, 1);
  g_assert_cmpint (sohoa_record_form_get_record_id (_sohoa_window_get_record_form (window)), >, 0);

  /* An operator cannot approve (the action is disabled, so nothing happens),
   * and there is no page after the only one. */
  gtk_widget_activate_action (GTK_WIDGET (window), "batch.approve", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "page.next", NULL);
  g_assert_cmpint (sohoa_batch_get_state (batch), ==, SOHOA_BATCH_OPEN);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window))), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

static gboolean
three_pages_imported (gpointer data)
{
  SohoaWindow *window = data;

  return !_sohoa_window_is_busy (window) &&
         g_list_model_get_n_items (_sohoa_window_get_pages (window)) == 3;
}

static char *
dup_page_sha (SohoaWindow *window,
              guint        position)
{
  g_autoptr(SohoaPage) page = g_list_model_get_item (_sohoa_window_get_pages (window), position);

  return g_strdup (sohoa_page_get_sha256 (page));
}

static void
test_window_page_order (Fixture       *f,
                        gconstpointer  data)
{
  GFile *pages[3];
  g_autofree char *first = NULL;
  g_autofree char *moved = NULL;
  SohoaWindow *window;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("trang-%u.png", i + 1);
      pages[i] = make_page (f, name, 10 + i);
    }

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));

  sohoa_window_import_files (window, pages, 3);
  g_assert_true (sohoa_test_spin_until (three_pages_imported, window, IMPORT_TIMEOUT_S));

  /* Ctrl+Shift+Page Down: the selected first page becomes the second. */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window)), 0);
  first = dup_page_sha (window, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "page.move-later", NULL));
  moved = dup_page_sha (window, 1);
  g_assert_cmpstr (moved, ==, first);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window))), ==, 1);

  /* Three pages cannot be fronts and backs: merging is not offered. */
  gtk_widget_activate_action (GTK_WIDGET (window), "batch.merge-duplex", NULL);
  g_clear_pointer (&moved, g_free);
  moved = dup_page_sha (window, 1);
  g_assert_cmpstr (moved, ==, first);

  for (guint i = 0; i < 3; i++)
    g_object_unref (pages[i]);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

static gboolean
window_is_idle (gpointer data)
{
  return !_sohoa_window_is_busy (SOHOA_WINDOW (data));
}

static gboolean
pages_all_read (gpointer data)
{
  GListModel *pages = _sohoa_window_get_pages (SOHOA_WINDOW (data));

  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);

      if (sohoa_page_get_ocr_state (page) != SOHOA_OCR_DONE)
        return FALSE;
    }
  return !_sohoa_window_is_busy (SOHOA_WINDOW (data));
}

/* Pages imported are read without the clerk asking; capture stays free. */
static void
test_window_auto_ocr (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GFile) one = make_page (f, "mot.png", 61);
  g_autoptr(GFile) two = make_page (f, "hai.png", 62);
  SohoaWindow *window;

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));

  sohoa_window_import_files (window, &one, 1);
  g_assert_true (sohoa_test_spin_until (import_is_done, window, IMPORT_TIMEOUT_S));
  /* While the first page is read, capture is free: a second import runs. */
  sohoa_window_import_files (window, &two, 1);
  g_assert_true (_sohoa_window_is_busy (window));
  g_assert_true (sohoa_test_spin_until (window_is_idle, window, IMPORT_TIMEOUT_S));
  g_assert_cmpuint (g_list_model_get_n_items (_sohoa_window_get_pages (window)), ==, 2);
  g_assert_true (sohoa_test_spin_until (pages_all_read, window, 120));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

static gboolean
batch_appeared (gpointer data)
{
  return g_list_model_get_n_items (_sohoa_window_get_batches (SOHOA_WINDOW (data))) > 0;
}

/* The hot folder chosen in the preferences is watched at once, and
 * forgotten when cleared. */
static void
test_window_hot_folder (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *hot = g_build_filename (f->input_dir, "hot", NULL);
  g_autofree char *dropped = g_build_filename (hot, "scan-0001.png", NULL);
  g_autoptr(GFile) page = make_page (f, "scan.png", 71);
  g_autoptr(GFile) target = g_file_new_for_path (dropped);
  g_autoptr(GError) error = NULL;
  SohoaWindow *window;
  GtkWidget *preferences;
  gint64 settle_until;

  g_assert_cmpint (g_mkdir (hot, 0700), ==, 0);
  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));

  /* The preferences show the settings (auto-ocr is off in these tests). */
  preferences = sohoa_preferences_window_new (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_false (g_settings_get_boolean (settings, "auto-ocr"));
  g_assert_cmpint (g_settings_get_int (settings, "scan-resolution"), ==, 300);
  gtk_window_destroy (GTK_WINDOW (preferences));

  g_settings_set_string (settings, "hot-folder", hot);
  g_assert_true (g_file_copy (page, target, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sohoa_test_spin_until (batch_appeared, window, 30));

  g_settings_set_string (settings, "hot-folder", "");
  settle_until = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;
  sohoa_test_spin_until (sohoa_test_time_has_come, &settle_until, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

/* The responsiveness figures of the OCR issue: the longest main-loop stall
 * while 50 pages are read in the window, and how long a cancel takes.
 * They are printed, not asserted: timing belongs to benchmarks. */
static void
test_window_ocr_responsive (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  StallProbe probe = { 0 };
  SohoaWindow *window;
  gint64 cancel_at, cancelled_at, settle_until;
  guint probe_source;
  guint n_read = 0;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("trang-%02u.png", i + 1);
      g_ptr_array_add (files, make_page (f, name, 100 + i));
    }
  sohoa_context_set_user (f->context, f->operator);
  report = sohoa_import_files (f->context, 0, "ho-tich.khai-sinh", (GFile **) files->pdata, files->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 50);

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_batches (window)), 0);
  g_assert_cmpuint (g_list_model_get_n_items (_sohoa_window_get_pages (window)), ==, 50);

  /* Start, cancel after two seconds: the job ends and pages not read stay
   * to be read. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "batch.ocr", NULL));
  g_assert_true (_sohoa_window_is_busy (window));
  cancel_at = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  sohoa_test_spin_until (sohoa_test_time_has_come, &cancel_at, 3);
  cancel_at = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  g_assert_true (sohoa_test_spin_until (window_is_idle, window, 30));
  cancelled_at = g_get_monotonic_time ();
  g_test_message ("Cancel took effect after %.0f ms", (cancelled_at - cancel_at) / 1000.0);
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (_sohoa_window_get_pages (window), i);
      n_read += sohoa_page_get_ocr_state (page) == SOHOA_OCR_DONE;
    }
  g_assert_cmpuint (n_read, <, 50);

  /* Now read them all, probing the main loop every 10 ms. */
  probe_source = g_timeout_add (10, stall_probe_cb, &probe);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "batch.ocr", NULL));
  g_assert_true (sohoa_test_spin_until (pages_all_read, window, 300));
  settle_until = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;
  sohoa_test_spin_until (sohoa_test_time_has_come, &settle_until, 1);
  g_source_remove (probe_source);
  g_test_message ("Longest main-loop stall while reading %u pages: %" G_GINT64_FORMAT " ms, ending %.1f s "
                  "into the run of %.1f s (%u ticks of 10 ms, GSK_RENDERER=%s)",
                  50 - n_read, probe.max_gap / 1000, probe.max_gap_at / 1e6,
                  (probe.last - probe.start) / 1e6, probe.n_ticks, g_getenv ("GSK_RENDERER"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

static void
save_words (SohoaStore *store,
            SohoaPage  *page,
            const char *first,
            ...)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_ocr_word_free);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, first);
  for (const char *word = first; word; word = va_arg (args, const char *))
    {
      g_ptr_array_add (words, sohoa_ocr_word_new (word, 10 * words->len, 0, 9, 9, 95, 0, 0));
      g_string_append_printf (text, "%s%s", text->len ? " " : "", word);
    }
  va_end (args);

  g_assert_true (sohoa_store_save_ocr (store, sohoa_page_get_id (page), words, text->str, 0, 0, FALSE, &error));
  g_assert_no_error (error);
}

/* F8 walks the words OCR is unsure of, across pages, in the text pane. */
static void
test_window_next_flagged (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GFile) one = make_page (f, "mot.png", 41);
  g_autoptr(GFile) two = make_page (f, "hai.png", 42);
  GFile *files[] = { one, two };
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) first = NULL;
  g_autoptr(SohoaPage) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *selected = NULL;
  SohoaStore *store = sohoa_context_get_store (f->context);
  SohoaWindow *window;

  sohoa_context_set_user (f->context, f->operator);
  report = sohoa_import_files (f->context, 0, "ho-tich.khai-sinh", files, 2, NULL, &error);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  first = g_list_model_get_item (pages, 0);
  second = g_list_model_get_item (pages, 1);
  save_words (store, first, "Họ", "tên", "Nguyễn", "Văn", "An", NULL);
  save_words (store, second, "Ngày", "sinh", "Nguyén", "Thị", "Bíh", NULL);

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_batches (window)), 0);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window)), 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "page.next-flagged", NULL));
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window))), ==, 1);
  selected = _sohoa_window_dup_selected_text (window);
  g_assert_cmpstr (selected, ==, "Nguyén");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "page.next-flagged", NULL));
  g_free (selected);
  selected = _sohoa_window_dup_selected_text (window);
  g_assert_cmpstr (selected, ==, "Bíh");

  /* The last one: F8 stays, and says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "page.next-flagged", NULL));
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window))), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

static gboolean
page_is_turned (gpointer data)
{
  g_autoptr(SohoaPage) page = gtk_single_selection_get_selected_item (data)
                              ? g_object_ref (gtk_single_selection_get_selected_item (data)) : NULL;

  return page && sohoa_page_get_rotation (page) == 90;
}

static gboolean
cleaned_is_written (gpointer data)
{
  g_autofree char *dir = g_build_filename (data, "derived", "cleaned", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);

  return listing && g_dir_read_name (listing) != NULL;
}

/* "Is this page upright?": yes, or a turn; the cleaned page on request. */
static void
test_window_page_tools (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GFile) one = make_page (f, "mot.png", 51);
  GFile *files[] = { one };
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  SohoaStore *store = sohoa_context_get_store (f->context);
  GtkSingleSelection *selection;
  SohoaWindow *window;
  GtkWidget *tools;

  sohoa_context_set_user (f->context, f->operator);
  report = sohoa_import_files (f->context, 0, "ho-tich.khai-sinh", files, 1, NULL, &error);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  page = g_list_model_get_item (pages, 0);
  g_assert_true (_sohoa_page_adjust_save_orientation (store, page, 0, TRUE, &error));

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_batches (window)), 0);
  selection = GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window));
  gtk_single_selection_set_selected (selection, 0);
  tools = sohoa_test_find_descendant (GTK_WIDGET (window), SOHOA_TYPE_PAGE_TOOLS);
  g_assert_nonnull (tools);

  g_assert_true (sohoa_page_get_orientation_unsure (gtk_single_selection_get_selected_item (selection)));
  g_assert_true (gtk_widget_activate_action (tools, "page.accept-orientation", NULL));
  g_assert_false (sohoa_page_get_orientation_unsure (gtk_single_selection_get_selected_item (selection)));

  g_assert_true (gtk_widget_activate_action (tools, "page.rotate-right", NULL));
  g_assert_true (sohoa_test_spin_until (page_is_turned, selection, 10));

  g_assert_true (sohoa_page_tools_get_show_original (SOHOA_PAGE_TOOLS (tools)));
  g_assert_true (gtk_widget_activate_action (tools, "page.show-original", NULL));
  g_assert_false (sohoa_page_tools_get_show_original (SOHOA_PAGE_TOOLS (tools)));
  g_assert_true (sohoa_test_spin_until (cleaned_is_written, f->workspace, 20));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

static SohoaScanDialog *
find_scan_dialog (void)
{
  return SOHOA_SCAN_DIALOG (sohoa_test_find_toplevel (SOHOA_TYPE_SCAN_DIALOG));
}

static gboolean
scanners_listed (gpointer data)
{
  SohoaScanDialog *dialog = find_scan_dialog ();

  return dialog && adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "scan");
}

static gboolean
feeder_scanned (gpointer data)
{
  return !_sohoa_window_is_busy (SOHOA_WINDOW (data)) &&
         g_list_model_get_n_items (_sohoa_window_get_pages (SOHOA_WINDOW (data))) >= 10;
}

/* F5: a whole feeder of pages (SANE's test backend) lands in a new batch,
 * page by page. */
static void
test_window_scan_feeder (Fixture       *f,
                         gconstpointer  data)
{
  SohoaWindow *window;
  SohoaScanDialog *dialog;
  g_autoptr(SohoaBatch) batch = NULL;

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.scan", NULL));
  g_assert_true (sohoa_test_spin_until (scanners_listed, NULL, 20));
  dialog = find_scan_dialog ();

  /* The second paper source: the document feeder. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (dialog), SOHOA_TYPE_SCAN_DIALOG, "source_row")), 1);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "scan");
  g_assert_true (_sohoa_window_is_busy (window));

  g_assert_true (sohoa_test_spin_until (feeder_scanned, window, 120));
  g_assert_cmpuint (g_list_model_get_n_items (_sohoa_window_get_pages (window)), ==, 10);
  batch = g_list_model_get_item (_sohoa_window_get_batches (window), 0);
  g_assert_cmpuint (sohoa_batch_get_n_pages (batch), ==, 10);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

typedef struct
{
  SohoaStore *store;
  gint64      record_id;
  const char *key;
  const char *expected;
} SavedValue;

static gboolean
value_is_saved (gpointer data)
{
  SavedValue *saved = data;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;

  values = sohoa_store_get_fields (saved->store, saved->record_id, &error);
  g_assert_no_error (error);

  return g_strcmp0 (g_hash_table_lookup (values, saved->key), saved->expected) == 0;
}

static void
test_record_form (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = make_page (f, "trang-2.png", 2);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *decomposed = NULL;
  SohoaStore *store = sohoa_context_get_store (f->context);
  SohoaRecordForm *form;
  SohoaSchema *schema;
  GtkWidget *window;
  GtkWidget *row;
  SavedValue saved;

  sohoa_context_set_user (f->context, f->operator);

  report = sohoa_import_files (f->context, 0, "ho-tich.khai-sinh", &file, 1, job, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 1);

  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 1);
  page = g_list_model_get_item (pages, 0);

  schema = sohoa_context_lookup_schema (f->context, "ho-tich.khai-sinh");
  g_assert_nonnull (schema);

  form = SOHOA_RECORD_FORM (sohoa_record_form_new (f->context));
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 800);
  gtk_window_set_child (GTK_WINDOW (window),
                        g_object_new (GTK_TYPE_SCROLLED_WINDOW, "child", form, NULL));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));

  g_assert_true (sohoa_record_form_load (form, schema, sohoa_page_get_document_id (page), &error));
  g_assert_no_error (error);
  g_assert_cmpint (sohoa_record_form_get_record_id (form), >, 0);

  /* One row per field of the schema. */
  g_assert_cmpuint (count_rows (GTK_WIDGET (form)), ==, sohoa_schema_get_n_fields (schema));

  /* The first field takes what is typed, and it reaches the store after the
   * typing pause. */
  row = find_row (GTK_WIDGET (form), NULL);
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  g_assert_cmpstr (gtk_widget_get_name (row), ==, sohoa_schema_get_field (schema, 0)->key);
  gtk_editable_set_text (GTK_EDITABLE (row), "127");

  saved.store = store;
  saved.record_id = sohoa_record_form_get_record_id (form);
  saved.key = sohoa_schema_get_field (schema, 0)->key;
  saved.expected = "127";
  g_assert_true (sohoa_test_spin_until (value_is_saved, &saved, SAVE_TIMEOUT_S));

  /* Names keyed in decomposed form are stored composed (NFC). */
  if ((row = find_row (GTK_WIDGET (form), "nksHoTen")))
    {
      decomposed = g_utf8_normalize ("Nguyễn Văn Bình", -1, G_NORMALIZE_NFD);
      gtk_editable_set_text (GTK_EDITABLE (row), decomposed);

      saved.key = "nksHoTen";
      saved.expected = "Nguyễn Văn Bình";
      g_assert_true (sohoa_test_spin_until (value_is_saved, &saved, SAVE_TIMEOUT_S));
    }

  /* A date that cannot be marks its row as an error while the clerk
   * types; a correct one clears it. */
  row = find_row (GTK_WIDGET (form), "nksNgaySinh");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "30/02/2024");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (row), "29/02/2024");
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Finds the first label under @widget that shows @text. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found)
        return found;
    }
  return NULL;
}

static SohoaReviewWindow *
find_review_window (void)
{
  return SOHOA_REVIEW_WINDOW (sohoa_test_find_toplevel (SOHOA_TYPE_REVIEW_WINDOW));
}

/* The supervisor reviews a submitted batch record by record: sensitive
 * values stay masked, the batch is approved only once its record is. */
static void
test_review_window (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) page = make_page (f, "trang-1.png", 1);
  SohoaStore *store = sohoa_context_get_store (f->context);
  g_autoptr(SohoaUser) admin = NULL;
  g_autoptr(SohoaUser) supervisor = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GError) error = NULL;
  SohoaReviewWindow *review;
  SohoaRecordReview *first;
  SohoaWindow *window;
  gint64 record_id;

  admin = sohoa_store_authenticate (store, "admin", "mat-khau-quan-tri", &error);
  g_assert_no_error (error);
  supervisor = sohoa_store_add_user (store, admin, "giamsat", "Trần Văn Bình",
                                     SOHOA_ROLE_SUPERVISOR, "mat-khau-giam-sat", &error);
  g_assert_no_error (error);

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));
  sohoa_window_import_files (window, &page, 1);
  g_assert_true (sohoa_test_spin_until (import_is_done, window, IMPORT_TIMEOUT_S));

  batch = g_list_model_get_item (_sohoa_window_get_batches (window), 0);
  record_id = sohoa_record_form_get_record_id (_sohoa_window_get_record_form (window));
  g_assert_cmpint (record_id, >, 0);
  g_assert_true (sohoa_store_set_field (store, f->operator, record_id, "nksHoTen", "Lê Văn Tám",
                                        SOHOA_VALUE_FILLED, &error));
  g_assert_true (sohoa_store_set_field (store, f->operator, record_id, "nksDanToc", "01",
                                        SOHOA_VALUE_FILLED, &error));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "batch.submit", NULL));
  g_assert_cmpint (sohoa_batch_get_state (batch), ==, SOHOA_BATCH_SUBMITTED);

  /* The operator has no review; the supervisor has. */
  gtk_widget_activate_action (GTK_WIDGET (window), "batch.review", NULL);
  g_assert_null (find_review_window ());
  sohoa_window_sign_in (window, supervisor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "batch.review", NULL));
  review = find_review_window ();
  g_assert_nonnull (review);

  /* The name is shown, the ethnicity masked. */
  g_assert_nonnull (find_label (GTK_WIDGET (review), "Lê Văn Tám"));
  g_assert_nonnull (find_label (GTK_WIDGET (review), "••••••"));
  g_assert_null (find_label (GTK_WIDGET (review), "01"));

  {
    gint64 settle_until = g_get_monotonic_time () + 1500 * G_TIME_SPAN_MILLISECOND;

    sohoa_test_spin_until (sohoa_test_time_has_come, &settle_until, 2);
    sohoa_test_save_screenshot (GTK_WIDGET (review), "review-window");
  }

  /* Nothing approved yet: the batch cannot be; approving the record frees it. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (review), "review.approve-batch", NULL) &&
                  sohoa_batch_get_state (batch) == SOHOA_BATCH_APPROVED);
  g_assert_cmpint (sohoa_batch_get_state (batch), ==, SOHOA_BATCH_SUBMITTED);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "review.approve-record", NULL));
  reviews = sohoa_store_list_reviews (store, sohoa_batch_get_id (batch), &error);
  first = g_ptr_array_index (reviews, 0);
  g_assert_cmpint (first->state, ==, SOHOA_REVIEW_APPROVED);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "review.approve-batch", NULL));
  g_assert_cmpint (sohoa_batch_get_state (batch), ==, SOHOA_BATCH_APPROVED);
  g_assert_true (sohoa_store_verify_audit (store, NULL, &error));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

typedef struct
{
  SohoaStore *store;
  gint64      record_id;
  const char *key;
  const char *state;
  gint64      box_page;
} SavedState;

static gboolean
state_is_saved (gpointer data)
{
  SavedState *saved = data;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  SohoaFieldValue *value;
  const char *names[] = { "empty", "filled", "illegible", "uncertain" };

  values = sohoa_store_get_field_values (saved->store, saved->record_id, &error);
  g_assert_no_error (error);
  value = g_hash_table_lookup (values, saved->key);

  return value != NULL &&
         (saved->state == NULL || g_str_equal (names[value->state], saved->state)) &&
         (saved->box_page == 0 || value->box_page == saved->box_page);
}

static gboolean
page_view_is_loaded (gpointer data)
{
  SohoaPageView *view = data;

  return !sohoa_page_view_get_loading (view) && sohoa_page_view_get_words (view) != NULL;
}

static const char *
row_text (SohoaRecordForm *form,
          const char      *key)
{
  return gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (form), key)));
}

/* The entry screen: words picked on the page fill the focused field and
 * remember where they came from; illegible and uncertain marks; undo and
 * redo across fields; autosave within a second; zoom; Ctrl+Enter moves to
 * the next document's record. */
static void
test_window_entry (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) one = make_page (f, "mot.png", 51);
  g_autoptr(GFile) two = make_page (f, "hai.png", 52);
  GFile *files[] = { one, two };
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *picked = NULL;
  SohoaStore *store = sohoa_context_get_store (f->context);
  SohoaRecordForm *form;
  SohoaPageView *view;
  SohoaWindow *window;
  graphene_rect_t bounds;
  SavedValue saved;
  SavedState state;
  GtkWidget *row;
  gint64 typed_at;

  sohoa_context_set_user (f->context, f->operator);
  report = sohoa_import_files (f->context, 0, "ho-tich.khai-sinh", files, 2, NULL, &error);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  first = g_list_model_get_item (pages, 0);
  /* Words at x = 0, 10, 20, 30; 9 pixels square. */
  save_words (store, first, "Lý", "Thanh", "Tường", "Hằng", NULL);

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_batches (window)), 0);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window)), 0);

  form = _sohoa_window_get_record_form (window);
  view = _sohoa_window_get_page_view (window);
  g_assert_cmpint (sohoa_record_form_get_record_id (form), >, 0);
  g_assert_true (sohoa_test_spin_until (page_view_is_loaded, view, 10));
  g_assert_cmpuint (sohoa_page_view_get_words (view)->len, ==, 4);

  /* A box over the last three words picks them in reading order; a click
   * picks one. */
  picked = sohoa_page_view_pick_text (view, &GRAPHENE_RECT_INIT (8, -2, 40, 14), FALSE, &bounds);
  g_assert_cmpstr (picked, ==, "Thanh Tường Hằng");
  g_assert_cmpfloat (bounds.origin.x, ==, 10);
  g_assert_cmpfloat (bounds.size.width, ==, 29);
  g_free (picked);
  picked = sohoa_page_view_pick_text (view, &GRAPHENE_RECT_INIT (3, 4, 0, 0), TRUE, NULL);
  g_assert_cmpstr (picked, ==, "Lý");
  g_clear_pointer (&picked, g_free);
  g_assert_null (sohoa_page_view_pick_text (view, &GRAPHENE_RECT_INIT (500, 500, 10, 10), FALSE, NULL));

  /* Picked text fills the focused field and its source is stored. */
  row = find_row (GTK_WIDGET (form), "nksHoTen");
  gtk_widget_grab_focus (row);
  g_signal_emit_by_name (view, "text-picked", "Lý Thanh Tường Hằng", &GRAPHENE_RECT_INIT (0, 0, 39, 9));
  g_assert_cmpstr (row_text (form, "nksHoTen"), ==, "Lý Thanh Tường Hằng");
  state = (SavedState) { store, sohoa_record_form_get_record_id (form), "nksHoTen", "filled",
                         sohoa_page_get_id (first) };
  g_assert_true (sohoa_test_spin_until (state_is_saved, &state, SAVE_TIMEOUT_S));

  /* Autosave: in the database within a second of the key. */
  row = find_row (GTK_WIDGET (form), "nksNoiSinh");
  gtk_widget_grab_focus (row);
  typed_at = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (row), "Bệnh viện Từ Dũ");
  saved = (SavedValue) { store, sohoa_record_form_get_record_id (form), "nksNoiSinh", "Bệnh viện Từ Dũ" };
  g_assert_true (sohoa_test_spin_until (value_is_saved, &saved, SAVE_TIMEOUT_S));
  g_assert_cmpint (g_get_monotonic_time () - typed_at, <, G_USEC_PER_SEC);

  /* Undo goes back across fields, redo forward. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.undo", NULL));
  g_assert_cmpstr (row_text (form, "nksNoiSinh"), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.undo", NULL));
  g_assert_cmpstr (row_text (form, "nksHoTen"), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.redo", NULL));
  g_assert_cmpstr (row_text (form, "nksHoTen"), ==, "Lý Thanh Tường Hằng");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.redo", NULL));
  g_assert_cmpstr (row_text (form, "nksNoiSinh"), ==, "Bệnh viện Từ Dũ");

  /* A required field marked illegible is not missing; the mark shows and
   * is stored; Ctrl+I again takes it off. */
  row = find_row (GTK_WIDGET (form), "nksNgaySinh");
  gtk_widget_grab_focus (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "2");
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.mark-illegible", NULL));
  g_assert_true (gtk_widget_has_css_class (row, "illegible"));
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpint (sohoa_record_form_get_field_state (form, "nksNgaySinh"), ==, SOHOA_VALUE_ILLEGIBLE);
  state = (SavedState) { store, sohoa_record_form_get_record_id (form), "nksNgaySinh", "illegible", 0 };
  g_assert_true (sohoa_test_spin_until (state_is_saved, &state, SAVE_TIMEOUT_S));

  row = find_row (GTK_WIDGET (form), "nksQueQuan");
  gtk_widget_grab_focus (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "Hà Nội");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.mark-uncertain", NULL));
  g_assert_true (gtk_widget_has_css_class (row, "uncertain"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "form.mark-uncertain", NULL));
  g_assert_false (gtk_widget_has_css_class (row, "uncertain"));
  g_assert_cmpint (sohoa_record_form_get_field_state (form, "nksQueQuan"), ==, SOHOA_VALUE_FILLED);

  /* F7 finds the field with a problem. */
  row = find_row (GTK_WIDGET (form), "nksSoDinhDanh");
  gtk_editable_set_text (GTK_EDITABLE (row), "12345");
  gtk_widget_grab_focus (find_row (GTK_WIDGET (form), NULL));
  g_assert_true (sohoa_record_form_focus_next_flagged (form));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), row));

  /* Zoom: in, then fit the width again. */
  g_assert_true (sohoa_page_view_get_fit (view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "page-view.zoom-in", NULL));
  g_assert_false (sohoa_page_view_get_fit (view));
  g_assert_cmpfloat (sohoa_page_view_get_zoom (view), >, 0);
  sohoa_page_view_set_fit (view, TRUE);
  g_assert_cmpfloat (sohoa_page_view_get_zoom (view), ==, 0);

  /* Ctrl+Enter: saved, and the next document's record is open. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "record.save-next", NULL));
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window))), ==, 1);
  g_assert_cmpint (sohoa_record_form_get_record_id (form), !=, state.record_id);
  saved = (SavedValue) { store, state.record_id, "nksQueQuan", "Hà Nội" };
  g_assert_true (value_is_saved (&saved));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

/* A page turned a quarter is shown by its upright copy at that copy's
 * size, which word boxes are in, not at the original's. */
static void
test_window_sideways_page (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GFile) one = make_page (f, "mot.png", 53);
  GFile *files[] = { one };
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  SohoaStore *store = sohoa_context_get_store (f->context);
  SohoaPageView *view;
  SohoaWindow *window;
  GtkWidget *canvas;
  int width = 0, height = 0;
  guint page_width, page_height;

  sohoa_context_set_user (f->context, f->operator);
  report = sohoa_import_files (f->context, 0, "ho-tich.khai-sinh", files, 1, NULL, &error);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  page = g_list_model_get_item (pages, 0);
  page_width = sohoa_page_get_width (page);
  page_height = sohoa_page_get_height (page);
  g_assert_cmpuint (page_width, !=, page_height);
  g_assert_true (sohoa_page_adjust_rotate (store, f->operator, sohoa_page_get_id (page), 90, &error));
  g_assert_no_error (error);
  save_words (store, page, "Lý", "Thanh", NULL);

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, f->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_batches (window)), 0);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window)), 0);

  view = _sohoa_window_get_page_view (window);
  g_assert_true (sohoa_test_spin_until (page_view_is_loaded, view, 10));
  canvas = sohoa_test_find_descendant (GTK_WIDGET (view), SOHOA_TYPE_PAGE_CANVAS);
  g_assert_nonnull (canvas);
  /* One more screen pixel per image pixel adds the image's size (the
   * canvas's own margins stay). */
  for (int zoom = 1; zoom <= 2; zoom++)
    {
      int w = 0, h = 0;

      sohoa_page_view_set_zoom (view, zoom);
      gtk_widget_measure (canvas, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
      gtk_widget_measure (canvas, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
      width = w - width;
      height = h - height;
    }
  g_assert_cmpint (width, ==, (int) page_height);
  g_assert_cmpint (height, ==, (int) page_width);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

/* Xvfb renders OpenGL with llvmpipe: on GTK before 4.14 the application
 * asks for the cairo renderer there, as newer GTK does by itself, unless
 * GSK_RENDERER was given. */
static void
test_renderer_software_gl (gconstpointer data)
{
  const char *chosen = data;

  if (gtk_get_minor_version () >= 14)
    g_assert_null (chosen);
  else
    g_assert_cmpstr (chosen, ==, "cairo");
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, chosen);
}

int
main (int   argc,
      char *argv[])
{
  const char *renderer;

  /* As the application starts (main.c): one OpenMP thread per Tesseract,
   * or the OCR workers' OpenMP teams spin on both cores and the window's
   * thread waits its turn for hundreds of milliseconds. */
  sohoa_ocr_limit_openmp (argv);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* As the application does at start-up, before any window. */
  renderer = sohoa_renderer_choose ();

  g_test_add_data_func ("/ui/renderer/software-gl", renderer, test_renderer_software_gl);
  g_test_add ("/ui/window/import", Fixture, NULL,
              fixture_set_up, test_window_import, fixture_tear_down);
  g_test_add ("/ui/window/page-order", Fixture, NULL,
              fixture_set_up, test_window_page_order, fixture_tear_down);
  g_test_add ("/ui/window/ocr-responsive", Fixture, NULL,
              fixture_set_up, test_window_ocr_responsive, fixture_tear_down);
  g_test_add ("/ui/window/next-flagged", Fixture, NULL,
              fixture_set_up, test_window_next_flagged, fixture_tear_down);
  g_test_add ("/ui/window/auto-ocr", Fixture, GINT_TO_POINTER (1),
              fixture_set_up, test_window_auto_ocr, fixture_tear_down);
  g_test_add ("/ui/window/hot-folder", Fixture, NULL,
              fixture_set_up, test_window_hot_folder, fixture_tear_down);
  g_test_add ("/ui/window/page-tools", Fixture, NULL,
              fixture_set_up, test_window_page_tools, fixture_tear_down);
  g_test_add ("/ui/window/scan-feeder", Fixture, NULL,
              fixture_set_up, test_window_scan_feeder, fixture_tear_down);
  g_test_add ("/ui/window/entry", Fixture, NULL,
              fixture_set_up, test_window_entry, fixture_tear_down);
  g_test_add ("/ui/window/sideways-page", Fixture, NULL,
              fixture_set_up, test_window_sideways_page, fixture_tear_down);
  g_test_add ("/ui/record-form/save", Fixture, NULL,
              fixture_set_up, test_record_form, fixture_tear_down);
  g_test_add ("/ui/review/approve", Fixture, NULL,
              fixture_set_up, test_review_window, fixture_tear_down);

  return g_test_run ();
}
