/* sohoa-field-writer.c
 *
 * Saves what the clerk types without making the window wait for the disk:
 * one writer thread with its own connection to the workspace database
 * (SQLite in WAL mode lets it write while the main connection reads) takes
 * the values from a queue, in the order they were typed, each in its own
 * transaction with its audit row.  A value the store refuses is reported
 * back on the main context of whoever created the writer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-field-writer"

#include "config.h"

#include "sohoa-field-writer.h"

typedef enum
{
  REQUEST_FIELD,
  REQUEST_SOURCE,
  REQUEST_STOP,
} RequestKind;

typedef struct
{
  RequestKind      kind;
  SohoaUser       *user;
  gint64           record_id;
  char            *key;
  char            *value;
  SohoaValueState  state;
  gint64           page_id;
  int              x;
  int              y;
  int              width;
  int              height;
} Request;

struct _SohoaFieldWriter
{
  GObject       parent_instance;

  /* owned */
  SohoaStore   *store;      /* the writer thread's own connection */
  GAsyncQueue  *queue;      /* Request */
  GThread      *thread;
  GMainContext *owner;

  /* state, under lock */
  GMutex        lock;
  GCond         idle;
  guint         n_pending;
};

G_DEFINE_FINAL_TYPE (SohoaFieldWriter, sohoa_field_writer, G_TYPE_OBJECT)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  SohoaFieldWriter *writer;
  gint64            record_id;
  char             *key;
  GError           *error;
} Failure;

static void
request_free (Request *request)
{
  g_clear_object (&request->user);
  g_free (request->key);
  g_free (request->value);
  g_free (request);
}

static void
failure_free (gpointer data)
{
  Failure *failure = data;

  g_object_unref (failure->writer);
  g_free (failure->key);
  g_error_free (failure->error);
  g_free (failure);
}

static gboolean
emit_failed (gpointer data)
{
  Failure *failure = data;

  g_signal_emit (failure->writer, signals[FAILED], 0,
                 failure->record_id, failure->key, failure->error);
  return G_SOURCE_REMOVE;
}

static gpointer
write_fields_thread (gpointer data)
{
  SohoaFieldWriter *self = data;

  for (;;)
    {
      Request *request = g_async_queue_pop (self->queue);
      g_autoptr(GError) error = NULL;
      gboolean stop = request->kind == REQUEST_STOP;
      gboolean ok = TRUE;

      if (request->kind == REQUEST_FIELD)
        ok = sohoa_store_set_field (self->store, request->user, request->record_id,
                                    request->key, request->value, request->state, &error);
      else if (request->kind == REQUEST_SOURCE)
        ok = sohoa_store_set_field_source (self->store, request->record_id, request->key,
                                           request->page_id, request->x, request->y,
                                           request->width, request->height, &error);

      if (!ok)
        {
          Failure *failure = g_new0 (Failure, 1);

          /* The key names a field, never its value.  The owner shows
           * the error; this is for the log. */
          g_debug ("Could not save field %s of record %" G_GINT64_FORMAT ": %s",
                     request->key, request->record_id, error->message);
          failure->writer = g_object_ref (self);
          failure->record_id = request->record_id;
          failure->key = g_strdup (request->key);
          failure->error = g_steal_pointer (&error);
          g_main_context_invoke_full (self->owner, G_PRIORITY_DEFAULT,
                                      emit_failed, failure, failure_free);
        }

      request_free (request);

      g_mutex_lock (&self->lock);
      self->n_pending--;
      if (self->n_pending == 0)
        g_cond_broadcast (&self->idle);
      g_mutex_unlock (&self->lock);

      if (stop)
        break;
    }

  return NULL;
}

static void
push (SohoaFieldWriter *self,
      Request          *request)
{
  g_mutex_lock (&self->lock);
  self->n_pending++;
  g_mutex_unlock (&self->lock);

  g_async_queue_push (self->queue, request);
}

