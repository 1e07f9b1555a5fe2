/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-ocr"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-image-private.h"
#include "sohoa-ocr.h"
#include "sohoa-preprocess.h"
#include "sohoa-vntext.h"

#include <tesseract/capi.h>
#include <unistd.h>

struct _SohoaOcrEngine
{
  TessBaseAPI *api;
  char        *language;
};

/* What the workers of one run share.  Progress is counted in hundredths
 * of a page: finished pages plus each worker's page in hand. */
typedef struct
{
  const char * const *paths;
  guint               n_paths;
  gint                next;          /* atomic: the next path to take */
  gint                n_done;        /* atomic */
  gint                n_failed;      /* atomic */
  gint               *in_hand;       /* atomic, one per worker: 0..100 */
  guint               n_workers;
  GCancellable       *cancellable;
  SohoaJob           *job;
  const char         *language;
  SohoaOcrPageFunc    page_done;
  gpointer            user_data;
  GMutex              mutex;         /* serializes page_done and error */
  GError             *error;
} Pool;

typedef struct
{
  Pool  *pool;
  guint  worker;
  guint  index;
  int    last_progress;
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

static void
report_progress (Pool       *pool,
                 const char *message)
{
  guint done = (guint) g_atomic_int_get (&pool->n_done) + (guint) g_atomic_int_get (&pool->n_failed);
  guint hundredths = done * 100;

  for (guint i = 0; i < pool->n_workers; i++)
    hundredths += (guint) g_atomic_int_get (&pool->in_hand[i]);
  sohoa_job_report (pool->job, MIN (hundredths, pool->n_paths * 100), pool->n_paths * 100, message);
}

static bool
cancel_cb (void *cancel_this,
           int   words)
{
  Monitor *monitor = cancel_this;

  return g_cancellable_is_cancelled (monitor->pool->cancellable);
}

static bool
progress_cb (ETEXT_DESC *desc,
             int         left,
             int         right,
             int         top,
             int         bottom)
{
  Monitor *monitor = TessMonitorGetCancelThis (desc);
  int progress = CLAMP (TessMonitorGetProgress (desc), 0, 99);

  if (monitor->pool->job && progress / 5 != monitor->last_progress / 5)
    {
      g_atomic_int_set (&monitor->pool->in_hand[monitor->worker], progress);
      report_progress (monitor->pool, NULL);
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
  g_autoptr(PIX) prepared = NULL;
  g_autoptr(SohoaOcrResult) result = NULL;
  g_autofree char *basename = g_path_get_basename (image_path);
  SohoaPreprocessInfo info;
  GCancellable *cancellable = monitor->pool->cancellable;
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

  result = g_new0 (SohoaOcrResult, 1);
  result->words = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_ocr_word_free);

  prepared = sohoa_preprocess_for_ocr (pix, &info);
  result->rotation = info.rotation;
  result->skew = info.skew;
  result->blank = info.blank;
  if (info.blank)
    {
      result->text = g_strdup ("");
      return g_steal_pointer (&result);
    }

  TessBaseAPISetImage2 (engine->api, prepared);
  TessBaseAPISetSourceResolution (engine->api, pixGetXRes (pix) >= 70 ? pixGetXRes (pix) : 300);

  desc = TessMonitorCreate ();
  TessMonitorSetCancelFunc (desc, cancel_cb);
  TessMonitorSetCancelThis (desc, monitor);
  TessMonitorSetProgressFunc (desc, progress_cb);
  rc = TessBaseAPIRecognize (engine->api, desc);
  TessMonitorDelete (desc);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
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

  collect_words (engine->api, result->words);
  text = TessBaseAPIGetUTF8Text (engine->api);
  result->text = sohoa_text_normalize (text ? text : "");
  TessDeleteText (text);
  TessBaseAPIClear (engine->api);

  if (result->words->len > 0)
    {
      double sum = 0;

      for (guint i = 0; i < result->words->len; i++)
        sum += ((SohoaOcrWord *) g_ptr_array_index (result->words, i))->confidence;
      result->mean_confidence = sum / result->words->len;
    }

  return g_steal_pointer (&result);
}

/**
 * sohoa_ocr_engine_recognize:
 *
 * Prepares (upright, straight, flat background) and recognizes one image
 * file.  Cancelling @cancellable stops Tesseract in the middle of the page.
 */
SohoaOcrResult *
sohoa_ocr_engine_recognize (SohoaOcrEngine  *engine,
                            const char      *image_path,
                            GCancellable    *cancellable,
                            GError         **error)
{
  gint in_hand = 0;
  Pool pool = { .n_paths = 1, .in_hand = &in_hand, .n_workers = 1, .cancellable = cancellable };
  Monitor monitor = { &pool, 0, 0, 0 };

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (image_path != NULL, NULL);

  return recognize (engine, image_path, &monitor, error);
}

static void
pool_fail (Pool   *pool,
           GError *error)
{
  g_mutex_lock (&pool->mutex);
  if (pool->error == NULL)
    pool->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&pool->mutex);
  g_cancellable_cancel (pool->cancellable);
}

