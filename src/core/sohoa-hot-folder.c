/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-hot-folder"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-hot-folder.h"
#include "sohoa-import.h"
#include "sohoa-types.h"

#include <string.h>

/* How often files being written are looked at, and how long a finished
 * file must keep its size and time before it is taken. */
#define LOOK_INTERVAL_MS 250
#define STABLE_USEC      (1 * G_USEC_PER_SEC)

/* A file that was closed but does not end the way a whole file does is
 * waited for this long after its last change; then it is imported anyway,
 * which says that it is damaged. */
#define INCOMPLETE_USEC  (30 * G_USEC_PER_SEC)

#define HASH_CHUNK       (256 * 1024)

/* A file seen being written, not yet handed to the import. */
typedef struct
{
  GFile    *file;
  gboolean  hinted;        /* its writer closed it or moved it in */
  gboolean  dirty;         /* changed since it was last looked at */
  gboolean  looking;       /* a look is under way */
  gboolean  seen;          /* size and mtime below are from a look */
  gboolean  incomplete;    /* it was closed but ends short */
  goffset   size;
  guint64   mtime;         /* microseconds */
  gint64    seen_at;       /* monotonic time of that look */
  gint64    give_up_at;    /* for an incomplete file: when to import anyway */
} Candidate;

/* A complete file, waiting for the import or under it. */
typedef struct
{
  GFile    *file;
  char     *key;           /* natural order of its name */
  goffset   size;
  guint64   mtime;
  gboolean  force;         /* import even if it looks cut short */
} Pending;

/* What the import thread needs, and what it found. */
typedef struct
{
  SohoaContext *context;
  SohoaJob     *job;
  Pending      *pending;
  char         *schema_id;
  gint64        batch_id;
  gboolean      skipped;
  gboolean      incomplete;
} ImportData;

/* A look at a candidate's size and time. */
typedef struct
{
  SohoaHotFolder *self;
  Candidate      *candidate;
} Look;

struct _SohoaHotFolder
{
  GObject       parent_instance;

  /* owned */
  SohoaContext *context;
  GFile        *directory;
  char         *schema_id;
  GFileMonitor *monitor;
  GCancellable *cancellable;      /* of the looks; replaced on each start */
  GHashTable   *candidates;       /* path → Candidate */
  GHashTable   *finished;         /* path → Pending: files already taken, as they were */
  GQueue        pending;          /* Pending, in natural order */
  SohoaJob     *job;              /* the import under way */