static void
sohoa_field_writer_finalize (GObject *object)
{
  SohoaFieldWriter *self = (SohoaFieldWriter *) object;

  if (self->thread != NULL)
    {
      Request *stop = g_new0 (Request, 1);

      stop->kind = REQUEST_STOP;
      push (self, stop);
      g_thread_join (self->thread);
    }

  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->owner, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->idle);

  G_OBJECT_CLASS (sohoa_field_writer_parent_class)->finalize (object);
}

static void
sohoa_field_writer_class_init (SohoaFieldWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sohoa_field_writer_finalize;

  /**
   * SohoaFieldWriter::failed:
   * @record_id: the record
   * @key: the field that was not saved
   * @error: why
   *
   * Emitted on the creator's main context when the store refused a value.
   */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
sohoa_field_writer_init (SohoaFieldWriter *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
  self->queue = g_async_queue_new ();
  self->owner = g_main_context_ref_thread_default ();
}

/**
 * sohoa_field_writer_new:
 * @store: the workspace to write to
 *
 * Opens a second connection to @store's database and starts the writer
 * thread.  The thread writes until the writer is finalized, which waits
 * for everything queued.
 */
SohoaFieldWriter *
sohoa_field_writer_new (SohoaStore  *store,
                        GError     **error)
{
  g_autoptr(SohoaFieldWriter) self = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (store), NULL);

  self = g_object_new (SOHOA_TYPE_FIELD_WRITER, NULL);
  if (!(self->store = sohoa_store_dup (store, error)))
    return NULL;

  /* The thread borrows self: finalize joins it before anything is freed. */
  self->thread = g_thread_new ("sohoa-field-writer", write_fields_thread, self);

  return g_steal_pointer (&self);
}

/**
 * sohoa_field_writer_set_field:
 *
 * Queues one value for sohoa_store_set_field(); returns at once.
 */
void
sohoa_field_writer_set_field (SohoaFieldWriter *self,
                              SohoaUser        *user,
                              gint64            record_id,
                              const char       *key,
                              const char       *value,
                              SohoaValueState   state)
{
  Request *request;

  g_return_if_fail (SOHOA_IS_FIELD_WRITER (self));
  g_return_if_fail (key != NULL);

  request = g_new0 (Request, 1);
  request->kind = REQUEST_FIELD;
  request->user = user ? g_object_ref (user) : NULL;
  request->record_id = record_id;
  request->key = g_strdup (key);
  request->value = g_strdup (value ? value : "");
  request->state = state;
  push (self, request);
}

/**
 * sohoa_field_writer_set_source:
 *
 * Queues the region a value was read from for
 * sohoa_store_set_field_source(); returns at once.
 */
void
sohoa_field_writer_set_source (SohoaFieldWriter *self,
                               gint64            record_id,
                               const char       *key,
                               gint64            page_id,
                               int               x,
                               int               y,
                               int               width,
                               int               height)
{
  Request *request;

  g_return_if_fail (SOHOA_IS_FIELD_WRITER (self));
  g_return_if_fail (key != NULL);

  request = g_new0 (Request, 1);
  request->kind = REQUEST_SOURCE;
  request->record_id = record_id;
  request->key = g_strdup (key);
  request->page_id = page_id;
  request->x = x;
  request->y = y;
  request->width = width;
  request->height = height;
  push (self, request);
}

/**
 * sohoa_field_writer_flush:
 *
 * Waits until everything queued is in the database.  Only for the moments
 * that need it (a batch is submitted, the window closes); a few single-row
 * transactions at most.
 */
void
sohoa_field_writer_flush (SohoaFieldWriter *self)
{
  g_return_if_fail (SOHOA_IS_FIELD_WRITER (self));

  g_mutex_lock (&self->lock);
  while (self->n_pending > 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);
}

guint
sohoa_field_writer_get_n_pending (SohoaFieldWriter *self)
{
  guint n_pending;

  g_return_val_if_fail (SOHOA_IS_FIELD_WRITER (self), 0);

  g_mutex_lock (&self->lock);
  n_pending = self->n_pending;
  g_mutex_unlock (&self->lock);

  return n_pending;
}
