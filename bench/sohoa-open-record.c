/* sohoa-open-record.c: how long opening a record takes on the entry screen
 *
 * Builds a workspace with real pages (rendered birth extracts at 300 dpi,
 * read by Tesseract), opens the real window and switches between the
 * records of the batch, timing each open from the page being selected to
 * the first frame painted with the form filled (auto-fill done), the page
 * image decoded and its OCR words shown: first as a clerk does (keys a record, then opens
 * the next; the window decodes the next page meanwhile), then jumping from
 * record to record at once (every page decoded on demand).  The peer, measured in the same run, is
 * decoding that page image alone on the main thread — the least any
 * viewer must do.  Needs a display (run it under xvfb-run).
 *
 * Usage: sohoa-open-record [N_OPENS]   (default 30, at least 20)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-open-record"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sohoa-core.h"
#include "sohoa-sample-page.h"
#include "sohoa-window-private.h"

#define N_PAGES 6

/* How long the clerk keys a record before opening the next: the window
 * decodes the next page meanwhile.  Real keying takes 30 s or more. */
#define KEYING_PAUSE_MS 2000

typedef struct
{
  SohoaWindow *window;
  gint64       document_id;
  gboolean     painted;
} Open;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, (guint) MIN (values->len - 1, p * (values->len - 1) + 0.5));
}

static gboolean
is_shown (Open *open)
{
  SohoaPageView *view = _sohoa_window_get_page_view (open->window);
  SohoaRecordForm *form = _sohoa_window_get_record_form (open->window);
  SohoaPage *page = sohoa_page_view_get_page (view);

  return page != NULL &&
         sohoa_page_get_document_id (page) == open->document_id &&
         !sohoa_page_view_get_loading (view) &&
         sohoa_page_view_get_words (view) != NULL &&
         sohoa_record_form_get_record_id (form) > 0 &&
         !sohoa_record_form_get_autofilling (form);
}

static void
after_paint_cb (GdkFrameClock *clock,
                Open          *open)
{
  open->painted = TRUE;
}

