/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include <glib/gstdio.h>

#include "sohoa-core-private.h"
#include "sohoa-hot-folder.h"
#include "sohoa-image-private.h"
#include "sohoa-sample-page.h"
#include "sohoa-test-util.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fcntl.h>
#include <unistd.h>

#define A4_WIDTH_PT  595.276
#define A4_HEIGHT_PT 841.89

/* Hot-folder waits: generous for a loaded two-core CI machine. */
#define WAIT_SECONDS 20

/* Helpers ----------------------------------------------------------------- */

static int
count_rows (SohoaStore *store,
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

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle && (name = g_dir_read_name (handle)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      n += g_file_test (path, G_FILE_TEST_IS_DIR) ? count_files (path) : 1;
    }
  return n;
}

static char *
file_sha256 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);
}

static SohoaImportReport *
import_paths (SohoaTestWorkspace *ws,
              const char         *first_path,
              ...)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  SohoaImportReport *report;
  va_list args;

  va_start (args, first_path);
  for (const char *path = first_path; path; path = va_arg (args, const char *))
    g_ptr_array_add (files, g_file_new_for_path (path));
  va_end (args);

  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", (GFile **) files->pdata, files->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* A PDF such as a scanner writes: each page one image, drawn at @dpi. */
static char *
write_scanned_pdf (const char *dir,
                   const char *name,
                   guint       n_pages,
                   guint       dpi)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  cairo_surface_t *pdf = cairo_pdf_surface_create (path, 100, 100);
  cairo_t *cr = cairo_create (pdf);

  for (guint i = 0; i < n_pages; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *png = g_build_filename (dir, "page.png", NULL);
      cairo_surface_t *image;
      int width, height;

      g_assert_true (sohoa_sample_page_render_png (SOHOA_SAMPLE_BIRTH_EXTRACT, i + 1, dpi, NULL, png, NULL, &error));
      g_assert_no_error (error);
      image = cairo_image_surface_create_from_png (png);
      g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
      width = cairo_image_surface_get_width (image);
      height = cairo_image_surface_get_height (image);

      cairo_pdf_surface_set_size (pdf, width * 72.0 / dpi, height * 72.0 / dpi);
      cairo_save (cr);
      cairo_scale (cr, 72.0 / dpi, 72.0 / dpi);
      cairo_set_source_surface (cr, image, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_show_page (cr);
      cairo_surface_destroy (image);
      g_unlink (png);
    }

  cairo_destroy (cr);
  cairo_surface_finish (pdf);
  g_assert_cmpint (cairo_surface_status (pdf), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (pdf);
  return g_steal_pointer (&path);
}

/* A PDF made by a word processor: text and lines, no images. */
static char *
write_text_pdf (const char *dir,
                const char *name,
                guint       n_pages,
                double      width_pt,
                double      height_pt)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  cairo_surface_t *pdf = cairo_pdf_surface_create (path, width_pt, height_pt);
  cairo_t *cr = cairo_create (pdf);

  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *title = g_strdup_printf ("Trang %u", i + 1);

      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_select_font_face (cr, "serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 14);
      cairo_move_to (cr, 72, 72);
      cairo_show_text (cr, "GIẤY KHAI SINH");
      cairo_move_to (cr, 72, 100);
      cairo_show_text (cr, title);
      cairo_rectangle (cr, 60, 120, width_pt - 120, 200);
      cairo_stroke (cr);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (pdf);
  g_assert_cmpint (cairo_surface_status (pdf), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (pdf);
  return g_steal_pointer (&path);
}

static GListModel *
list_pages (SohoaTestWorkspace *ws,
            gint64              batch_id)
{
  g_autoptr(GError) error = NULL;
  GListModel *pages = sohoa_store_list_pages (sohoa_context_get_store (ws->context), batch_id, &error);

  g_assert_no_error (error);
  return pages;
}

/* PDF --------------------------------------------------------------------- */

static void
test_pdf_scanned (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *pdf = write_scanned_pdf (ws->dir, "so-khai-sinh.pdf", 3, 200);
  g_autofree char *sha = file_sha256 (pdf);
  g_autofree char *original = NULL;
  g_autofree char *pdf_contents = NULL;
  g_autofree char *stored_contents = NULL;
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(SohoaImportReport) again = NULL;
  g_autoptr(GListModel) pages = NULL;
  gsize pdf_size, stored_size;
  gint64 document_id = 0;

  report = import_paths (ws, pdf, NULL);
  g_assert_cmpuint (report->errors->len, ==, 0);
  g_assert_cmpuint (report->n_imported, ==, 3);

  pages = list_pages (ws, report->batch_id);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      g_autoptr(PIX) pix = NULL;
      g_autofree char *display = g_strdup_printf ("-%u.png", i);

      /* One document, its pages in order, each the image it was made of:
       * A4 at 200 dpi is 1654 × 2339 pixels. */
      if (i == 0)
        document_id = sohoa_page_get_document_id (page);
      g_assert_cmpint (sohoa_page_get_document_id (page), ==, document_id);
      g_assert_cmpstr (sohoa_page_get_sha256 (page), ==, sha);
      g_assert_cmpuint (sohoa_page_get_dpi (page), ==, 200);
      g_assert_cmpint (ABS ((int) sohoa_page_get_width (page) - 1654), <=, 1);
      g_assert_cmpint (ABS ((int) sohoa_page_get_height (page) - 2339), <=, 1);

      /* Shown from a PNG in derived/ that records its resolution. */
      g_assert_true (g_str_has_suffix (sohoa_page_get_image_path (page), display));
      g_assert_nonnull (strstr (sohoa_page_get_image_path (page), "derived"));
      pix = pixRead (sohoa_page_get_image_path (page));
      g_assert_nonnull (pix);
      g_assert_cmpint (pixGetWidth (pix), ==, (int) sohoa_page_get_width (page));
      g_assert_cmpint (pixGetXRes (pix), ==, 200);
      g_assert_cmpint (pixGetYRes (pix), ==, 200);
      g_assert_true (g_file_test (sohoa_page_get_thumbnail_path (page), G_FILE_TEST_IS_REGULAR));
    }

  /* The PDF itself is kept untouched in pages/. */
  original = _sohoa_workspace_original_path (sohoa_context_get_workspace_dir (ws->context), sha, "pdf");
  g_assert_true (g_file_get_contents (pdf, &pdf_contents, &pdf_size, NULL));
  g_assert_true (g_file_get_contents (original, &stored_contents, &stored_size, NULL));
  g_assert_cmpmem (stored_contents, stored_size, pdf_contents, pdf_size);

  again = import_paths (ws, pdf, NULL);
  g_assert_cmpuint (again->n_imported, ==, 0);
  g_assert_cmpuint (again->n_duplicates, ==, 1);
}

static void
test_pdf_vector (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *pdf = write_text_pdf (ws->dir, "cong-van.pdf", 2, A4_WIDTH_PT, A4_HEIGHT_PT);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;

  report = import_paths (ws, pdf, NULL);
  g_assert_cmpuint (report->errors->len, ==, 0);
  g_assert_cmpuint (report->n_imported, ==, 2);

  pages = list_pages (ws, report->batch_id);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      g_autoptr(PIX) pix = pixRead (sohoa_page_get_image_path (page));

      g_assert_cmpuint (sohoa_page_get_dpi (page), ==, 300);
      g_assert_cmpint (ABS ((int) sohoa_page_get_width (page) - 2480), <=, 1);
      g_assert_cmpint (ABS ((int) sohoa_page_get_height (page) - 3508), <=, 1);
      g_assert_nonnull (pix);
      g_assert_cmpint (pixGetXRes (pix), ==, 300);
      /* Black text on white, not an empty or black page. */
      g_assert_cmpint (pixGetDepth (pix), ==, 32);
      {
        l_uint32 corner = 0;

        pixGetPixel (pix, 5, 5, &corner);
        g_assert_cmphex (corner & 0xffffff00, ==, 0xffffff00);
      }
    }
}

