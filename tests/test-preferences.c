/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-preferences"

/* What the preferences window relies on in the core: the OCR settings
 * reach the OCR pool (its languages are the ones Tesseract loads, its
 * thread count the workers that run), and a workspace folder is checked
 * before it is kept. */

#include "config.h"

#include "sohoa-sample-page.h"
#include "sohoa-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void
test_languages_listed (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) languages = sohoa_ocr_list_languages (&error);

  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) languages, "vie"));
  g_assert_true (g_strv_contains ((const char * const *) languages, "eng"));
  g_assert_false (g_strv_contains ((const char * const *) languages, "osd"));
}

static void
test_engine_loads_every_language (void)
{
  g_autoptr(SohoaOcrEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) loaded = NULL;

  engine = sohoa_ocr_engine_new ("vie+eng", &error);
  g_assert_no_error (error);
  loaded = sohoa_ocr_engine_dup_languages (engine);
  g_assert_cmpuint (g_strv_length (loaded), ==, 2);
  g_assert_cmpstr (loaded[0], ==, "vie");
  g_assert_cmpstr (loaded[1], ==, "eng");

  /* A missing one names every package to install. */
  g_clear_pointer (&engine, sohoa_ocr_engine_free);
  engine = sohoa_ocr_engine_new ("vie+zzz", &error);
  g_assert_null (engine);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_OCR);
  g_assert_nonnull (strstr (error->message, "tesseract-ocr-zzz"));
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
  guint         n_workers;   /* OCR threads alive once reading started */
} Run;

static guint
count_ocr_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", name, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_equal (g_strstrip (comm), "sohoa-ocr"))
        n++;
    }
  return n;
}

/* Reading has started: every worker has its Tesseract loaded (with every
 * language) or is loading it, and none has run out of documents, as there
 * are at least as many documents as workers and none is finished. */
static void
count_on_progress_cb (SohoaJob   *job,
                      GParamSpec *pspec,
                      Run        *run)
{
  if (run->n_workers == 0 && sohoa_job_get_fraction (job) > 0)
    {
      run->n_workers = count_ocr_threads ();
      sohoa_job_cancel (job);
    }
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->result = g_object_ref (result);
  g_main_loop_quit (run->loop);
}

static guint
run_batch (SohoaContext *context,
           gint64        batch_id,
           GError      **error)
{
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  Run run = { g_main_loop_new (NULL, FALSE), NULL, 0 };
  guint n;

  g_signal_connect (job, "notify::fraction", G_CALLBACK (count_on_progress_cb), &run);
  sohoa_ocr_batch_async (context, batch_id, job, done_cb, &run);
  g_main_loop_run (run.loop);
  sohoa_ocr_batch_finish (context, run.result, &n, error);
  g_object_unref (run.result);
  g_main_loop_unref (run.loop);
  return run.n_workers;
}

static void
test_context_drives_pool (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dup = NULL;
  char *paths[3];
  GFile **files;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *name = g_strdup_printf ("page-%u.png", i);

      paths[i] = g_build_filename (ws->dir, name, NULL);
      g_assert_true (sohoa_sample_page_render_png (SOHOA_SAMPLE_BIRTH_EXTRACT, 20 + i, 200, "Liberation Serif",
                                                   paths[i], NULL, &error));
      g_assert_no_error (error);
    }
  /* One document per file: the pool hands out whole documents. */
  files = sohoa_test_files (paths[0], paths[1], paths[2], NULL);
  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 3, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    g_free (paths[i]);

  /* Defaults: Vietnamese, one worker per core. */
  dup = sohoa_context_dup_ocr_language (ws->context);
  g_assert_cmpstr (dup, ==, "vie");
  g_assert_cmpuint (sohoa_context_get_ocr_threads (ws->context), ==, 0);

  /* The language is the context's: one Tesseract lacks makes the run fail. */
  sohoa_context_set_ocr_language (ws->context, "vie+zzz");
  run_batch (ws->context, report->batch_id, &error);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_OCR);
  g_assert_nonnull (strstr (error->message, "vie+zzz"));
  g_clear_error (&error);

  /* Both languages load, and the pool is as big as the setting says. */
  sohoa_context_set_ocr_language (ws->context, "vie+eng");
  sohoa_context_set_ocr_threads (ws->context, 1);
  g_assert_cmpuint (run_batch (ws->context, report->batch_id, &error), ==, 1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  sohoa_context_set_ocr_threads (ws->context, 3);
  g_assert_cmpuint (run_batch (ws->context, report->batch_id, &error), ==, 3);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* 0 is one per core again (SOHOA_OCR_THREADS is unset in the tests). */
  sohoa_context_set_ocr_threads (ws->context, 0);
  g_assert_cmpuint (run_batch (ws->context, report->batch_id, &error), ==,
                    MIN (3, MAX (1, g_get_num_processors ())));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_workspace_dir_checked (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *nested = g_build_filename (ws->dir, "moi", "kho", NULL);
  g_autofree char *file = g_build_filename (ws->dir, "tep.txt", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;

  /* A missing folder is made, and nothing is left in it. */
  g_assert_true (sohoa_context_check_workspace_dir (nested, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (nested, G_FILE_TEST_IS_DIR));
  dir = g_dir_open (nested, 0, NULL);
  g_assert_null (g_dir_read_name (dir));

  g_assert_false (sohoa_context_check_workspace_dir ("relative/kho", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_assert_false (sohoa_context_check_workspace_dir (file, &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
  g_clear_error (&error);

  /* A folder nobody may write in, even root (the tests may run as root,
   * who ignores permission bits): /proc; and one that cannot be made in it. */
  g_assert_false (sohoa_context_check_workspace_dir ("/proc", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (sohoa_context_check_workspace_dir ("/proc/sohoa/kho", &error));
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("SOHOA_OCR_THREADS");

  g_test_add_func ("/preferences/ocr-languages-listed", test_languages_listed);
  g_test_add_func ("/preferences/ocr-engine-loads-every-language", test_engine_loads_every_language);
  g_test_add_func ("/preferences/ocr-context-drives-pool", test_context_drives_pool);
  g_test_add_func ("/preferences/workspace-dir-checked", test_workspace_dir_checked);

  return g_test_run ();
}