static gpointer
worker_thread (gpointer data)
{
  Monitor *monitor = data;
  Pool *pool = monitor->pool;
  g_autoptr(SohoaOcrEngine) engine = NULL;
  GError *error = NULL;
  guint index;

  if (!(engine = sohoa_ocr_engine_new (pool->language, &error)))
    {
      pool_fail (pool, error);
      return NULL;
    }

  while ((index = (guint) g_atomic_int_add (&pool->next, 1)) < pool->n_paths)
    {
      g_autoptr(SohoaOcrResult) result = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean saved;

      if (g_cancellable_is_cancelled (pool->cancellable))
        break;

      monitor->index = index;
      monitor->last_progress = -1;
      result = recognize (engine, pool->paths[index], monitor, &local_error);
      g_atomic_int_set (&pool->in_hand[monitor->worker], 0);

      if (result == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          g_warning ("Page %u of the run could not be read: %s", index + 1, local_error->message);
          g_atomic_int_inc (&pool->n_failed);
          continue;
        }

      g_mutex_lock (&pool->mutex);
      saved = pool->page_done (index, result, pool->user_data, &error);
      g_mutex_unlock (&pool->mutex);
      if (!saved)
        {
          pool_fail (pool, error);
          break;
        }

      g_atomic_int_inc (&pool->n_done);
      {
        g_autofree char *message = g_strdup_printf (_("Read %u of %u pages"),
                                                    (guint) g_atomic_int_get (&pool->n_done), pool->n_paths);
        report_progress (pool, message);
      }
    }

  return NULL;
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

static guint
default_n_workers (void)
{
  const char *env = g_getenv ("SOHOA_OCR_THREADS");
  guint64 n;

  if (env && g_ascii_string_to_unsigned (env, 10, 1, 64, &n, NULL))
    return (guint) n;
  return MAX (1, g_get_num_processors ());
}

/**
 * sohoa_ocr_run:
 * @paths: (array length=n_paths): image files
 * @page_done: called for each page read, from a worker thread but never
 *   from two at once
 * @n_failed: (out) (optional): pages that could not be read
 *
 * Reads many pages with a pool of workers, one Tesseract each, as many as
 * there are cores (or `SOHOA_OCR_THREADS`).  A page that cannot be read is
 * counted and skipped; an error from @page_done, a missing language or
 * cancellation stops the run.
 */
gboolean
sohoa_ocr_run (const char * const  *paths,
               guint                n_paths,
               const char          *language,
               SohoaJob            *job,
               GCancellable        *cancellable,
               SohoaOcrPageFunc     page_done,
               gpointer             user_data,
               guint               *n_failed,
               GError             **error)
{
  g_autoptr(GCancellable) own_cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree Monitor *monitors = NULL;
  g_autofree gint *in_hand = NULL;
  gulong handler = 0;
  Pool pool = { 0 };

  g_return_val_if_fail (paths != NULL || n_paths == 0, FALSE);
  g_return_val_if_fail (page_done != NULL, FALSE);

  pool.paths = paths;
  pool.n_paths = n_paths;
  pool.n_workers = MIN (default_n_workers (), MAX (n_paths, 1));
  pool.cancellable = own_cancellable;
  pool.job = job;
  pool.language = language ? language : "vie";
  pool.page_done = page_done;
  pool.user_data = user_data;
  g_mutex_init (&pool.mutex);

  /* Our own cancellable lets one failing worker stop the others without
   * cancelling the caller's. */
  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                                     g_object_ref (own_cancellable), g_object_unref);

  in_hand = g_new0 (gint, pool.n_workers);
  monitors = g_new0 (Monitor, pool.n_workers);
  pool.in_hand = in_hand;

  for (guint i = 0; i < pool.n_workers && n_paths > 0; i++)
    {
      monitors[i].pool = &pool;
      monitors[i].worker = i;
      g_ptr_array_add (threads, g_thread_new ("sohoa-ocr", worker_thread, &monitors[i]));
    }
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  if (cancellable)
    g_cancellable_disconnect (cancellable, handler);
  g_mutex_clear (&pool.mutex);

  if (n_failed)
    *n_failed = (guint) pool.n_failed;
  if (pool.error)
    {
      g_propagate_error (error, pool.error);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      g_cancellable_set_error_if_cancelled (own_cancellable, error))
    return FALSE;

  sohoa_job_report (job, 1, 1, NULL);
  return TRUE;
}

typedef struct
{
  SohoaStore *store;
  GPtrArray  *pages;
} BatchRun;

static gboolean
save_page_cb (guint            index,
              SohoaOcrResult  *result,
              gpointer         user_data,
              GError         **error)
{
  BatchRun *run = user_data;
  SohoaPage *page = g_ptr_array_index (run->pages, index);

  return sohoa_store_save_ocr (run->store, sohoa_page_get_id (page), result->words, result->text,
                               result->rotation, result->skew, result->blank, error);
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
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  BatchRun run;
  guint n_failed = 0;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), FALSE);

  if (!(store = sohoa_store_dup (sohoa_context_get_store (context), error)) ||
      !(pages = sohoa_store_list_pages (store, batch_id, error)))
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);

      if (sohoa_page_get_ocr_state (page) != SOHOA_OCR_DONE)
        {
          g_ptr_array_add (paths, (gpointer) sohoa_page_get_image_path (page));
          g_ptr_array_add (todo, g_steal_pointer (&page));
        }
    }

  run.store = store;
  run.pages = todo;
  if (!sohoa_ocr_run ((const char * const *) paths->pdata, paths->len, "vie", job,
                      job ? sohoa_job_get_cancellable (job) : NULL,
                      save_page_cb, &run, &n_failed, error))
    return FALSE;

  if (n_pages)
    *n_pages = todo->len - n_failed;

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