static void
assert_nothing_stored (SohoaTestWorkspace *ws)
{
  g_autofree char *pages_dir = g_build_filename (ws->dir, "pages", NULL);
  g_autofree char *display_dir = g_build_filename (ws->dir, "derived", "display", NULL);
  g_autofree char *thumbnail_dir = g_build_filename (ws->dir, "derived", "thumbnails", NULL);

  g_assert_cmpint (count_rows (sohoa_context_get_store (ws->context), "SELECT count(*) FROM pages"), ==, 0);
  g_assert_cmpuint (count_files (pages_dir), ==, 0);
  g_assert_cmpuint (count_files (display_dir), ==, 0);
  g_assert_cmpuint (count_files (thumbnail_dir), ==, 0);
}

static void
test_pdf_bad (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *input = g_build_filename (ws->dir, "input", NULL);
  g_autofree char *garbage = g_build_filename (input, "hong.pdf", NULL);
  g_autofree char *truncated = g_build_filename (input, "dang-do.pdf", NULL);
  g_autofree char *good = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(SohoaImportReport) report = NULL;
  gsize size;

  g_assert_cmpint (g_mkdir (input, 0700), ==, 0);
  good = write_text_pdf (input, "good.pdf", 3, A4_WIDTH_PT, A4_HEIGHT_PT);
  /* A page 5 m wide would be 60000 pixels across at 300 dpi. */
  huge = write_text_pdf (input, "ban-ve.pdf", 2, 14400, 14400);

  g_assert_true (g_file_set_contents (garbage, "%PDF-1.7\nkhông phải PDF\n%%EOF\n", -1, NULL));
  g_assert_true (g_file_get_contents (good, &contents, &size, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, size / 2, NULL));
  g_unlink (good);

  report = import_paths (ws, garbage, truncated, huge, NULL);
  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpuint (report->errors->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 0), "hong.pdf"));
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 1), "dang-do.pdf"));
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 2), "ban-ve.pdf"));
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 2), "too large"));
  assert_nothing_stored (ws);
}

