/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-page-adjust"

/* Turning a page, the "orientation unsure" flag and reading a page without
 * cleanup: with real Leptonica, Tesseract and SQLite. */

#include "config.h"

#include "sohoa-image-private.h"
#include "sohoa-preprocess.h"
#include "sohoa-sample-page.h"
#include "sohoa-test-util.h"

#include <string.h>

/* A rendered civil-status extract, turned by @quarters clockwise. */
static char *
render_turned (const char *dir,
               const char *name,
               guint       seed,
               int         quarters)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PIX) pix = NULL;
  g_autoptr(PIX) turned = NULL;

  g_assert_true (sohoa_sample_page_render_png (SOHOA_SAMPLE_BIRTH_EXTRACT, seed, 300, "Liberation Serif",
                                               path, NULL, &error));
  g_assert_no_error (error);
  if (quarters == 0)
    return g_steal_pointer (&path);
  pix = pixRead (path);
  turned = pixRotateOrth (pix, quarters);
  pixCopyResolution (turned, pix);
  g_assert_cmpint (pixWrite (path, turned, IFF_PNG), ==, 0);
  return g_steal_pointer (&path);
}

/* A page with ink but no text to tell its way up: a drawn frame and a
 * stamp-like box, as a plan or a photo leaves. */
static char *
write_textless (const char *dir,
                const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(PIX) pix = pixCreate (2480, 3508, 8);
  BOX *box;

  pixSetAll (pix);
  pixSetResolution (pix, 300, 300);
  box = boxCreate (400, 500, 1600, 1200);
  pixRenderBox (pix, box, 12, L_SET_PIXELS);
  boxDestroy (&box);
  box = boxCreate (900, 2200, 700, 500);
  pixClearInRect (pix, box);
  boxDestroy (&box);
  g_assert_cmpint (pixWrite (path, pix, IFF_PNG), ==, 0);
  return g_steal_pointer (&path);
}

static void
ocr (SohoaTestWorkspace *ws,
     gint64              batch_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sohoa_ocr_batch (ws->context, batch_id, NULL, NULL, &error));
  g_assert_no_error (error);
}

static SohoaPage *
nth_page (SohoaTestWorkspace *ws,
          gint64              batch_id,
          guint               i)
{
  g_autoptr(GListModel) pages = sohoa_store_list_pages (sohoa_context_get_store (ws->context), batch_id, NULL);

  return g_list_model_get_item (pages, i);
}

static gint64
import (SohoaTestWorkspace *ws,
        const char         *path)
{
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GFile **files = sohoa_test_files (path, NULL);

  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 1, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  return report->batch_id;
}

static void
test_preprocess_orientation_unsure (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *text_page = render_turned (ws->dir, "text.png", 4, 0);
  g_autofree char *plain_page = write_textless (ws->dir, "plain.png");
  g_autoptr(PIX) text = pixRead (text_page);
  g_autoptr(PIX) plain = pixRead (plain_page);
  g_autoptr(PIX) a = NULL;
  g_autoptr(PIX) b = NULL;
  g_autoptr(PIX) c = NULL;
  SohoaPreprocessOptions forced = { 270, FALSE };
  SohoaPreprocessOptions raw = { 90, TRUE };
  SohoaPreprocessInfo info;

  a = sohoa_preprocess_for_ocr (text, &info, NULL);
  g_assert_false (info.orientation_unsure);
  g_assert_cmpint (info.rotation, ==, 0);
  g_assert_cmpfloat (info.orientation_confidence, >, 5);

  b = sohoa_preprocess_for_ocr (plain, &info, NULL);
  g_assert_false (info.blank);
  g_assert_true (info.orientation_unsure);
  g_assert_cmpint (info.rotation, ==, 0);

  /* A turn the clerk chose is applied as it is, never guessed. */
  g_clear_pointer (&a, _sohoa_pix_destroy);
  a = sohoa_preprocess_page (text, &forced, &info, NULL);
  g_assert_cmpint (info.rotation, ==, 270);
  g_assert_cmpint (pixGetWidth (a), ==, pixGetHeight (text));
  g_assert_false (info.orientation_unsure);

  /* Without cleanup: the original only turned, in grey, nothing else. */
  c = sohoa_preprocess_page (text, &raw, &info, NULL);
  g_assert_cmpint (info.rotation, ==, 90);
  g_assert_cmpfloat (info.skew, ==, 0);
  g_assert_cmpint (pixGetDepth (c), ==, 8);
  g_assert_cmpint (pixGetWidth (c), ==, pixGetHeight (text));
}

