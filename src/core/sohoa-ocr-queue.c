/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-ocr-queue"

/* OCR behind capture: pages scanned, imported or dropped in the hot folder
 * are read as they arrive, without the clerk asking.  One run at a time
 * (it takes every core already); a batch that gets new pages while it is
 * being read is read again afterwards, for just those pages (a run reads
 * only documents with pages still pending). */

#include "config.h"

#include "sohoa-ocr.h"
#include "sohoa-ocr-queue.h"

struct _SohoaOcrQueue
{
  GObject       parent_instance;

  SohoaContext *context;
  GQueue        waiting;      /* batch ids, as gint64 in pointers' place */
  SohoaJob     *job;          /* the run under way, or NULL */
  gint64        running;      /* its batch */
  gboolean      again;        /* its batch got pages while it ran */
};

G_DEFINE_FINAL_TYPE (SohoaOcrQueue, sohoa_ocr_queue, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_JOB,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void run_next (SohoaOcrQueue *self);

static void
sohoa_ocr_queue_dispose (GObject *object)
{
  SohoaOcrQueue *self = SOHOA_OCR_QUEUE (object);

  if (self->job)
    sohoa_job_cancel (self->job);
  g_clear_object (&self->job);
  g_queue_clear_full (&self->waiting, g_free);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sohoa_ocr_queue_parent_class)->dispose (object);
}

static void
sohoa_ocr_queue_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SohoaOcrQueue *self = SOHOA_OCR_QUEUE (object);

  switch (prop_id)
    {
    case PROP_JOB: g_value_set_object (value, self->job); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_ocr_queue_class_init (SohoaOcrQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sohoa_ocr_queue_dispose;
  object_class->get_property = sohoa_ocr_queue_get_property;

  properties[PROP_JOB] = g_param_spec_object ("job", NULL, NULL, SOHOA_TYPE_JOB,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SohoaOcrQueue::finished:
   * @batch_id: the batch that was read
   * @n_pages: pages read
   * @error: (nullable): why not all of them
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                    G_TYPE_INT64, G_TYPE_UINT, G_TYPE_ERROR);
}

static void
sohoa_ocr_queue_init (SohoaOcrQueue *self)
{
  g_queue_init (&self->waiting);
}

SohoaOcrQueue *
sohoa_ocr_queue_new (SohoaContext *context)
{
  SohoaOcrQueue *self;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);

  self = g_object_new (SOHOA_TYPE_OCR_QUEUE, NULL);
  self->context = g_object_ref (context);
  return self;
}

static gboolean
is_waiting (SohoaOcrQueue *self,
            gint64         batch_id)
{
  for (GList *l = self->waiting.head; l; l = l->next)
    if (*(gint64 *) l->data == batch_id)
      return TRUE;
  return FALSE;
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SohoaOcrQueue) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 batch_id = self->running;
  gboolean cancelled;
  guint n_pages = 0;

  sohoa_ocr_batch_finish (SOHOA_CONTEXT (object), result, &n_pages, &error);
  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_object (&self->job);
  self->running = 0;
  if (cancelled)
    {
      /* Cancelling stops OCR behind capture until pages arrive again. */
      g_queue_clear_full (&self->waiting, g_free);
      self->again = FALSE;
    }
  else if (self->again && !is_waiting (self, batch_id))
    g_queue_push_tail (&self->waiting, g_memdup2 (&batch_id, sizeof batch_id));
  self->again = FALSE;

  g_signal_emit (self, signals[FINISHED], 0, batch_id, n_pages, error);
  if (self->job == NULL)
    run_next (self);
  if (self->job == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

static void
run_next (SohoaOcrQueue *self)
{
  g_autofree gint64 *batch_id = g_queue_pop_head (&self->waiting);

  if (batch_id == NULL || self->job != NULL)
    return;
  self->running = *batch_id;
  self->job = sohoa_job_new ();
  sohoa_ocr_batch_async (self->context, self->running, self->job, run_done_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

/**
 * sohoa_ocr_queue_add:
 *
 * Reads the pending pages of @batch_id as soon as the run before is done.
 */
void
sohoa_ocr_queue_add (SohoaOcrQueue *self,
                     gint64         batch_id)
{
  g_return_if_fail (SOHOA_IS_OCR_QUEUE (self));
  g_return_if_fail (batch_id > 0);

  if (self->job != NULL && self->running == batch_id)
    self->again = TRUE;
  else if (!is_waiting (self, batch_id))
    g_queue_push_tail (&self->waiting, g_memdup2 (&batch_id, sizeof batch_id));
  run_next (self);
}

/* The run under way (its progress and cancellable), or %NULL. */
SohoaJob *
sohoa_ocr_queue_get_job (SohoaOcrQueue *self)
{
  g_return_val_if_fail (SOHOA_IS_OCR_QUEUE (self), NULL);
  return self->job;
}

gboolean
sohoa_ocr_queue_get_busy (SohoaOcrQueue *self)
{
  g_return_val_if_fail (SOHOA_IS_OCR_QUEUE (self), FALSE);
  return self->job != NULL;
}

/* Stops the run under way and forgets the batches waiting. */
void
sohoa_ocr_queue_cancel (SohoaOcrQueue *self)
{
  g_return_if_fail (SOHOA_IS_OCR_QUEUE (self));

  g_queue_clear_full (&self->waiting, g_free);
  self->again = FALSE;
  if (self->job)
    sohoa_job_cancel (self->job);
}