static void
spin (gboolean (*done) (Open *), Open *open)
{
  while (!done (open))
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
is_painted (Open *open)
{
  return open->painted;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *workspace = NULL;
  g_autoptr(SohoaContext) context = NULL;
  g_autoptr(SohoaUser) admin = NULL;
  g_autoptr(SohoaUser) clerk = NULL;
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) opens = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) decodes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  GtkSingleSelection *pages;
  GdkFrameClock *clock;
  SohoaWindow *window;
  double first_open = 0;
  guint n_opens = argc > 1 ? (guint) MAX (20, atoi (argv[1])) : 30;
  guint n_pages = 0;
  const char *image_path;

  sohoa_ocr_limit_openmp (argv);
  gtk_init ();
  adw_init ();

  workspace = g_dir_make_tmp ("sohoa-open-record-XXXXXX", &error);
  g_assert_no_error (error);
  context = sohoa_context_open (workspace, &error);
  g_assert_no_error (error);
  admin = sohoa_store_initialize (sohoa_context_get_store (context), "26740", "Phường Sài Gòn",
                                  "admin", "Quản trị viên", "mat-khau-quan-tri", &error);
  g_assert_no_error (error);
  clerk = sohoa_store_add_user (sohoa_context_get_store (context), admin, "canbo", "Nguyễn Thị Lan",
                                SOHOA_ROLE_OPERATOR, "mat-khau-can-bo", &error);
  g_assert_no_error (error);
  sohoa_context_set_user (context, clerk);

  for (guint i = 0; i < N_PAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("trang-%u.png", i + 1);
      g_autofree char *path = g_build_filename (workspace, name, NULL);

      if (!sohoa_sample_page_render_png (SOHOA_SAMPLE_BIRTH_EXTRACT, 100 + i, 300, "Liberation Serif",
                                         path, NULL, &error))
        g_error ("Cannot render a page: %s", error->message);
      g_ptr_array_add (files, g_file_new_for_path (path));
    }
  report = sohoa_import_files (context, 0, "ho-tich.khai-sinh", (GFile **) files->pdata, files->len, NULL, &error);
  g_assert_no_error (error);
  if (!sohoa_ocr_batch (context, report->batch_id, NULL, &n_pages, &error))
    g_error ("OCR failed: %s", error->message);

  window = sohoa_window_new (NULL, context, FALSE);
  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1440, 900);
  sohoa_window_sign_in (window, clerk);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (_sohoa_window_get_batches (window)), 0);
  pages = GTK_SINGLE_SELECTION (_sohoa_window_get_pages (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  for (guint series = 0; series < 2; series++)
    {
      GArray *times = series == 0 ? opens : cold;

      for (guint i = 0; i <= n_opens; i++)
        {
          guint position = (i + 1 + series * 3) % N_PAGES;
          g_autoptr(SohoaPage) page = g_list_model_get_item (G_LIST_MODEL (pages), position);
          Open open = { window, sohoa_page_get_document_id (page), FALSE };
          gint64 until = g_get_monotonic_time () + (series == 0 ? KEYING_PAUSE_MS * 1000 : 0);
          gulong handler;
          double shown_ms;
          gint64 start;
          double ms;

          /* The clerk keys the record shown (or, second series, jumps on
           * at once). */
          while (g_get_monotonic_time () < until)
            g_main_context_iteration (NULL, FALSE), g_usleep (1000);
          while (g_main_context_iteration (NULL, FALSE))
            ;

          start = g_get_monotonic_time ();
          gtk_single_selection_set_selected (pages, position);
          spin (is_shown, &open);
          shown_ms = (g_get_monotonic_time () - start) / 1000.0;
          handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &open);
          gtk_widget_queue_draw (GTK_WIDGET (_sohoa_window_get_page_view (window)));
          spin (is_painted, &open);
          g_signal_handler_disconnect (clock, handler);
          ms = (g_get_monotonic_time () - start) / 1000.0;

          if (g_getenv ("SOHOA_BENCH_VERBOSE"))
            g_printerr ("open %u/%u: shown %.1f ms, painted %.1f ms\n", series, i, shown_ms, ms);
          if (i == 0 && series == 0)
            first_open = ms;
          else if (i > 0)
            g_array_append_val (times, ms);
        }
    }

  /* The peer: decoding the same pages' images, nothing else. */
  for (guint i = 0; i < n_opens; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i % N_PAGES);
      g_autoptr(GdkTexture) texture = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      image_path = sohoa_page_get_image_path (page);
      texture = gdk_texture_new_from_filename (image_path, &error);
      g_assert_no_error (error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (decodes, ms);
    }

  {
    double median = percentile (opens, 0.5);
    double p90 = percentile (opens, 0.9);
    double cold_median = percentile (cold, 0.5);
    double decode = percentile (decodes, 0.5);

    g_print ("pages: %u birth extracts, 300 dpi, %u OCR words on the last\n", N_PAGES,
             sohoa_page_view_get_words (_sohoa_window_get_page_view (window))->len);
    g_print ("first open (form built, nothing decoded): %.1f ms\n", first_open);
    g_print ("next record after %d ms of keying: median %.1f ms, p90 %.1f ms, min %.1f, max %.1f over %u opens\n",
             KEYING_PAUSE_MS, median, p90, g_array_index (opens, double, 0),
             g_array_index (opens, double, opens->len - 1), opens->len);
    g_print ("record jumped to at once (decoded on demand): median %.1f ms, p90 %.1f ms over %u opens\n",
             cold_median, percentile (cold, 0.9), cold->len);
    g_print ("peer, decoding one full page image on the main thread: median %.1f ms\n", decode);
    g_print ("open-record median %.1f ms (target <= 150 ms), %.2fx the bare decode; on demand %.2fx\n",
             median, median / decode, cold_median / decode);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_clear_object (&context);
  remove_tree (workspace);

  return 0;
}