  /* state */
  gint64        batch_id;
  guint         look_id;
  guint         n_looking;        /* looks under way */
  gboolean      watching;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (SohoaHotFolder, sohoa_hot_folder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_DIRECTORY,
  PROP_BATCH_ID,
  PROP_SCHEMA_ID,
  PROP_WATCHING,
  PROP_BUSY,
  N_PROPS
};

enum {
  IMPORTED,
  ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void look_at_candidates (SohoaHotFolder *self);
static void import_next        (SohoaHotFolder *self);

/* Helpers ----------------------------------------------------------------- */

static void
candidate_clear (gpointer data)
{
  Candidate *candidate = data;

  g_object_unref (candidate->file);
}

static Candidate *
candidate_ref (Candidate *candidate)
{
  return g_rc_box_acquire (candidate);
}

static void
candidate_unref (gpointer data)
{
  g_rc_box_release_full (data, candidate_clear);
}

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_object_unref (pending->file);
  g_free (pending->key);
  g_free (pending);
}

static int
compare_pending (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return strcmp (((const Pending *) a)->key, ((const Pending *) b)->key);
}

static void
import_data_free (gpointer data)
{
  ImportData *import = data;

  g_object_unref (import->context);
  g_object_unref (import->job);
  pending_free (import->pending);
  g_free (import->schema_id);
  g_free (import);
}

static void
look_free (Look *look)
{
  g_object_unref (look->self);
  candidate_unref (look->candidate);
  g_free (look);
}

/* Scanners write to a hidden or temporary name first, then rename. */
static gboolean
is_ignored_name (const char *name)
{
  g_autofree char *lower = NULL;

  if (name == NULL || name[0] == '.' || g_str_has_suffix (name, "~"))
    return TRUE;
  lower = g_ascii_strdown (name, -1);
  return g_str_has_suffix (lower, ".part") || g_str_has_suffix (lower, ".tmp");
}

static char *
file_key (GFile *file)
{
  return g_file_get_uri (file);
}

static gboolean
is_watched_child (SohoaHotFolder *self,
                  GFile          *file)
{
  g_autofree char *name = NULL;

  if (file == NULL || !g_file_has_parent (file, self->directory))
    return FALSE;
  name = g_file_get_basename (file);
  return !is_ignored_name (name);
}

static void
update_busy (SohoaHotFolder *self)
{
  gboolean busy = g_hash_table_size (self->candidates) > 0 ||
                  !g_queue_is_empty (&self->pending) ||
                  self->job != NULL;

  if (busy != self->busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
emit_error (SohoaHotFolder *self,
            const GError   *error)
{
  g_signal_emit (self, signals[ERROR], 0, error);
}

static gboolean
look_cb (gpointer user_data)
{
  SohoaHotFolder *self = user_data;

  if (g_hash_table_size (self->candidates) == 0)
    {
      self->look_id = 0;
      return G_SOURCE_REMOVE;
    }
  look_at_candidates (self);
  return G_SOURCE_CONTINUE;
}

static void
schedule_looks (SohoaHotFolder *self)
{
  if (self->look_id == 0 && self->watching)
    self->look_id = g_timeout_add (LOOK_INTERVAL_MS, look_cb, self);
}

static Candidate *
ensure_candidate (SohoaHotFolder *self,
                  GFile          *file)
{
  g_autofree char *key = file_key (file);
  Candidate *candidate;

  if (key == NULL)
    return NULL;
  if (!(candidate = g_hash_table_lookup (self->candidates, key)))
    {
      candidate = g_rc_box_new0 (Candidate);
      candidate->file = g_object_ref (file);
      g_hash_table_insert (self->candidates, g_steal_pointer (&key), candidate);
    }
  schedule_looks (self);
  update_busy (self);
  return candidate;
}

/* The writer is done with @file, or says so: it is taken once it keeps
 * still for a second. */
static void
hint_done (SohoaHotFolder *self,
           GFile          *file)
{
  Candidate *candidate = ensure_candidate (self, file);

  if (candidate == NULL)
    return;
  candidate->hinted = TRUE;
  candidate->dirty = TRUE;
}

static void
forget_file (SohoaHotFolder *self,
             GFile          *file)
{
  g_autofree char *key = file_key (file);

  if (key == NULL)
    return;
  g_hash_table_remove (self->candidates, key);
  g_hash_table_remove (self->finished, key);
  update_busy (self);
}

static gboolean
is_current (SohoaHotFolder *self,
            Candidate      *candidate)
{
  g_autofree char *key = file_key (candidate->file);

  return g_hash_table_lookup (self->candidates, key) == candidate;
}

static void
take_candidate (SohoaHotFolder *self,
                Candidate      *candidate,
                gboolean        force)
{
  g_autofree char *key = file_key (candidate->file);
  g_autofree char *name = g_file_get_basename (candidate->file);
  Pending *done = g_hash_table_lookup (self->finished, key);
  Pending *pending;

  /* Touched, not changed: it was imported as it is. */
  if (done != NULL && done->size == candidate->size && done->mtime == candidate->mtime && !force)
    {
      g_hash_table_remove (self->candidates, key);
      update_busy (self);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->file = g_object_ref (candidate->file);
  pending->key = g_utf8_collate_key_for_filename (name, -1);
  pending->size = candidate->size;
  pending->mtime = candidate->mtime;
  pending->force = force;
  g_queue_insert_sorted (&self->pending, pending, compare_pending, NULL);
  g_hash_table_remove (self->candidates, key);
  update_busy (self);
}

/* Callbacks --------------------------------------------------------------- */

static void
query_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Look *look = user_data;
  SohoaHotFolder *self = look->self;
  Candidate *candidate = look->candidate;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  goffset size;
  guint64 mtime;

  info = g_file_query_info_finish (G_FILE (object), result, &error);
  candidate->looking = FALSE;
  self->n_looking--;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !is_current (self, candidate))
    goto out;

  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      /* Gone, or a folder: nothing to import. */
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        emit_error (self, error);
      forget_file (self, candidate->file);
      goto out;
    }

  size = g_file_info_get_size (info);
  mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * G_USEC_PER_SEC +
          g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);