static void
test_pdf_too_many_pages (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *pdf = write_text_pdf (ws->dir, "qua-dai.pdf", 2001, 100, 100);
  g_autoptr(SohoaImportReport) report = import_paths (ws, pdf, NULL);

  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpuint (report->errors->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 0), "2001 pages"));
  assert_nothing_stored (ws);
}

static void
test_pdf_encrypted (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *qpdf = g_find_program_in_path ("qpdf");
  g_autofree char *plain = NULL;
  g_autofree char *locked = g_build_filename (ws->dir, "mat-khau.pdf", NULL);
  g_autofree char *output = NULL;
  g_autoptr(SohoaImportReport) report = NULL;
  int status = 0;

  /* build-aux/dev installs qpdf: without it this test fails, not skips. */
  if (qpdf == NULL)
    {
      g_test_fail_printf ("qpdf is not installed: no encrypted PDF to test with");
      return;
    }

  plain = write_text_pdf (ws->dir, "plain.pdf", 1, A4_WIDTH_PT, A4_HEIGHT_PT);
  {
    const char *argv[] = { qpdf, "--encrypt", "user-pw", "owner-pw", "256", "--", plain, locked, NULL };

    output = sohoa_test_run (argv, &status);
    g_assert_cmpint (status, ==, 0);
  }
  g_unlink (plain);

  report = import_paths (ws, locked, NULL);
  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpuint (report->errors->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 0), "mat-khau.pdf"));
  g_assert_nonnull (strstr (g_ptr_array_index (report->errors, 0), "password"));
  assert_nothing_stored (ws);
}

/* Folders ----------------------------------------------------------------- */

