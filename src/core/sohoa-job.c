/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-job"

#include "config.h"

#include "sohoa-job.h"

/* Workers may report hundreds of times a second (Tesseract reports within
 * a page).  Every change of "fraction" redraws a progress bar, and a frame
 * can cost tens of milliseconds where GL is rendered in software, so the
 * reports are folded: at most one waits on the main context, it applies
 * the latest fraction, and it runs no sooner than REPORT_INTERVAL after
 * the previous one.  Steps are not folded away: each new message is
 * notified in turn (the command line prints them all).  The end of a job
 * is never held back. */
#define REPORT_INTERVAL (100 * G_TIME_SPAN_MILLISECOND)

struct _SohoaJob
{
  GObject       parent_instance;

  /* owned */
  GCancellable *cancellable;
  GMainContext *context;
  char         *message;

  /* state */
  double        fraction;

  /* reports not yet applied, under lock */
  GMutex        lock;
  gboolean      report_queued;
  double        next_fraction;
  GPtrArray    *next_messages;
  gint64        applied_at;
};

G_DEFINE_FINAL_TYPE (SohoaJob, sohoa_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
apply_report (gpointer data)
{
  SohoaJob *self = data;
  g_autoptr(GPtrArray) messages = NULL;
  double fraction;

  g_mutex_lock (&self->lock);
  self->report_queued = FALSE;
  self->applied_at = g_get_monotonic_time ();
  fraction = self->next_fraction;
  messages = g_steal_pointer (&self->next_messages);
  g_mutex_unlock (&self->lock);

  if (self->fraction != fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  for (guint i = 0; messages != NULL && i < messages->len; i++)
    {
      if (g_strcmp0 (self->message, g_ptr_array_index (messages, i)) == 0)
        continue;
      g_free (self->message);
      self->message = g_strdup (g_ptr_array_index (messages, i));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  return G_SOURCE_REMOVE;
}

static void
sohoa_job_finalize (GObject *object)
{
  SohoaJob *self = (SohoaJob *) object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->next_messages, g_ptr_array_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sohoa_job_parent_class)->finalize (object);
}

static void
sohoa_job_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SohoaJob *self = SOHOA_JOB (object);

  switch (prop_id)
    {
    case PROP_FRACTION: g_value_set_double (value, self->fraction); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_job_class_init (SohoaJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sohoa_job_finalize;
  object_class->get_property = sohoa_job_get_property;

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sohoa_job_init (SohoaJob *self)
{
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->lock);
}

/**
 * sohoa_job_new:
 *
 * Creates a job whose properties change on the thread-default main context
 * of the caller.
 */
SohoaJob *
sohoa_job_new (void)
{
  return g_object_new (SOHOA_TYPE_JOB, NULL);
}

GCancellable *
sohoa_job_get_cancellable (SohoaJob *self)
{
  g_return_val_if_fail (SOHOA_IS_JOB (self), NULL);
  return self->cancellable;
}

void
sohoa_job_cancel (SohoaJob *self)
{
  g_return_if_fail (SOHOA_IS_JOB (self));
  g_cancellable_cancel (self->cancellable);
}

double
sohoa_job_get_fraction (SohoaJob *self)
{
  g_return_val_if_fail (SOHOA_IS_JOB (self), 0);
  return self->fraction;
}

const char *
sohoa_job_get_message (SohoaJob *self)
{
  g_return_val_if_fail (SOHOA_IS_JOB (self), NULL);
  return self->message;
}

/**
 * sohoa_job_report:
 * @self: (nullable): a job, or %NULL to report nowhere
 * @message: (nullable): what is being done, translated
 *
 * Reports progress from any thread.
 */
void
sohoa_job_report (SohoaJob   *self,
                  guint       done,
                  guint       total,
                  const char *message)
{
  GSource *source;
  gint64 delay = 0;
  gboolean finished;

  if (self == NULL)
    return;
  g_return_if_fail (SOHOA_IS_JOB (self));

  g_mutex_lock (&self->lock);
  self->next_fraction = total > 0 ? CLAMP ((double) done / total, 0.0, 1.0) : 0.0;
  if (message)
    {
      const char *last = self->next_messages && self->next_messages->len > 0
                         ? g_ptr_array_index (self->next_messages, self->next_messages->len - 1)
                         : NULL;

      /* self->message is only written on the main context; a worker compares
       * with the last message queued, and the main context drops repeats. */
      if (g_strcmp0 (last, message) != 0)
        {
          if (self->next_messages == NULL)
            self->next_messages = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (self->next_messages, g_strdup (message));
        }
    }
  finished = total > 0 && done >= total;
  if (self->report_queued && !finished)
    {
      /* The queued report will carry these values. */
      g_mutex_unlock (&self->lock);
      return;
    }
  self->report_queued = TRUE;
  if (!finished && self->applied_at > 0)
    delay = MAX (0, self->applied_at + REPORT_INTERVAL - g_get_monotonic_time ());
  g_mutex_unlock (&self->lock);

  /* Always through a source: g_main_context_invoke() would run the update
   * right here, in the worker, whenever the main thread is not iterating
   * its context at that moment — and the UI binds to these properties. */
  source = delay > 0 ? g_timeout_source_new ((guint) (delay / G_TIME_SPAN_MILLISECOND) + 1)
                     : g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, apply_report, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[sohoa] job progress");
  g_source_attach (source, self->context);
  g_source_unref (source);
}