  /* Some writers create the file empty, close it, then open it again. */
  if (size == 0)
    {
      candidate->hinted = FALSE;
      candidate->seen = FALSE;
      goto out;
    }

  if (candidate->seen && !candidate->dirty && size == candidate->size && mtime == candidate->mtime)
    {
      take_candidate (self, candidate, candidate->incomplete && g_get_monotonic_time () >= candidate->give_up_at);
      goto out;
    }

  candidate->seen = TRUE;
  candidate->dirty = FALSE;
  candidate->size = size;
  candidate->mtime = mtime;
  candidate->seen_at = g_get_monotonic_time ();

out:
  /* Files found complete together, such as those already in the folder,
   * are imported in the order of their names. */
  if (self->n_looking == 0 && self->watching)
    import_next (self);
  look_free (look);
}

static void
look_at_candidates (SohoaHotFolder *self)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Candidate *candidate;

  g_hash_table_iter_init (&iter, self->candidates);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &candidate))
    {
      Look *look;

      /* One that ended short is tried again when it changes, or in the end
       * anyway. */
      if (candidate->incomplete && !candidate->hinted && now >= candidate->give_up_at)
        candidate->hinted = TRUE;

      if (!candidate->hinted || candidate->looking ||
          (candidate->seen && now - candidate->seen_at < STABLE_USEC))
        continue;

      look = g_new0 (Look, 1);
      look->self = g_object_ref (self);
      look->candidate = candidate_ref (candidate);
      candidate->looking = TRUE;
      self->n_looking++;
      g_file_query_info_async (candidate->file,
                               G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                               G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                               G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                               G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                               G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                               query_cb, look);
    }
}

static void
changed_cb (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other_file,
            GFileMonitorEvent  event,
            SohoaHotFolder    *self)
{
  Candidate *candidate;

  if (g_file_equal (file, self->directory))
    {
      if (event == G_FILE_MONITOR_EVENT_DELETED || event == G_FILE_MONITOR_EVENT_MOVED_OUT ||
          event == G_FILE_MONITOR_EVENT_UNMOUNTED || event == G_FILE_MONITOR_EVENT_RENAMED)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *path = g_file_get_parse_name (self->directory);

          g_set_error (&error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND,
                       _("The folder “%s” is no longer there; scanned files are not imported until it is watched again."),
                       path);
          sohoa_hot_folder_stop (self);
          emit_error (self, error);
        }
      return;
    }

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_CHANGED:
      if (is_watched_child (self, file) && (candidate = ensure_candidate (self, file)))
        {
          candidate->dirty = TRUE;
          if (candidate->incomplete)
            candidate->give_up_at = g_get_monotonic_time () + INCOMPLETE_USEC;
        }
      break;

    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      if (is_watched_child (self, file))
        hint_done (self, file);
      break;

    case G_FILE_MONITOR_EVENT_RENAMED:
      forget_file (self, file);
      if (is_watched_child (self, other_file))
        hint_done (self, other_file);
      break;

    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      forget_file (self, file);
      break;

    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    default:
      break;
    }
}

static void
next_files_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SohoaHotFolder) self = user_data;
  GFileEnumerator *children = G_FILE_ENUMERATOR (object);
  g_autoptr(GError) error = NULL;
  GList *infos;

  infos = g_file_enumerator_next_files_finish (children, result, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        emit_error (self, error);
      return;
    }
  if (infos == NULL || !self->watching)
    {
      g_list_free_full (infos, g_object_unref);
      return;
    }

  /* Files already there when watching starts are taken like moved-in
   * ones: the content they share with earlier imports is not stored
   * again. */
  for (GList *l = infos; l; l = l->next)
    {
      GFileInfo *info = l->data;
      g_autoptr(GFile) child = g_file_enumerator_get_child (children, info);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && !is_ignored_name (g_file_info_get_name (info)))
        hint_done (self, child);
    }
  g_list_free_full (infos, g_object_unref);

  g_file_enumerator_next_files_async (children, 64, G_PRIORITY_DEFAULT, self->cancellable,
                                      next_files_cb, g_object_ref (self));
}