static void
test_folder (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *root = g_build_filename (ws->dir, "so-2020", NULL);
  g_autofree char *part2 = g_build_filename (root, "phan2", NULL);
  g_autofree char *part10 = g_build_filename (root, "phan10", NULL);
  g_autofree char *hidden_dir = g_build_filename (root, ".thumbs", NULL);
  g_autofree char *notes = g_build_filename (root, "ghi-chu.txt", NULL);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  static const char * const expected[] = { "a2.png", "a10.jpg", "scan1.png", "scan2.png", "scan10.png" };

  g_assert_cmpint (g_mkdir_with_parents (part2, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (part10, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (hidden_dir, 0700), ==, 0);
  g_free (sohoa_test_write_image (root, "scan10.png", "png", 10, 1));
  g_free (sohoa_test_write_image (root, "scan2.png", "png", 2, 1));
  g_free (sohoa_test_write_image (root, "scan1.png", "png", 1, 1));
  g_free (sohoa_test_write_image (part10, "a10.jpg", "jpeg", 20, 1));
  g_free (sohoa_test_write_image (part2, "a2.png", "png", 30, 1));
  g_free (sohoa_test_write_image (root, ".an.png", "png", 40, 1));
  g_free (sohoa_test_write_image (hidden_dir, "x.png", "png", 50, 1));
  g_assert_true (g_file_set_contents (notes, "Sổ năm 2020", -1, NULL));

  report = import_paths (ws, root, NULL);
  g_assert_cmpuint (report->errors->len, ==, 0);
  g_assert_cmpuint (report->n_imported, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (report->n_skipped, ==, 1);
  g_assert_cmpuint (report->files->len, ==, G_N_ELEMENTS (expected));

  pages = list_pages (ws, report->batch_id);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (report->files, i));

      g_assert_cmpstr (sohoa_page_get_source_name (page), ==, expected[i]);
      g_assert_cmpstr (name, ==, expected[i]);
    }
}

/* Hot folder -------------------------------------------------------------- */

typedef struct
{
  GPtrArray *reports;
  GPtrArray *errors;
} Watch;

static void
imported_cb (SohoaHotFolder    *folder,
             SohoaImportReport *report,
             Watch             *watch)
{
  g_ptr_array_add (watch->reports, sohoa_import_report_copy (report));
}

static void
error_cb (SohoaHotFolder *folder,
          GError         *error,
          Watch          *watch)
{
  g_test_message ("hot folder: %s", error->message);
  g_ptr_array_add (watch->errors, g_strdup (error->message));
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop for @seconds, or until @watch has @n_reports. */
static void
run_loop (Watch  *watch,
          guint   n_reports,
          double  seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint tick = g_timeout_add (50, tick_cb, NULL);

  while (g_get_monotonic_time () < deadline && (n_reports == 0 || watch->reports->len < n_reports))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static SohoaHotFolder *
start_watching (SohoaTestWorkspace *ws,
                const char         *dir,
                Watch              *watch)
{
  g_autoptr(GFile) directory = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  SohoaHotFolder *folder = sohoa_hot_folder_new (ws->context, directory, 0);

  g_signal_connect (folder, "imported", G_CALLBACK (imported_cb), watch);
  g_signal_connect (folder, "error", G_CALLBACK (error_cb), watch);
  g_assert_true (sohoa_hot_folder_start (folder, &error));
  g_assert_no_error (error);
  g_assert_true (sohoa_hot_folder_get_watching (folder));
  return folder;
}

/* Writes @contents to @path in two halves with a pause between, as a slow
 * network scanner does, checking that nothing is imported meanwhile. */
static void
write_slowly (Watch      *watch,
              const char *path,
              const char *contents,
              gsize       size,
              double      pause)
{
  guint before = watch->reports->len;
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, contents, size / 2), ==, (gssize) (size / 2));
  run_loop (watch, 0, pause);
  g_assert_cmpuint (watch->reports->len, ==, before);
  g_assert_cmpint (write (fd, contents + size / 2, size - size / 2), ==, (gssize) (size - size / 2));
  g_assert_cmpint (close (fd), ==, 0);
}

static void
assert_imported_once (Watch      *watch,
                      SohoaStore *store,
                      guint       n_reports,
                      const char *sha)
{
  SohoaImportReport *report;

  run_loop (watch, n_reports, WAIT_SECONDS);
  g_assert_cmpuint (watch->reports->len, ==, n_reports);
  report = g_ptr_array_index (watch->reports, n_reports - 1);
  g_assert_cmpuint (report->n_imported, ==, 1);
  g_assert_cmpuint (report->errors->len, ==, 0);
  /* What was stored is the whole file, never a part of it. */
  g_assert_cmpint (sohoa_store_find_page (store, sha, NULL), !=, 0);
}

static void
test_hot_folder (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *hot = g_build_filename (ws->dir, "may-quet", NULL);
  g_autofree char *source = g_build_filename (ws->dir, "source", NULL);
  g_autofree char *first = g_build_filename (hot, "scan001.png", NULL);
  g_autofree char *second = g_build_filename (hot, "scan002.png", NULL);
  g_autofree char *part = g_build_filename (hot, "scan003.png.part", NULL);
  g_autofree char *third = g_build_filename (hot, "scan003.png", NULL);
  g_autofree char *notes = g_build_filename (hot, "ghi-chu.txt", NULL);
  g_autofree char *hidden = g_build_filename (hot, ".scan004.png", NULL);
  char *shas[3] = { NULL };
  char *contents[3] = { NULL };
  gsize sizes[3];
  g_autoptr(SohoaHotFolder) folder = NULL;
  g_autoptr(SohoaHotFolder) again = NULL;
  Watch watch = { g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_import_report_free),
                  g_ptr_array_new_with_free_func (g_free) };
  gint64 batch_id;
  int n_batches;
  guint n_duplicates = 0;

  g_assert_cmpint (g_mkdir (hot, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (source, 0700), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u.png", i);
      g_autofree char *path = sohoa_test_write_image (source, name, "png", 100 + i, 1);

      g_assert_true (g_file_get_contents (path, &contents[i], &sizes[i], NULL));
      shas[i] = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents[i], sizes[i]);
    }

  folder = start_watching (ws, hot, &watch);
  run_loop (&watch, 0, 0.5);
  g_assert_cmpuint (watch.reports->len, ==, 0);

  /* Half a file, a pause, the rest: imported once, whole, after the
   * writer closes it. */
  write_slowly (&watch, first, contents[0], sizes[0], 1.5);
  assert_imported_once (&watch, store, 1, shas[0]);
  batch_id = ((SohoaImportReport *) g_ptr_array_index (watch.reports, 0))->batch_id;
  g_assert_cmpint (batch_id, >, 0);
  g_assert_cmpint (sohoa_hot_folder_get_batch_id (folder), ==, batch_id);

  /* A pause long enough for GLib to guess that the writer is done: the
   * file does not end like a whole PNG yet, so it waits for the rest. */
  write_slowly (&watch, second, contents[1], sizes[1], 4.0);
  assert_imported_once (&watch, store, 2, shas[1]);

  /* Written under a temporary name, then renamed. */
  g_assert_true (g_file_set_contents (part, contents[2], sizes[2], NULL));
  run_loop (&watch, 0, 2.0);
  g_assert_cmpuint (watch.reports->len, ==, 2);
  g_assert_cmpint (g_rename (part, third), ==, 0);
  assert_imported_once (&watch, store, 3, shas[2]);

  /* Nothing more comes of it, nor of files that are not pages. */
  g_assert_true (g_file_set_contents (notes, "Máy quét tầng 2", -1, NULL));
  g_assert_true (g_file_set_contents (hidden, contents[0], sizes[0] / 2, NULL));
  run_loop (&watch, 0, 2.5);
  g_assert_cmpuint (watch.reports->len, ==, 3);
  g_assert_cmpuint (watch.errors->len, ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM pages"), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      SohoaImportReport *report = g_ptr_array_index (watch.reports, i);

      g_assert_cmpint (report->batch_id, ==, batch_id);
    }

  /* Watching again, as after a restart: the files still there are not
   * imported twice, and no empty batch is made for them. */
  sohoa_hot_folder_stop (folder);
  g_assert_false (sohoa_hot_folder_get_watching (folder));
  n_batches = count_rows (store, "SELECT count(*) FROM batches");
  again = start_watching (ws, hot, &watch);
  run_loop (&watch, 6, WAIT_SECONDS);
  g_assert_cmpuint (watch.reports->len, ==, 6);
  for (guint i = 3; i < 6; i++)
    {
      SohoaImportReport *report = g_ptr_array_index (watch.reports, i);
      g_autofree char *name = NULL;
      g_autofree char *expected = g_strdup_printf ("scan%03u.png", i - 2);

      g_assert_cmpuint (report->n_imported, ==, 0);
      n_duplicates += report->n_duplicates;
      /* Files found together are taken in the order of their names. */
      g_assert_cmpuint (report->files->len, ==, 1);
      name = g_file_get_basename (g_ptr_array_index (report->files, 0));
      g_assert_cmpstr (name, ==, expected);
    }
  g_assert_cmpuint (n_duplicates, ==, 3);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM pages"), ==, 3);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM batches"), ==, n_batches);
  g_assert_cmpuint (watch.errors->len, ==, 0);

  sohoa_hot_folder_stop (again);
  for (guint i = 0; i < 3; i++)
    {
      g_free (shas[i]);
      g_free (contents[i]);
    }
  g_ptr_array_unref (watch.reports);
  g_ptr_array_unref (watch.errors);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/pdf/scanned", test_pdf_scanned);
  g_test_add_func ("/import/pdf/vector", test_pdf_vector);
  g_test_add_func ("/import/pdf/bad", test_pdf_bad);
  g_test_add_func ("/import/pdf/too-many-pages", test_pdf_too_many_pages);
  g_test_add_func ("/import/pdf/encrypted", test_pdf_encrypted);
  g_test_add_func ("/import/folder", test_folder);
  g_test_add_func ("/import/hot-folder", test_hot_folder);

  return g_test_run ();
}
