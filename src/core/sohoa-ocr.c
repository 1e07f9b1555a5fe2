/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-ocr"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sohoa-image-private.h"
#include "sohoa-core-private.h"
#include "sohoa-ocr.h"
#include "sohoa-page-adjust.h"
#include "sohoa-preprocess.h"
#include "sohoa-vntext.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
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
  const SohoaOcrDocument *documents;
  guint               n_documents;
  guint              *first_page;    /* global index of each document's first page */
  guint               n_paths;       /* pages in all */
  gint                next;          /* atomic: the next document to take */
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
  g_free (result->hocr);
  g_free (result);
}

static gboolean
all_loaded (SohoaOcrEngine *engine,
            const char     *language)
{
  g_auto(GStrv) parts = g_strsplit (language, "+", -1);
  g_auto(GStrv) loaded = sohoa_ocr_engine_dup_languages (engine);

  for (guint i = 0; parts[i]; i++)
    if (!g_strv_contains ((const char * const *) loaded, parts[i]))
      return FALSE;
  return TRUE;
}

SohoaOcrEngine *
sohoa_ocr_engine_new (const char  *language,
                      GError     **error)
{
  g_autoptr(SohoaOcrEngine) engine = g_new0 (SohoaOcrEngine, 1);

  g_return_val_if_fail (language != NULL, NULL);

  engine->language = g_strdup (language);
  engine->api = TessBaseAPICreate ();
  /* Tesseract fails only when the first language is missing and skips
   * the others that are: each must have loaded. */
  if (TessBaseAPIInit3 (engine->api, NULL, language) != 0 || !all_loaded (engine, language))
    {
      g_auto(GStrv) parts = g_strsplit (language, "+", -1);

      if (g_strv_length (parts) <= 1)
        g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_OCR,
                     _("The text recognition data for “%s” is not installed (package tesseract-ocr-%s)."),
                     language, language);
      else
        {
          g_autoptr(GString) packages = g_string_new (NULL);

          for (guint i = 0; parts[i]; i++)
            g_string_append_printf (packages, "%stesseract-ocr-%s", i ? ", " : "", parts[i]);
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_OCR,
                       _("The text recognition data for one of the languages “%s” is not installed (packages %s)."),
                       language, packages->str);
        }
      return NULL;
    }
  /* Tesseract's own chatter goes nowhere; Sohoa reports what matters. */
  TessBaseAPISetVariable (engine->api, "debug_file", "/dev/null");
  /* The API defaults to one uniform block of text; a page has a header in
   * two columns, paragraphs, tables: find the layout as the tesseract
   * command does. */
  TessBaseAPISetPageSegMode (engine->api, PSM_AUTO);

  return g_steal_pointer (&engine);
}

/**
 * sohoa_ocr_engine_dup_languages:
 *
 * Returns: (transfer full): the languages Tesseract loaded, in the order
 *   given (e.g. "vie", "eng" for "vie+eng")
 */
GStrv
sohoa_ocr_engine_dup_languages (SohoaOcrEngine *engine)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char **loaded;

  g_return_val_if_fail (engine != NULL, NULL);

  if ((loaded = TessBaseAPIGetLoadedLanguagesAsVector (engine->api)))
    {
      for (guint i = 0; loaded[i]; i++)
        g_strv_builder_add (builder, loaded[i]);
      TessDeleteTextArray (loaded);
    }
  return g_strv_builder_end (builder);
}

/**
 * sohoa_ocr_list_languages:
 *
 * The recognition languages installed in the tessdata folder Tesseract
 * uses (`TESSDATA_PREFIX`, or the one it was built with), without the
 * orientation data "osd".  Loads a small model to ask; call it from a
 * worker thread.
 *
 * Returns: (transfer full): sorted language codes, e.g. "eng", "vie"
 */
