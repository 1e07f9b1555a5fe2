/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-ocr"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-image-private.h"
#include "sohoa-ocr.h"
#include "sohoa-vntext.h"

#include <tesseract/capi.h>
#include <unistd.h>

struct _SohoaOcrEngine
{
  TessBaseAPI *api;
  char        *language;
};

typedef struct
{
  GCancellable *cancellable;
  SohoaJob     *job;
  guint         page;
  guint         n_pages;
  int           last_progress;
} Monitor;

/**
 * sohoa_ocr_limit_openmp:
 * @argv: the program's arguments, to start it again
 *
 * Sohoa runs one Tesseract per worker thread; OpenMP threads inside each
 * would fight over the same cores and make recognition several times
 * slower.  libgomp reads OMP_THREAD_LIMIT only when it is loaded, so set it
 * and start the program again before anything else happens.  Call first
 * thing in main().
 */
void
sohoa_ocr_limit_openmp (char **argv)
{
  if (g_getenv ("OMP_THREAD_LIMIT") != NULL)
    return;

  g_setenv ("OMP_THREAD_LIMIT", "1", TRUE);
  execv ("/proc/self/exe", argv);
  g_warning ("Could not restart with OpenMP limited to one thread; OCR will be slower");
}

void
sohoa_ocr_result_free (SohoaOcrResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->words, g_ptr_array_unref);
  g_free (result->text);
  g_free (result);
}

SohoaOcrEngine *
sohoa_ocr_engine_new (const char  *language,
                      GError     **error)
{
  g_autoptr(SohoaOcrEngine) engine = g_new0 (SohoaOcrEngine, 1);

  g_return_val_if_fail (language != NULL, NULL);

  engine->language = g_strdup (language);
  engine->api = TessBaseAPICreate ();
  if (TessBaseAPIInit3 (engine->api, NULL, language) != 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_OCR,
                   _("The text recognition data for “%s” is not installed (package tesseract-ocr-%s)."),
                   language, language);
      return NULL;
    }
  /* Tesseract's own chatter goes nowhere; Sohoa reports what matters. */
  TessBaseAPISetVariable (engine->api, "debug_file", "/dev/null");

  return g_steal_pointer (&engine);
}

void
sohoa_ocr_engine_free (SohoaOcrEngine *engine)
{
  if (engine == NULL)
    return;
  if (engine->api)
    {
      TessBaseAPIEnd (engine->api);
      TessBaseAPIDelete (engine->api);
    }
  g_free (engine->language);
  g_free (engine);
}

static bool
cancel_cb (void *cancel_this,
           int   words)
{
  Monitor *monitor = cancel_this;

  return g_cancellable_is_cancelled (monitor->cancellable);
}

static bool
progress_cb (ETEXT_DESC *desc,
             int         left,
             int         right,
             int         top,
             int         bottom)
{
  Monitor *monitor = TessMonitorGetCancelThis (desc);
  int progress = TessMonitorGetProgress (desc);

  if (monitor->job && progress / 5 != monitor->last_progress / 5)
    {
      g_autofree char *message = g_strdup_printf (_("Reading page %u of %u"), monitor->page + 1, monitor->n_pages);

      sohoa_job_report (monitor->job, monitor->page * 100 + (guint) CLAMP (progress, 0, 100),
                        monitor->n_pages * 100, message);
    }
  monitor->last_progress = progress;
  return true;
}

static void
collect_words (TessBaseAPI *api,
               GPtrArray   *words)
{
  TessResultIterator *it = TessBaseAPIGetIterator (api);
  const TessPageIterator *page_it;
  int block = -1;
  int line = -1;

  if (it == NULL)
    return;
  page_it = TessResultIteratorGetPageIteratorConst (it);

  do
    {
      char *text;
      int x1, y1, x2, y2;

      if (TessPageIteratorIsAtBeginningOf (page_it, RIL_BLOCK))
        block++;
      if (TessPageIteratorIsAtBeginningOf (page_it, RIL_TEXTLINE))
        line++;

      text = TessResultIteratorGetUTF8Text (it, RIL_WORD);
      if (text != NULL && *text != '\0' &&
          TessPageIteratorBoundingBox (page_it, RIL_WORD, &x1, &y1, &x2, &y2))
        {
          g_autofree char *nfc = sohoa_text_normalize (text);

          g_ptr_array_add (words, sohoa_ocr_word_new (nfc, x1, y1, x2 - x1, y2 - y1,
                                                      TessResultIteratorConfidence (it, RIL_WORD),
                                                      MAX (block, 0), MAX (line, 0)));
        }
      TessDeleteText (text);
    }
  while (TessResultIteratorNext (it, RIL_WORD));

  TessResultIteratorDelete (it);
}