static void
enumerate_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SohoaHotFolder) self = user_data;
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;

  if (!(children = g_file_enumerate_children_finish (G_FILE (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        emit_error (self, error);
      return;
    }
  g_file_enumerator_next_files_async (children, 64, G_PRIORITY_DEFAULT, self->cancellable,
                                      next_files_cb, g_object_ref (self));
}

/* The import ---------------------------------------------------------------- */

/* Whether content like @file's is already in the workspace; -1 on error. */
static int
find_content (SohoaContext  *context,
              GFile         *file,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(SohoaStore) store = NULL;
  g_autofree guint8 *buffer = g_malloc (HASH_CHUNK);
  gssize n;

  if (!(stream = g_file_read (file, cancellable, error)))
    return -1;
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, HASH_CHUNK, cancellable, error)) > 0)
    g_checksum_update (checksum, buffer, (gssize) n);
  if (n < 0)
    return -1;

  if (!(store = sohoa_store_dup (sohoa_context_get_store (context), error)))
    return -1;
  return sohoa_store_find_page (store, g_checksum_get_string (checksum), NULL) != 0 ? 1 : 0;
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  GFile *file = data->pending->file;
  SohoaImportReport *report;
  GError *error = NULL;

  if (!sohoa_import_is_supported_file (file, cancellable))
    {
      data->skipped = TRUE;
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (!data->pending->force && !sohoa_import_file_looks_complete (file, cancellable))
    {
      data->incomplete = TRUE;
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  /* A batch of its own is made only for content that is new. */
  if (data->batch_id == 0)
    {
      int found = find_content (data->context, file, cancellable, &error);

      if (found < 0)
        {
          g_task_return_error (task, error);
          return;
        }
      if (found > 0)
        {
          report = sohoa_import_report_new ();
          report->n_duplicates = 1;
          g_ptr_array_add (report->files, g_object_ref (file));
          g_task_return_pointer (task, report, (GDestroyNotify) sohoa_import_report_free);
          return;
        }
    }

  report = sohoa_import_files (data->context, data->batch_id, data->schema_id, &file, 1, data->job, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) sohoa_import_report_free);
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SohoaHotFolder *self = SOHOA_HOT_FOLDER (object);
  ImportData *data = g_task_get_task_data (G_TASK (result));
  Pending *pending = data->pending;
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = file_key (pending->file);

  report = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->job);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      update_busy (self);
      return;
    }

  if (data->incomplete && self->watching)
    {
      /* Closed but cut short: the writer may not be done after all. */
      Candidate *candidate = ensure_candidate (self, pending->file);

      if (candidate != NULL && !candidate->incomplete)
        {
          candidate->incomplete = TRUE;
          candidate->hinted = FALSE;
          candidate->seen = TRUE;
          candidate->size = pending->size;
          candidate->mtime = pending->mtime;
          candidate->seen_at = g_get_monotonic_time ();
          candidate->give_up_at = candidate->seen_at + INCOMPLETE_USEC;
        }
      g_debug ("%s ends short; waiting for the rest", key);
    }
  else if (!data->incomplete)
    {
      Pending *done = g_new0 (Pending, 1);

      done->file = g_object_ref (pending->file);
      done->size = pending->size;
      done->mtime = pending->mtime;
      g_hash_table_insert (self->finished, g_strdup (key), done);

      if (report != NULL)
        {
          if (self->batch_id == 0 && report->batch_id != 0)
            sohoa_hot_folder_set_batch_id (self, report->batch_id);
          g_signal_emit (self, signals[IMPORTED], 0, report);
        }
      else if (error != NULL)
        emit_error (self, error);
      else
        g_debug ("%s is not a page image or PDF; left alone", key);
    }

  if (self->watching)
    import_next (self);
  update_busy (self);
}

static void
import_next (SohoaHotFolder *self)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  if (self->job != NULL || g_queue_is_empty (&self->pending))
    return;

  self->job = sohoa_job_new ();
  data = g_new0 (ImportData, 1);
  data->context = g_object_ref (self->context);
  data->job = g_object_ref (self->job);
  data->pending = g_queue_pop_head (&self->pending);
  data->schema_id = g_strdup (self->schema_id);
  data->batch_id = self->batch_id;

  task = g_task_new (self, sohoa_job_get_cancellable (self->job), import_cb, NULL);
  g_task_set_source_tag (task, import_next);
  g_task_set_task_data (task, data, import_data_free);
  g_task_run_in_thread (task, import_thread);
}

