/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ocr"

#include "config.h"

#include "sohoa-sample-page.h"
#include "sohoa-test-util.h"

#include <string.h>

static char *
render (const char *dir,
        const char *name,
        guint       seed,
        char      **truth)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (sohoa_sample_page_render_png (SOHOA_SAMPLE_BIRTH_EXTRACT, seed, 300, "Liberation Serif",
                                               path, truth, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_recognize_page (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *truth = NULL;
  g_autofree char *path = render (ws->dir, "page.png", 3, &truth);
  g_autoptr(SohoaOcrEngine) engine = NULL;
  g_autoptr(SohoaOcrResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nfc = NULL;
  guint n_lines = 0;

  engine = sohoa_ocr_engine_new ("vie", &error);
  g_assert_no_error (error);
  result = sohoa_ocr_engine_recognize (engine, path, NULL, &error);
  g_assert_no_error (error);

  nfc = g_utf8_normalize (result->text, -1, G_NORMALIZE_NFC);
  g_assert_cmpstr (nfc, ==, result->text);
  g_assert_nonnull (strstr (result->text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
  g_assert_nonnull (strstr (result->text, "Độc lập"));

  g_assert_cmpuint (result->words->len, >, 40);
  for (guint i = 0; i < result->words->len; i++)
    {
      SohoaOcrWord *word = g_ptr_array_index (result->words, i);

      g_assert_cmpint (word->x, >=, 0);
      g_assert_cmpint (word->y, >=, 0);
      g_assert_cmpint (word->width, >, 0);
      g_assert_cmpint (word->x + word->width, <=, 2480);
      g_assert_cmpint (word->y + word->height, <=, 3508);
      g_assert_cmpfloat (word->confidence, >=, 0);
      g_assert_cmpfloat (word->confidence, <=, 100);
      n_lines = MAX (n_lines, (guint) word->line + 1);
    }
  g_assert_cmpuint (n_lines, >, 10);
  g_assert_cmpfloat (result->mean_confidence, >, 70);
}

static void
test_recognize_bad_file (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *path = g_build_filename (ws->dir, "bad.png", NULL);
  g_autoptr(SohoaOcrEngine) engine = sohoa_ocr_engine_new ("vie", NULL);
  g_autoptr(SohoaOcrResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "\x89PNG\r\n\x1a\n garbage", -1, NULL));
  result = sohoa_ocr_engine_recognize (engine, path, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE);
}

static void
test_missing_language (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaOcrEngine) engine = sohoa_ocr_engine_new ("xyz", &error);

  g_assert_null (engine);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_OCR);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
cancel_on_progress_cb (SohoaJob   *job,
                       GParamSpec *pspec,
                       gint64     *cancelled_at)
{
  if (*cancelled_at == 0 && sohoa_job_get_fraction (job) > 0.05)
    {
      *cancelled_at = g_get_monotonic_time ();
      sohoa_job_cancel (job);
    }
}

static void
test_batch_stores_words_and_cancels (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *a = render (ws->dir, "a.png", 10, NULL);
  g_autofree char *b = render (ws->dir, "b.png", 11, NULL);
  g_autofree char *c = render (ws->dir, "c.png", 12, NULL);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL };
  GFile **files = sohoa_test_files (a, b, c, NULL);
  gint64 cancelled_at = 0;
  guint n_done = 0, n_pending = 0, n = 0;

  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 3, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);

  /* Cancel while the first page is being read: the worker stops inside
   * Tesseract, and pages not finished stay pending. */
  g_signal_connect (job, "notify::fraction", G_CALLBACK (cancel_on_progress_cb), &cancelled_at);
  sohoa_ocr_batch_async (ws->context, report->batch_id, job, done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_assert_false (sohoa_ocr_batch_finish (ws->context, wait.result, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancel took effect after %.0f ms",
                  (g_get_monotonic_time () - cancelled_at) / 1000.0);
  g_clear_error (&error);
  g_clear_object (&wait.result);

  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      n_pending += sohoa_page_get_ocr_state (page) == SOHOA_OCR_PENDING;
    }
  g_assert_cmpuint (n_pending, >=, 2);

  /* Run again to the end: every page read, words stored with boxes. */
  g_clear_object (&job);
  job = sohoa_job_new ();
  sohoa_ocr_batch_async (ws->context, report->batch_id, job, done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_assert_true (sohoa_ocr_batch_finish (ws->context, wait.result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, n_pending);
  g_clear_object (&wait.result);
  g_assert_cmpfloat (sohoa_job_get_fraction (job), ==, 1.0);

  g_clear_object (&pages);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      g_autoptr(GPtrArray) words = sohoa_store_get_page_words (store, sohoa_page_get_id (page), &error);
      g_autofree char *text = sohoa_store_get_page_text (store, sohoa_page_get_id (page), &error);

      n_done += sohoa_page_get_ocr_state (page) == SOHOA_OCR_DONE;
      g_assert_cmpuint (words->len, >, 40);
      g_assert_cmpfloat (sohoa_page_get_ocr_confidence (page), >, 70);
      g_assert_nonnull (strstr (text, "TRÍCH LỤC"));

      /* Each document has a searchable PDF: an independent tool gets the
       * Vietnamese text back out of its invisible layer. */
      {
        g_autofree char *pdf = sohoa_store_dup_document_pdf_path (store, sohoa_page_get_document_id (page));
        g_autofree char *pdf_text = NULL;
        const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
        int status;

        g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
        pdf_text = sohoa_test_run (argv, &status);
        g_assert_true (g_spawn_check_wait_status (status, NULL));
        g_assert_nonnull (strstr (pdf_text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
      }
    }
  g_assert_cmpuint (n_done, ==, 3);
  g_main_loop_unref (wait.loop);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ocr/recognize-page", test_recognize_page);
  g_test_add_func ("/ocr/recognize-bad-file", test_recognize_bad_file);
  g_test_add_func ("/ocr/missing-language", test_missing_language);
  g_test_add_func ("/ocr/batch-stores-words-and-cancels", test_batch_stores_words_and_cancels);

  return g_test_run ();
}