static SohoaOcrResult *
recognize (SohoaOcrEngine  *engine,
           const char      *image_path,
           Monitor         *monitor,
           GError         **error)
{
  g_autoptr(PIX) pix = NULL;
  g_autoptr(SohoaOcrResult) result = NULL;
  g_autofree char *basename = g_path_get_basename (image_path);
  ETEXT_DESC *desc;
  char *text;
  int rc;

  setMsgSeverity (L_SEVERITY_NONE);
  if (!(pix = pixRead (image_path)))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                   _("“%s” is damaged or not a complete image."), basename);
      return NULL;
    }

  TessBaseAPISetImage2 (engine->api, pix);
  TessBaseAPISetSourceResolution (engine->api, pixGetXRes (pix) >= 70 ? pixGetXRes (pix) : 300);

  desc = TessMonitorCreate ();
  TessMonitorSetCancelFunc (desc, cancel_cb);
  TessMonitorSetCancelThis (desc, monitor);
  TessMonitorSetProgressFunc (desc, progress_cb);
  rc = TessBaseAPIRecognize (engine->api, desc);
  TessMonitorDelete (desc);

  if (g_cancellable_set_error_if_cancelled (monitor->cancellable, error))
    {
      TessBaseAPIClear (engine->api);
      return NULL;
    }
  if (rc != 0)
    {
      TessBaseAPIClear (engine->api);
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_OCR, _("The text of “%s” could not be recognized."), basename);
      return NULL;
    }

  result = g_new0 (SohoaOcrResult, 1);
  result->words = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_ocr_word_free);
  collect_words (engine->api, result->words);

  text = TessBaseAPIGetUTF8Text (engine->api);
  result->text = sohoa_text_normalize (text ? text : "");
  TessDeleteText (text);

  if (result->words->len > 0)
    {
      double sum = 0;

      for (guint i = 0; i < result->words->len; i++)
        sum += ((SohoaOcrWord *) g_ptr_array_index (result->words, i))->confidence;
      result->mean_confidence = sum / result->words->len;
    }

  TessBaseAPIClear (engine->api);
  return g_steal_pointer (&result);
}

/**
 * sohoa_ocr_engine_recognize:
 *
 * Recognizes the text of one image file.  Cancelling @cancellable stops
 * Tesseract in the middle of the page.
 */
SohoaOcrResult *
sohoa_ocr_engine_recognize (SohoaOcrEngine  *engine,
                            const char      *image_path,
                            GCancellable    *cancellable,
                            GError         **error)
{
  Monitor monitor = { cancellable, NULL, 0, 1, 0 };

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (image_path != NULL, NULL);

  return recognize (engine, image_path, &monitor, error);
}

gboolean
sohoa_ocr_batch (SohoaContext  *context,
                 gint64         batch_id,
                 SohoaJob      *job,
                 guint         *n_pages,
                 GError       **error)
{
  g_autoptr(SohoaStore) store = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GPtrArray) todo = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SohoaOcrEngine) engine = NULL;
  GCancellable *cancellable = job ? sohoa_job_get_cancellable (job) : NULL;
  guint n_failed = 0;
  guint n_done = 0;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), FALSE);

  if (!(store = sohoa_store_dup (sohoa_context_get_store (context), error)) ||
      !(pages = sohoa_store_list_pages (store, batch_id, error)))
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);

      if (sohoa_page_get_ocr_state (page) != SOHOA_OCR_DONE)
        g_ptr_array_add (todo, g_steal_pointer (&page));
    }

  if (todo->len > 0 && !(engine = sohoa_ocr_engine_new ("vie", error)))
    return FALSE;

  for (guint i = 0; i < todo->len; i++)
    {
      SohoaPage *page = g_ptr_array_index (todo, i);
      Monitor monitor = { cancellable, job, i, todo->len, -1 };
      g_autoptr(SohoaOcrResult) result = NULL;
      g_autoptr(GError) local_error = NULL;

      g_autofree char *message = g_strdup_printf (_("Reading page %u of %u"), i + 1, todo->len);

      sohoa_job_report (job, i * 100, todo->len * 100, message);

      result = recognize (engine, sohoa_page_get_image_path (page), &monitor, &local_error);
      if (result == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_warning ("OCR of page %" G_GINT64_FORMAT " failed: %s", sohoa_page_get_id (page), local_error->message);
          n_failed++;
          continue;
        }

      if (!sohoa_store_save_ocr (store, sohoa_page_get_id (page), result->words, result->text, error))
        return FALSE;
      n_done++;
    }

  sohoa_job_report (job, 1, 1, NULL);
  if (n_pages)
    *n_pages = n_done;

  if (n_failed > 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_OCR,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u page could not be read; the others were.",
                                "%u pages could not be read; the others were.", n_failed),
                   n_failed);
      return FALSE;
    }
  return TRUE;
}

static void
ocr_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SohoaJob *job = g_object_get_data (G_OBJECT (task), "sohoa-job");
  gint64 batch_id = *(gint64 *) task_data;
  GError *error = NULL;
  guint n_pages = 0;

  if (sohoa_ocr_batch (source_object, batch_id, job, &n_pages, &error))
    g_task_return_int (task, n_pages);
  else
    g_task_return_error (task, error);
}

void
sohoa_ocr_batch_async (SohoaContext        *context,
                       gint64               batch_id,
                       SohoaJob            *job,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOHOA_IS_CONTEXT (context));
  g_return_if_fail (!job || SOHOA_IS_JOB (job));

  task = g_task_new (context, job ? sohoa_job_get_cancellable (job) : NULL, callback, user_data);
  g_task_set_source_tag (task, sohoa_ocr_batch_async);
  g_task_set_task_data (task, g_memdup2 (&batch_id, sizeof batch_id), g_free);
  if (job)
    g_object_set_data_full (G_OBJECT (task), "sohoa-job", g_object_ref (job), g_object_unref);
  g_task_run_in_thread (task, ocr_thread);
}

gboolean
sohoa_ocr_batch_finish (SohoaContext  *context,
                        GAsyncResult  *result,
                        guint         *n_pages,
                        GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, context), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_pages)
    *n_pages = (guint) n;
  return TRUE;
}