GStrv
sohoa_ocr_list_languages (GError **error)
{
  static const char * const probes[] = { "osd", "vie", "eng" };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  /* Tesseract tells which languages are there only once one has loaded. */
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      TessBaseAPI *api = TessBaseAPICreate ();
      char **available = NULL;

      TessBaseAPISetVariable (api, "debug_file", "/dev/null");
      if (TessBaseAPIInit3 (api, NULL, probes[i]) == 0)
        available = TessBaseAPIGetAvailableLanguagesAsVector (api);
      if (available)
        for (guint j = 0; available[j]; j++)
          if (!g_str_equal (available[j], "osd"))
            g_strv_builder_add (builder, available[j]);
      TessBaseAPIEnd (api);
      TessBaseAPIDelete (api);
      if (available)
        {
          TessDeleteTextArray (available);
          return g_strv_builder_end (builder);
        }
    }

  g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_OCR,
                       _("No text recognition data is installed (package tesseract-ocr-vie)."));
  return NULL;
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
recognize (SohoaOcrEngine      *engine,
           const char          *image_path,
           const SohoaOcrPageOptions *options,
           TessResultRenderer  *pdf,
           Monitor             *monitor,
           GError             **error)
{
  g_autoptr(PIX) pix = NULL;
  g_autoptr(PIX) prepared = NULL;
  g_autoptr(PIX) colour = NULL;
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

  {
    SohoaPreprocessOptions prep = { -1, FALSE };

    if (options)
      prep = (SohoaPreprocessOptions) { options->rotation, options->no_cleanup };
    prepared = sohoa_preprocess_page (pix, &prep, &info, pdf ? &colour : NULL);
  }
  result->rotation = info.rotation;
  result->skew = info.skew;
  result->blank = info.blank;
  result->orientation_unsure = info.orientation_unsure;
  result->perspective = info.perspective;
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
  /* Tesseract's boxes are of the prepared image; the clerk sees the
   * original only turned upright: every stored word, flagged word and
   * auto-filled field box is of that one.  The hOCR and the searchable
   * PDF stay of the prepared image, which they show. */
  for (guint i = 0; i < result->words->len; i++)
    {
      SohoaOcrWord *word = g_ptr_array_index (result->words, i);

      sohoa_preprocess_map_box_to_upright (&info.transform, &word->x, &word->y, &word->width, &word->height);
    }
  text = TessBaseAPIGetUTF8Text (engine->api);
  result->text = sohoa_text_normalize (text ? text : "");
  TessDeleteText (text);
  text = TessBaseAPIGetHOCRText (engine->api, 0);
  result->hocr = sohoa_text_normalize (text ? text : "");
  TessDeleteText (text);

  if (pdf)
    {
      /* The PDF shows the colour page, turned and straightened like the
       * image that was read, so its text layer lines up.  Set only now:
       * recognition reads the input image too.  Tesseract takes ownership
       * of the image it is given. */
      TessBaseAPISetInputImage (engine->api, pixClone (colour));
      TessBaseAPISetInputName (engine->api, NULL);
    }
  if (pdf && !TessResultRendererAddImage (pdf, engine->api))
    {
      TessBaseAPIClear (engine->api);
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_OCR,
                   _("The searchable PDF of “%s” could not be written."), basename);
      return NULL;
    }
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
  Monitor monitor = { &pool, 0, 0 };

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (image_path != NULL, NULL);

  return recognize (engine, image_path, NULL, NULL, &monitor, error);
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

/* Reads one document's pages in order; with a PDF path, also writes them
 * as one searchable PDF, atomically (beside it, then renamed).  Returns
 * FALSE only when the run must stop (cancelled or page_done failed). */
static gboolean
read_document (Pool           *pool,
               Monitor        *monitor,
               SohoaOcrEngine *engine,
               guint           doc)
{
  const SohoaOcrDocument *document = &pool->documents[doc];
  g_autofree char *pdf_base = NULL;
  TessResultRenderer *pdf = NULL;
  gboolean pdf_ok = TRUE;
  gboolean go_on = TRUE;

  if (document->pdf_path)
    {
      g_autofree char *dir = g_path_get_dirname (document->pdf_path);

      g_mkdir_with_parents (dir, 0700);
      pdf_base = g_strdup_printf ("%s.part", document->pdf_path);
      pdf = TessPDFRendererCreate (pdf_base, TessBaseAPIGetDatapath (engine->api), FALSE);
      pdf_ok = pdf != NULL && TessResultRendererBeginDocument (pdf, "");
    }

  for (guint i = 0; i < document->n_pages && go_on; i++)
    {
      g_autoptr(SohoaOcrResult) result = NULL;
      g_autoptr(GError) local_error = NULL;
      GError *error = NULL;
      guint index = pool->first_page[doc] + i;

      if (g_cancellable_is_cancelled (pool->cancellable))
        {
          go_on = FALSE;
          break;
        }

      monitor->last_progress = -1;
      result = recognize (engine, document->pages[i], document->options ? &document->options[i] : NULL,
                          pdf_ok ? pdf : NULL, monitor, &local_error);
      g_atomic_int_set (&pool->in_hand[monitor->worker], 0);

      if (result == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              go_on = FALSE;
              break;
            }
          g_warning ("Page %u of the run could not be read: %s", index + 1, local_error->message);
          g_atomic_int_inc (&pool->n_failed);
          pdf_ok = FALSE;   /* a PDF missing a page would mislead */
          continue;
        }

      g_mutex_lock (&pool->mutex);
      go_on = pool->page_done (index, result, pool->user_data, &error);
      g_mutex_unlock (&pool->mutex);
      if (!go_on)
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

  if (pdf)
    {
      g_autofree char *written = g_strdup_printf ("%s.pdf", pdf_base);

      pdf_ok = TessResultRendererEndDocument (pdf) && pdf_ok && go_on;
      TessDeleteResultRenderer (pdf);
      /* Tesseract creates the file with the umask's mode; it holds the
       * page's personal data. */
      if (!pdf_ok || g_chmod (written, 0600) != 0 || g_rename (written, document->pdf_path) != 0)
        g_unlink (written);
    }

  return go_on;
}