static void
test_rotate_page (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  /* Turned a quarter anticlockwise: a quarter clockwise makes it upright. */
  g_autofree char *path = render_turned (ws->dir, "sideways.png", 5, 3);
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(SohoaPage) turned = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PIX) shown = NULL;
  g_autoptr(PIX) thumb = NULL;
  g_autofree char *text = NULL;
  gint64 batch_id = import (ws, path);
  guint n_audit = 0, n_audit_after = 0;

  page = nth_page (ws, batch_id, 0);
  g_assert_cmpint (sohoa_page_get_rotation (page), ==, 0);
  g_assert_cmpstr (sohoa_page_get_image_path (page), ==, sohoa_page_get_original_path (page));

  /* Bad turns are refused with a clear error. */
  g_assert_false (sohoa_page_adjust_rotate (store, ws->operator, sohoa_page_get_id (page), 45, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sohoa_page_adjust_rotate (store, NULL, sohoa_page_get_id (page), 90, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_true (sohoa_store_verify_audit (store, &n_audit, &error));
  g_assert_true (sohoa_page_adjust_rotate (store, ws->operator, sohoa_page_get_id (page), 90, &error));
  g_assert_no_error (error);
  g_assert_true (sohoa_store_verify_audit (store, &n_audit_after, &error));
  g_assert_cmpuint (n_audit_after, ==, n_audit + 1);

  /* The page is shown upright: a turned copy of its image and thumbnail;
   * the original is untouched. */
  turned = nth_page (ws, batch_id, 0);
  g_assert_true (turned != page);
  g_assert_cmpint (sohoa_page_get_rotation (turned), ==, 90);
  g_assert_true (sohoa_page_get_rotation_manual (turned));
  g_assert_cmpstr (sohoa_page_get_image_path (turned), !=, sohoa_page_get_original_path (turned));
  shown = pixRead (sohoa_page_get_image_path (turned));
  g_assert_nonnull (shown);
  g_assert_cmpint (pixGetWidth (shown), ==, sohoa_page_get_height (turned));
  thumb = pixRead (sohoa_page_get_thumbnail_path (turned));
  g_assert_nonnull (thumb);
  g_assert_cmpint (pixGetWidth (thumb), <, pixGetHeight (thumb));   /* the scan was landscape */
  g_assert_true (g_str_has_suffix (sohoa_page_get_thumbnail_path (turned), "-r90.png"));

  /* Read with the clerk's turn: the text comes out right. */
  ocr (ws, batch_id);
  g_clear_object (&turned);
  turned = nth_page (ws, batch_id, 0);
  g_assert_cmpint (sohoa_page_get_ocr_state (turned), ==, SOHOA_OCR_DONE);
  g_assert_cmpint (sohoa_page_get_rotation (turned), ==, 90);
  text = sohoa_store_get_page_text (store, sohoa_page_get_id (turned), &error);
  g_assert_nonnull (strstr (text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
  g_clear_pointer (&text, g_free);

  /* Turning after OCR marks the page pending again; OCR keeps the turn
   * the clerk chose, even a wrong one (upside down here). */
  g_assert_true (sohoa_page_adjust_rotate (store, ws->operator, sohoa_page_get_id (turned), 180, &error));
  g_clear_object (&turned);
  turned = nth_page (ws, batch_id, 0);
  g_assert_cmpint (sohoa_page_get_ocr_state (turned), ==, SOHOA_OCR_PENDING);
  g_assert_cmpint (sohoa_page_get_rotation (turned), ==, 270);
  g_assert_cmpuint (sohoa_page_get_n_flagged (turned), ==, 0);
  ocr (ws, batch_id);
  g_clear_object (&turned);
  turned = nth_page (ws, batch_id, 0);
  g_assert_cmpint (sohoa_page_get_rotation (turned), ==, 270);
  text = sohoa_store_get_page_text (store, sohoa_page_get_id (turned), &error);
  g_assert_null (strstr (text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));

  /* A submitted batch cannot be turned. */
  g_assert_true (sohoa_store_submit_batch (store, ws->operator, batch_id, &error));
  g_assert_no_error (error);
  g_assert_false (sohoa_page_adjust_rotate (store, ws->operator, sohoa_page_get_id (turned), 90, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE);
}

static void
test_orientation_unsure_flag (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *path = write_textless (ws->dir, "plan.png");
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 batch_id = import (ws, path);

  ocr (ws, batch_id);
  page = nth_page (ws, batch_id, 0);
  g_assert_true (sohoa_page_get_orientation_unsure (page));
  g_assert_false (sohoa_page_get_rotation_manual (page));

  /* The clerk says it is upright: the flag goes, the page is not read
   * again, and a later reading keeps the turn. */
  g_assert_true (sohoa_page_adjust_accept_orientation (store, ws->operator, sohoa_page_get_id (page), &error));
  g_assert_no_error (error);
  g_clear_object (&page);
  page = nth_page (ws, batch_id, 0);
  g_assert_false (sohoa_page_get_orientation_unsure (page));
  g_assert_true (sohoa_page_get_rotation_manual (page));
  g_assert_cmpint (sohoa_page_get_ocr_state (page), ==, SOHOA_OCR_DONE);
}

static void
test_no_cleanup (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *path = render_turned (ws->dir, "page.png", 6, 0);
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cleaned = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PIX) pix = NULL;
  gint64 batch_id = import (ws, path);

  ocr (ws, batch_id);
  page = nth_page (ws, batch_id, 0);

  /* The cleaned page, as OCR reads it, for the clerk to compare. */
  cleaned = sohoa_page_adjust_render_cleaned (store, page, &error);
  g_assert_no_error (error);
  pix = pixRead (cleaned);
  g_assert_nonnull (pix);
  g_assert_cmpint (pixGetDepth (pix), ==, 8);
  g_assert_nonnull (strstr (cleaned, "derived"));

  /* Read without cleanup: the page waits, then reads from the original. */
  g_assert_true (sohoa_page_adjust_set_no_cleanup (store, ws->operator, sohoa_page_get_id (page), TRUE, &error));
  g_assert_no_error (error);
  g_clear_object (&page);
  page = nth_page (ws, batch_id, 0);
  g_assert_true (sohoa_page_get_no_cleanup (page));
  g_assert_cmpint (sohoa_page_get_ocr_state (page), ==, SOHOA_OCR_PENDING);
  plain = sohoa_page_adjust_render_cleaned (store, page, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plain, !=, cleaned);
  ocr (ws, batch_id);
  text = sohoa_store_get_page_text (store, sohoa_page_get_id (page), &error);
  g_assert_nonnull (strstr (text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));

  /* And back. */
  g_assert_true (sohoa_page_adjust_set_no_cleanup (store, ws->operator, sohoa_page_get_id (page), FALSE, &error));
  g_clear_object (&page);
  page = nth_page (ws, batch_id, 0);
  g_assert_false (sohoa_page_get_no_cleanup (page));
}

static void
queue_finished_cb (SohoaOcrQueue *queue,
                   gint64         batch_id,
                   guint          n_pages,
                   const GError  *error,
                   guint         *n_runs)
{
  g_assert_no_error (error);
  (*n_runs)++;
}

/* OCR behind capture: a batch that gets pages while it is read is read
 * again for them; the queue ends idle with every page done. */
static void
test_ocr_queue (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *a = render_turned (ws->dir, "a.png", 8, 0);
  g_autofree char *b = render_turned (ws->dir, "b.png", 9, 0);
  g_autoptr(SohoaOcrQueue) queue = sohoa_ocr_queue_new (ws->context);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaPage) first = NULL;
  g_autoptr(SohoaPage) second = NULL;
  gint64 batch_id = import (ws, a);
  GFile **files = sohoa_test_files (b, NULL);
  guint n_runs = 0;

  g_signal_connect (queue, "finished", G_CALLBACK (queue_finished_cb), &n_runs);
  sohoa_ocr_queue_add (queue, batch_id);
  g_assert_true (sohoa_ocr_queue_get_busy (queue));
  g_assert_nonnull (sohoa_ocr_queue_get_job (queue));

  /* A page arrives while the first is read. */
  report = sohoa_import_files (ws->context, batch_id, "khai-sinh", files, 1, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  sohoa_ocr_queue_add (queue, batch_id);

  while (sohoa_ocr_queue_get_busy (queue))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (n_runs, ==, 2);
  first = nth_page (ws, batch_id, 0);
  second = nth_page (ws, batch_id, 1);
  g_assert_cmpint (sohoa_page_get_ocr_state (first), ==, SOHOA_OCR_DONE);
  g_assert_cmpint (sohoa_page_get_ocr_state (second), ==, SOHOA_OCR_DONE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  setMsgSeverity (L_SEVERITY_WARNING);

  g_test_add_func ("/page-adjust/preprocess-orientation-unsure", test_preprocess_orientation_unsure);
  g_test_add_func ("/page-adjust/rotate", test_rotate_page);
  g_test_add_func ("/page-adjust/orientation-unsure", test_orientation_unsure_flag);
  g_test_add_func ("/page-adjust/no-cleanup", test_no_cleanup);
  g_test_add_func ("/page-adjust/ocr-queue", test_ocr_queue);

  return g_test_run ();
}