/* GObject ----------------------------------------------------------------- */

static void
sohoa_hot_folder_dispose (GObject *object)
{
  SohoaHotFolder *self = SOHOA_HOT_FOLDER (object);

  sohoa_hot_folder_stop (self);

  G_OBJECT_CLASS (sohoa_hot_folder_parent_class)->dispose (object);
}

static void
sohoa_hot_folder_finalize (GObject *object)
{
  SohoaHotFolder *self = SOHOA_HOT_FOLDER (object);

  g_clear_object (&self->context);
  g_clear_object (&self->directory);
  g_clear_object (&self->job);
  g_clear_object (&self->cancellable);
  g_free (self->schema_id);
  g_hash_table_unref (self->candidates);
  g_hash_table_unref (self->finished);
  g_queue_clear_full (&self->pending, pending_free);

  G_OBJECT_CLASS (sohoa_hot_folder_parent_class)->finalize (object);
}

static void
sohoa_hot_folder_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SohoaHotFolder *self = SOHOA_HOT_FOLDER (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_DIRECTORY:
      g_value_set_object (value, self->directory);
      break;

    case PROP_BATCH_ID:
      g_value_set_int64 (value, self->batch_id);
      break;

    case PROP_SCHEMA_ID:
      g_value_set_string (value, self->schema_id);
      break;

    case PROP_WATCHING:
      g_value_set_boolean (value, self->watching);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_hot_folder_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SohoaHotFolder *self = SOHOA_HOT_FOLDER (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_DIRECTORY:
      self->directory = g_value_dup_object (value);
      break;

    case PROP_BATCH_ID:
      sohoa_hot_folder_set_batch_id (self, g_value_get_int64 (value));
      break;

    case PROP_SCHEMA_ID:
      sohoa_hot_folder_set_schema_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_hot_folder_class_init (SohoaHotFolderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sohoa_hot_folder_dispose;
  object_class->finalize = sohoa_hot_folder_finalize;
  object_class->get_property = sohoa_hot_folder_get_property;
  object_class->set_property = sohoa_hot_folder_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         SOHOA_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DIRECTORY] =
    g_param_spec_object ("directory", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SohoaHotFolder:batch-id:
   *
   * The batch files go into; 0 makes a new one with the first new file,
   * which then becomes this.
   */
  properties[PROP_BATCH_ID] =
    g_param_spec_int64 ("batch-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SohoaHotFolder:schema-id:
   *
   * The form of a new batch; %NULL for the default.
   */
  properties[PROP_SCHEMA_ID] =
    g_param_spec_string ("schema-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_WATCHING] =
    g_param_spec_boolean ("watching", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SohoaHotFolder:busy:
   *
   * Whether files are being written, waiting or being imported.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SohoaHotFolder::imported:
   * @report: what one file gave: pages, or a duplicate, or an error
   *
   * Emitted on the main context after each complete file was imported.
   */
  signals[IMPORTED] =
    g_signal_new ("imported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  SOHOA_TYPE_IMPORT_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * SohoaHotFolder::error:
   * @error: what went wrong, translated
   *
   * Emitted when a file could not be imported at all (the batch was
   * submitted, the workspace is unusable) or the folder cannot be watched
   * any more.
   */
  signals[ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
sohoa_hot_folder_init (SohoaHotFolder *self)
{
  self->candidates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, candidate_unref);
  self->finished = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pending_free);
  g_queue_init (&self->pending);
}

/* Public API -------------------------------------------------------------- */

/**
 * sohoa_hot_folder_new:
 * @context: the workspace, with a signed-in user
 * @directory: the folder to watch
 * @batch_id: the batch to import into, or 0 for a new one
 *
 * Returns: (transfer full): a hot folder, not yet watching
 */
SohoaHotFolder *
sohoa_hot_folder_new (SohoaContext *context,
                      GFile        *directory,
                      gint64        batch_id)
{
  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (G_IS_FILE (directory), NULL);
  g_return_val_if_fail (batch_id >= 0, NULL);

  return g_object_new (SOHOA_TYPE_HOT_FOLDER,
                       "context", context,
                       "directory", directory,
                       "batch-id", batch_id,
                       NULL);
}

SohoaContext *
sohoa_hot_folder_get_context (SohoaHotFolder *self)
{
  g_return_val_if_fail (SOHOA_IS_HOT_FOLDER (self), NULL);
  return self->context;
}

GFile *
sohoa_hot_folder_get_directory (SohoaHotFolder *self)
{
  g_return_val_if_fail (SOHOA_IS_HOT_FOLDER (self), NULL);
  return self->directory;
}

gint64
sohoa_hot_folder_get_batch_id (SohoaHotFolder *self)
{
  g_return_val_if_fail (SOHOA_IS_HOT_FOLDER (self), 0);
  return self->batch_id;
}

void
sohoa_hot_folder_set_batch_id (SohoaHotFolder *self,
                               gint64          batch_id)
{
  g_return_if_fail (SOHOA_IS_HOT_FOLDER (self));
  g_return_if_fail (batch_id >= 0);

  if (self->batch_id == batch_id)
    return;
  self->batch_id = batch_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH_ID]);
}

const char *
sohoa_hot_folder_get_schema_id (SohoaHotFolder *self)
{
  g_return_val_if_fail (SOHOA_IS_HOT_FOLDER (self), NULL);
  return self->schema_id;
}

void
sohoa_hot_folder_set_schema_id (SohoaHotFolder *self,
                                const char     *schema_id)
{
  g_return_if_fail (SOHOA_IS_HOT_FOLDER (self));

  if (g_strcmp0 (self->schema_id, schema_id) == 0)
    return;
  g_free (self->schema_id);
  self->schema_id = g_strdup (schema_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEMA_ID]);
}

gboolean
sohoa_hot_folder_get_watching (SohoaHotFolder *self)
{
  g_return_val_if_fail (SOHOA_IS_HOT_FOLDER (self), FALSE);
  return self->watching;
}

gboolean
sohoa_hot_folder_get_busy (SohoaHotFolder *self)
{
  g_return_val_if_fail (SOHOA_IS_HOT_FOLDER (self), FALSE);
  return self->busy;
}

/**
 * sohoa_hot_folder_start:
 *
 * Starts watching.  Files already in the folder are imported too, once
 * they keep still; what the workspace already holds is skipped.
 *
 * Returns: %TRUE if the folder is being watched
 */
gboolean
sohoa_hot_folder_start (SohoaHotFolder  *self,
                        GError         **error)
{
  g_return_val_if_fail (SOHOA_IS_HOT_FOLDER (self), FALSE);

  if (self->watching)
    return TRUE;

  if (g_file_query_file_type (self->directory, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *path = g_file_get_parse_name (self->directory);

      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("“%s” is not a folder."), path);
      return FALSE;
    }
  if (!(self->monitor = g_file_monitor_directory (self->directory, G_FILE_MONITOR_WATCH_MOVES, NULL, error)))
    return FALSE;
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (changed_cb), self, G_CONNECT_DEFAULT);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->watching = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHING]);

  g_file_enumerate_children_async (self->directory,
                                   G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                   G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                                   enumerate_cb, g_object_ref (self));
  return TRUE;
}

/**
 * sohoa_hot_folder_stop:
 *
 * Stops watching and cancels the import under way; files not yet
 * imported stay in the folder for the next start.
 */
void
sohoa_hot_folder_stop (SohoaHotFolder *self)
{
  g_return_if_fail (SOHOA_IS_HOT_FOLDER (self));

  if (!self->watching)
    return;

  self->watching = FALSE;
  g_cancellable_cancel (self->cancellable);
  if (self->monitor != NULL)
    {
      g_file_monitor_cancel (self->monitor);
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_clear_object (&self->monitor);
    }
  g_clear_handle_id (&self->look_id, g_source_remove);
  g_hash_table_remove_all (self->candidates);
  g_queue_clear_full (&self->pending, pending_free);
  if (self->job != NULL)
    sohoa_job_cancel (self->job);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHING]);
  update_busy (self);
}