static gpointer
worker_thread (gpointer data)
{
  Monitor *monitor = data;
  Pool *pool = monitor->pool;
  g_autoptr(SohoaOcrEngine) engine = NULL;
  GError *error = NULL;
  guint doc;

  /* Recognition takes every core it is given; below normal priority it
   * still does, but the window's thread comes first, so the clerk can go
   * on working while a batch is read.  On Linux this nices the thread. */
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
    g_debug ("Could not lower the priority of an OCR worker: %s", g_strerror (errno));

  if (!(engine = sohoa_ocr_engine_new (pool->language, &error)))
    {
      pool_fail (pool, error);
      return NULL;
    }

  while ((doc = (guint) g_atomic_int_add (&pool->next, 1)) < pool->n_documents)
    if (!read_document (pool, monitor, engine, doc))
      break;

  return NULL;
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

static guint
default_n_workers (guint n_threads)
{
  const char *env = g_getenv ("SOHOA_OCR_THREADS");
  guint64 n;

  if (n_threads > 0)
    return n_threads;
  if (env && g_ascii_string_to_unsigned (env, 10, 1, 64, &n, NULL))
    return (guint) n;
  return MAX (1, g_get_num_processors ());
}

static gboolean run_pool (const SohoaOcrDocument *documents, guint n_documents, const char *language,
                          guint n_threads, SohoaJob *job, GCancellable *cancellable,
                          SohoaOcrPageFunc page_done, gpointer user_data, guint *n_failed, GError **error);

/**
 * sohoa_ocr_run:
 * @documents: (array length=n_documents): what to read
 * @page_done: called for each page read, with its index counted over all
 *   documents, from a worker thread but never from two at once
 * @n_failed: (out) (optional): pages that could not be read
 *
 * Reads many pages with a pool of workers, one Tesseract each, as many as
 * there are cores (or `SOHOA_OCR_THREADS`); sohoa_ocr_batch() takes the
 * number and the language from its context instead.  A worker takes a whole
 * document, so its searchable PDF is written in page order.  A page that
 * cannot be read is counted and skipped (and its document gets no PDF); an
 * error from @page_done, a missing language or cancellation stops the run.
 */
gboolean
sohoa_ocr_run (const SohoaOcrDocument  *documents,
               guint                    n_documents,
               const char              *language,
               SohoaJob                *job,
               GCancellable            *cancellable,
               SohoaOcrPageFunc         page_done,
               gpointer                 user_data,
               guint                   *n_failed,
               GError                 **error)
{
  return run_pool (documents, n_documents, language, 0, job, cancellable, page_done, user_data, n_failed, error);
}

/* sohoa_ocr_run() with @n_threads workers at most (0: one per core). */
static gboolean
run_pool (const SohoaOcrDocument  *documents,
          guint                    n_documents,
          const char              *language,
          guint                    n_threads,
          SohoaJob                *job,
          GCancellable            *cancellable,
          SohoaOcrPageFunc         page_done,
          gpointer                 user_data,
          guint                   *n_failed,
          GError                 **error)
{
  g_autoptr(GCancellable) own_cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree Monitor *monitors = NULL;
  g_autofree gint *in_hand = NULL;
  g_autofree guint *first_page = g_new0 (guint, n_documents + 1);
  gulong handler = 0;
  Pool pool = { 0 };

  g_return_val_if_fail (documents != NULL || n_documents == 0, FALSE);
  g_return_val_if_fail (page_done != NULL, FALSE);

  for (guint i = 0; i < n_documents; i++)
    first_page[i + 1] = first_page[i] + documents[i].n_pages;

  pool.documents = documents;
  pool.n_documents = n_documents;
  pool.first_page = first_page;
  pool.n_paths = first_page[n_documents];
  pool.n_workers = MIN (default_n_workers (n_threads), MAX (n_documents, 1));
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

  for (guint i = 0; i < pool.n_workers && n_documents > 0; i++)
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
  g_autofree char *hocr_path = _sohoa_workspace_hocr_path (sohoa_store_get_workspace_dir (run->store),
                                                           sohoa_page_get_id (page));
  g_autofree char *dir = g_path_get_dirname (hocr_path);

  /* hOCR is derived data: losing it loses nothing the store does not have. */
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (hocr_path, result->hocr, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL))
    g_warning ("Could not save the hOCR of page %" G_GINT64_FORMAT, sohoa_page_get_id (page));

  if (!sohoa_store_save_ocr (run->store, sohoa_page_get_id (page), result->words, result->text,
                             result->rotation, result->skew, result->blank, error))
    return FALSE;
  return _sohoa_page_adjust_save_orientation (run->store, page, result->rotation,
                                              result->orientation_unsure, error);
}

