/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-job"

#include "config.h"

#include "sohoa-job.h"

struct _SohoaJob
{
  GObject       parent_instance;

  /* owned */
  GCancellable *cancellable;
  GMainContext *context;
  char         *message;

  /* state */
  double        fraction;
};

G_DEFINE_FINAL_TYPE (SohoaJob, sohoa_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  SohoaJob *job;
  double    fraction;
  char     *message;
} Report;

static void
report_free (gpointer data)
{
  Report *report = data;

  g_object_unref (report->job);
  g_free (report->message);
  g_free (report);
}

static gboolean
apply_report (gpointer data)
{
  Report *report = data;
  SohoaJob *self = report->job;

  if (self->fraction != report->fraction)
    {
      self->fraction = report->fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  if (report->message && g_strcmp0 (self->message, report->message) != 0)
    {
      g_free (self->message);
      self->message = g_steal_pointer (&report->message);
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
  Report *report;

  if (self == NULL)
    return;
  g_return_if_fail (SOHOA_IS_JOB (self));

  report = g_new0 (Report, 1);
  report->job = g_object_ref (self);
  report->fraction = total > 0 ? CLAMP ((double) done / total, 0.0, 1.0) : 0.0;
  report->message = g_strdup (message);
  /* Always through a source: g_main_context_invoke() would run the update
   * right here, in the worker, whenever the main thread is not iterating
   * its context at that moment — and the UI binds to these properties. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, apply_report, report, report_free);
  g_source_set_static_name (source, "[sohoa] job progress");
  g_source_attach (source, self->context);
  g_source_unref (source);
}