/**
 * sohoa_ocr_batch:
 *
 * Recognizes every document of @batch_id that has a page without OCR: all
 * its pages are read again so that its searchable PDF is complete.
 */
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
  g_autoptr(GPtrArray) pdf_paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) documents = g_array_new (FALSE, TRUE, sizeof (SohoaOcrDocument));
  g_autoptr(GArray) options = g_array_new (FALSE, TRUE, sizeof (SohoaOcrPageOptions));
  g_autoptr(GHashTable) pending_docs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *language = NULL;
  BatchRun run;
  guint n_failed = 0;
  guint n;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), FALSE);

  if (!(store = sohoa_store_dup (sohoa_context_get_store (context), error)) ||
      !(pages = sohoa_store_list_pages (store, batch_id, error)))
    return FALSE;
  n = g_list_model_get_n_items (pages);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      gint64 doc = sohoa_page_get_document_id (page);

      if (sohoa_page_get_ocr_state (page) != SOHOA_OCR_DONE)
        g_hash_table_add (pending_docs, g_memdup2 (&doc, sizeof doc));
    }

  /* Pages of a document are consecutive in page order. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      gint64 doc = sohoa_page_get_document_id (page);
      SohoaOcrDocument *last = documents->len ? &g_array_index (documents, SohoaOcrDocument, documents->len - 1) : NULL;

      if (!g_hash_table_contains (pending_docs, &doc))
        continue;
      if (last == NULL || sohoa_page_get_document_id (g_ptr_array_index (todo, todo->len - 1)) != doc)
        {
          SohoaOcrDocument document = { NULL, 0, NULL, NULL };

          g_ptr_array_add (pdf_paths, sohoa_store_dup_document_pdf_path (store, doc));
          document.pdf_path = g_ptr_array_index (pdf_paths, pdf_paths->len - 1);
          g_array_append_val (documents, document);
          last = &g_array_index (documents, SohoaOcrDocument, documents->len - 1);
        }
      last->n_pages++;
      {
        /* A turn the clerk chose is kept; a page read without cleanup
         * keeps the turn it had. */
        gboolean keep = sohoa_page_get_rotation_manual (page) || sohoa_page_get_no_cleanup (page);
        SohoaOcrPageOptions page_options = { keep ? sohoa_page_get_rotation (page) : -1,
                                             sohoa_page_get_no_cleanup (page) };

        g_array_append_val (options, page_options);
      }
      g_ptr_array_add (paths, (gpointer) sohoa_page_get_original_path (page));
      g_ptr_array_add (todo, g_steal_pointer (&page));
    }

  /* The paths array no longer grows: point each document at its pages. */
  for (guint i = 0, first = 0; i < documents->len; i++)
    {
      SohoaOcrDocument *document = &g_array_index (documents, SohoaOcrDocument, i);

      document->pages = (const char * const *) paths->pdata + first;
      document->options = &g_array_index (options, SohoaOcrPageOptions, first);
      first += document->n_pages;
    }

  run.store = store;
  run.pages = todo;
  language = sohoa_context_dup_ocr_language (context);
  if (!run_pool ((SohoaOcrDocument *) (gpointer) documents->data, documents->len, language,
                 sohoa_context_get_ocr_threads (context), job,
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
