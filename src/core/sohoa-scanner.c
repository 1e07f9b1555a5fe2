/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-scanner"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sohoa-scanner.h"

#include "sohoa-image-private.h"
#include "sohoa-scanner-private.h"
#include "sohoa-types.h"

#include <errno.h>
#include <math.h>
#include <sane/sane.h>
#include <sane/saneopts.h>
#include <string.h>

/* Bytes asked of each sane_read(); cancellation is checked between reads,
 * and at 300 dpi in colour this is a few lines of an A4 page. */
#define READ_CHUNK (64 * 1024)
/* The same limits as for imported images. */
#define MAX_SIDE   30000
#define MAX_PIXELS (300 * 1000 * 1000)
#define MAX_PREALLOCATION (256 * 1024 * 1024)

/* libsane keeps process-wide state: one worker at a time may hold it,
 * from sane_init() to sane_exit(). */
G_LOCK_DEFINE_STATIC (libsane);

/* One scan, as the worker sees it.  Shared between the main thread (which
 * may cancel it) and the worker. */
typedef struct
{
  guint            id;
  GCancellable    *cancellable;
  char            *device;
  SohoaScanSource  source;
  SohoaScanMode    mode;
  guint            resolution;
  guint            max_pages;
  char           **backend_options;
  char            *out_dir;
} ScanJob;

typedef enum
{
  COMMAND_LIST_DEVICES,
  COMMAND_SCAN,
  COMMAND_QUIT,
} CommandKind;

typedef struct
{
  CommandKind  kind;
  GTask       *task;   /* LIST_DEVICES; handed on to its event, never unreffed by the worker */
  ScanJob     *job;    /* SCAN */
} Command;

typedef enum
{
  EVENT_DEVICES,
  EVENT_PAGE,
  EVENT_FINISHED,
} EventKind;

typedef struct
{
  EventKind   kind;
  guint       job_id;
  guint       page;
  char       *path;
  GError     *error;
  GTask      *task;
  GListStore *devices;
} Event;

/* What the scanner and its thread share.  The thread holds no reference
 * to the scanner itself, so dropping the last one always works. */
typedef struct
{
  GAsyncQueue  *commands;
  GAsyncQueue  *events;
  GMainContext *context;
  GWeakRef      scanner;
} Worker;

struct _SohoaScanner
{
  GObject   parent_instance;

  /* owned */
  Worker   *worker;
  GThread  *thread;
  ScanJob  *job;          /* the current job, until its "finished" */

  /* state */
  guint     next_job_id;
  guint     n_pages;      /* pages of the current job signalled so far */
  gboolean  cancelled;    /* the current job was cancelled by the caller */
};

G_DEFINE_FINAL_TYPE (SohoaScanner, sohoa_scanner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_JOB,
  N_PROPS
};

enum {
  PAGE_SCANNED,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const source_names[] = { "flatbed", "feeder", "duplex" };

/* Jobs, commands, events ----------------------------------------------- */

static void
scan_job_clear (gpointer data)
{
  ScanJob *job = data;

  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->device, g_free);
  g_clear_pointer (&job->backend_options, g_strfreev);
  g_clear_pointer (&job->out_dir, g_free);
}

static void
scan_job_unref (ScanJob *job)
{
  g_atomic_rc_box_release_full (job, scan_job_clear);
}

static ScanJob *
scan_job_new (guint                   id,
              const SohoaScanOptions *options,
              const char             *out_dir)
{
  ScanJob *job = g_atomic_rc_box_new0 (ScanJob);

  job->id = id;
  job->cancellable = g_cancellable_new ();
  job->device = options->device && *options->device ? g_strdup (options->device) : NULL;
  job->source = options->source;
  job->mode = options->mode;
  job->resolution = options->resolution ? options->resolution : SOHOA_SCAN_DEFAULT_RESOLUTION;
  job->resolution = MAX (job->resolution, SOHOA_SCAN_MIN_RESOLUTION);
  job->max_pages = options->source == SOHOA_SCAN_SOURCE_FLATBED ? 1 : options->max_pages;
  job->backend_options = g_strdupv ((char **) options->backend_options);
  job->out_dir = g_strdup (out_dir);
  return job;
}

static void
command_free (Command *command)
{
  /* A task still here was never answered; the worker that drops it is
   * going away with its scanner. */
  g_clear_object (&command->task);
  g_clear_pointer (&command->job, scan_job_unref);
  g_free (command);
}

static Command *
command_new (CommandKind  kind,
             GTask       *task,
             ScanJob     *job)
{
  Command *command = g_new0 (Command, 1);

  command->kind = kind;
  command->task = task;
  command->job = job;
  return command;
}

static void
event_free (gpointer data)
{
  Event *event = data;

  g_free (event->path);
  g_clear_error (&event->error);
  g_clear_object (&event->task);
  g_clear_object (&event->devices);
  g_free (event);
}

static Event *
event_new (EventKind kind,
           guint     job_id)
{
  Event *event = g_new0 (Event, 1);

  event->kind = kind;
  event->job_id = job_id;
  return event;
}

static void
worker_clear (gpointer data)
{
  Worker *worker = data;

  g_async_queue_unref (worker->commands);
  g_async_queue_unref (worker->events);
  g_main_context_unref (worker->context);
  g_weak_ref_clear (&worker->scanner);
}

static Worker *
worker_ref (Worker *worker)
{
  return g_atomic_rc_box_acquire (worker);
}

static void
worker_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, worker_clear);
}

/* Runs on the scanner's main context. */
static void
handle_event (SohoaScanner *self,
              Event        *event)
{
  if (event->kind == EVENT_DEVICES)
    {
      if (event->error)
        g_task_return_error (event->task, g_steal_pointer (&event->error));
      else
        g_task_return_pointer (event->task, g_steal_pointer (&event->devices), g_object_unref);
      return;
    }

  /* Events of a job that is no longer the current one are dropped, and so
   * are pages that arrive after the caller cancelled. */
  if (self == NULL || self->job == NULL || self->job->id != event->job_id ||
      (event->kind == EVENT_PAGE && self->cancelled))
    {
      g_debug ("Dropping a stale event of scan job %u", event->job_id);
      if (event->path)
        g_unlink (event->path);
      return;
    }

  if (event->kind == EVENT_PAGE)
    {
      self->n_pages++;
      g_signal_emit (self, signals[PAGE_SCANNED], 0, event->job_id, self->n_pages, event->path);
    }
  else
    {
      g_autoptr(GError) error = g_steal_pointer (&event->error);
      guint n_pages = self->n_pages;

      if (self->cancelled && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Scanning was cancelled."));
        }
      g_clear_pointer (&self->job, scan_job_unref);
      self->cancelled = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
      /* A handler of these may already start the next scan. */
      g_signal_emit (self, signals[FINISHED], 0, event->job_id, error, n_pages);
    }
}

static gboolean
dispatch_events (gpointer data)
{
  Worker *worker = data;
  g_autoptr(SohoaScanner) self = g_weak_ref_get (&worker->scanner);
  Event *event;

  /* One queue keeps the events in the order the worker sent them. */
  while ((event = g_async_queue_try_pop (worker->events)))
    {
      handle_event (self, event);
      event_free (event);
    }
  return G_SOURCE_REMOVE;
}

/* Runs on the worker.  Not g_main_context_invoke(): while nobody iterates
 * the default main context, that would run the callback right here. */
static void
post_event (Worker *worker,
            Event  *event)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_async_queue_push (worker->events, event);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, dispatch_events, worker_ref (worker), worker_unref);
  g_source_set_static_name (source, "[sohoa-scanner] events");
  g_source_attach (source, worker->context);
}

/* SANE, on the worker thread only -------------------------------------- */

void
_sohoa_scanner_set_error_from_status (GError          **error,
                                      int               status,
                                      SohoaScanSource   source)
{
  switch ((SANE_Status) status)
    {
    case SANE_STATUS_CANCELLED:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Scanning was cancelled."));
      break;
    case SANE_STATUS_DEVICE_BUSY:
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCANNER_BUSY,
                           _("The scanner is busy. Wait until it is done, or close other scanning programs, then try again."));
      break;
    case SANE_STATUS_JAMMED:
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PAPER_JAM,
                           _("Paper is jammed in the scanner. Clear the jam, then scan the remaining pages again."));
      break;
    case SANE_STATUS_NO_DOCS:
      if (source == SOHOA_SCAN_SOURCE_FLATBED)
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FEEDER_EMPTY,
                             _("There is no page on the scanner."));
      else
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FEEDER_EMPTY,
                             _("The feeder is empty. Load the pages and scan again."));
      break;
    case SANE_STATUS_COVER_OPEN:
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_COVER_OPEN,
                           _("The scanner cover is open. Close it and try again."));
      break;
    case SANE_STATUS_IO_ERROR:
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCANNER,
                           _("The scanner stopped responding. Check its cable and power, then try again."));
      break;
    case SANE_STATUS_ACCESS_DENIED:
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCANNER,
                           _("Access to the scanner was denied. Ask the administrator to check its permissions."));
      break;
    case SANE_STATUS_NO_MEM:
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCANNER,
                           _("The computer ran out of memory while scanning."));
      break;
    case SANE_STATUS_UNSUPPORTED:
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                           _("The scanner cannot do what was asked of it."));
      break;
    case SANE_STATUS_INVAL:
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCANNER,
                           _("The scanner did not accept the scan settings."));
      break;
    case SANE_STATUS_GOOD:
    case SANE_STATUS_EOF:
    default:
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_SCANNER,
                   _("The scanner reported an error: %s"), sane_strstatus (status));
      break;
    }
}

static gboolean
is_cancelled (ScanJob  *job,
              GError  **error)
{
  if (!g_cancellable_is_cancelled (job->cancellable))
    return FALSE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Scanning was cancelled."));
  return TRUE;
}

static char *
choose_device (const char  *wanted,
               GError     **error)
{
  const SANE_Device **devices = NULL;
  SANE_Status status;

  if (wanted)
    return g_strdup (wanted);

  status = sane_get_devices (&devices, SANE_FALSE);
  if (status != SANE_STATUS_GOOD)
    {
      _sohoa_scanner_set_error_from_status (error, status, SOHOA_SCAN_SOURCE_FLATBED);
      return NULL;
    }
  if (devices == NULL || devices[0] == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NO_SCANNER,
                           _("No scanner was found. Check that it is connected and switched on."));
      return NULL;
    }
  return g_strdup (devices[0]->name);
}

static const SANE_Option_Descriptor *
find_option (SANE_Handle  handle,
             const char  *name,
             SANE_Int    *index)
{
  const SANE_Option_Descriptor *option;

  for (SANE_Int i = 1; (option = sane_get_option_descriptor (handle, i)); i++)
    if (option->name && g_ascii_strcasecmp (option->name, name) == 0)
      {
        *index = i;
        return option;
      }
  return NULL;
}

static gboolean
is_settable (const SANE_Option_Descriptor *option)
{
  return option && SANE_OPTION_IS_ACTIVE (option->cap) && SANE_OPTION_IS_SETTABLE (option->cap);
}

static gboolean
control_option (SANE_Handle       handle,
                SANE_Int          index,
                SANE_Action       action,
                void             *value,
                SohoaScanSource   source,
                GError          **error)
{
  SANE_Status status = sane_control_option (handle, index, action, value, NULL);

  if (status != SANE_STATUS_GOOD)
    {
      _sohoa_scanner_set_error_from_status (error, status, source);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_string_option (SANE_Handle                   handle,
                   SANE_Int                      index,
                   const SANE_Option_Descriptor *option,
                   const char                   *value,
                   SohoaScanSource               source,
                   GError                      **error)
{
  g_autofree char *buffer = g_malloc0 (MAX ((gsize) option->size, strlen (value) + 1));

  strcpy (buffer, value);
  return control_option (handle, index, SANE_ACTION_SET_VALUE, buffer, source, error);
}

static gboolean
contains_any (const char         *folded,
              const char * const *words)
{
  for (guint i = 0; words[i]; i++)
    if (strstr (folded, words[i]))
      return TRUE;
  return FALSE;
}

/* Backends name their sources freely ("Flatbed", "ADF", "ADF Front",
 * "ADF Duplex", "Automatic Document Feeder", "Document Table"); match by
 * keywords, in the backend's order. */
static const char *
pick_source (const SANE_Option_Descriptor *option,
             SohoaScanSource               source)
{
  static const char * const flatbed_words[] = { "flatbed", "platen", "glass", "normal", "table", NULL };
  static const char * const feeder_words[] = { "adf", "feeder", "automatic document", "sheet", NULL };
  static const char * const duplex_words[] = { "duplex", "both", "front & back", "front and back", NULL };
  static const char * const back_words[] = { "back", NULL };

  if (option->type != SANE_TYPE_STRING || option->constraint_type != SANE_CONSTRAINT_STRING_LIST)
    return NULL;

  for (const SANE_String_Const *name = option->constraint.string_list; *name; name++)
    {
      g_autofree char *folded = g_ascii_strdown (*name, -1);
      gboolean duplex = contains_any (folded, duplex_words);

      switch (source)
        {
        case SOHOA_SCAN_SOURCE_FLATBED:
          if (contains_any (folded, flatbed_words))
            return *name;
          break;
        case SOHOA_SCAN_SOURCE_FEEDER:
          if (contains_any (folded, feeder_words) && !duplex && !contains_any (folded, back_words))
            return *name;
          break;
        case SOHOA_SCAN_SOURCE_DUPLEX:
          if (duplex)
            return *name;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return NULL;
}

/* Some backends keep duplex apart from the source: a "duplex" switch or an
 * "adf-mode" list ("Simplex", "Duplex"). */
static gboolean
set_separate_duplex (SANE_Handle   handle,
                     GError      **error)
{
  const SANE_Option_Descriptor *option;
  SANE_Int index;

  if ((option = find_option (handle, "duplex", &index)) && is_settable (option) && option->type == SANE_TYPE_BOOL)
    {
      SANE_Bool on = SANE_TRUE;

      return control_option (handle, index, SANE_ACTION_SET_VALUE, &on, SOHOA_SCAN_SOURCE_DUPLEX, error);
    }
  if ((option = find_option (handle, "adf-mode", &index)) && is_settable (option) &&
      option->constraint_type == SANE_CONSTRAINT_STRING_LIST)
    for (const SANE_String_Const *name = option->constraint.string_list; *name; name++)
      if (g_ascii_strcasecmp (*name, "duplex") == 0)
        return set_string_option (handle, index, option, *name, SOHOA_SCAN_SOURCE_DUPLEX, error);

  g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                       _("This scanner cannot scan both sides of a page."));
  return FALSE;
}

static gboolean
set_source (SANE_Handle       handle,
            SohoaScanSource   source,
            GError          **error)
{
  const SANE_Option_Descriptor *option;
  const char *name = NULL;
  SANE_Int index;

  option = find_option (handle, SANE_NAME_SCAN_SOURCE, &index);
  if (!is_settable (option))
    {
      /* A scanner with one source.  Without a feeder to run empty, a
       * flatbed would be scanned again and again. */
      if (source == SOHOA_SCAN_SOURCE_FLATBED)
        return TRUE;
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED, _("This scanner has no document feeder."));
      return FALSE;
    }

  if (!(name = pick_source (option, source)) && source == SOHOA_SCAN_SOURCE_DUPLEX)
    {
      if (!(name = pick_source (option, SOHOA_SCAN_SOURCE_FEEDER)))
        {
          g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED, _("This scanner has no document feeder."));
          return FALSE;
        }
      return set_string_option (handle, index, option, name, source, error) &&
             set_separate_duplex (handle, error);
    }
  if (name == NULL)
    {
      if (source == SOHOA_SCAN_SOURCE_FLATBED)
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                             _("This scanner has no flatbed; choose the document feeder."));
      else
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED, _("This scanner has no document feeder."));
      return FALSE;
    }
  return set_string_option (handle, index, option, name, source, error);
}

static gboolean
set_mode (SANE_Handle       handle,
          SohoaScanMode     mode,
          SohoaScanSource   source,
          GError          **error)
{
  static const char * const color_words[] = { "color", "colour", NULL };
  static const char * const gray_words[] = { "gray", "grey", NULL };
  static const char * const bilevel_words[] = { "lineart", "line art", "halftone", "dither", "binary", "black", NULL };
  const char * const *words = mode == SOHOA_SCAN_MODE_GRAY ? gray_words : color_words;
  const SANE_Option_Descriptor *option;
  const char *best = NULL;
  SANE_Int index;

  option = find_option (handle, SANE_NAME_SCAN_MODE, &index);
  if (!is_settable (option) || option->type != SANE_TYPE_STRING ||
      option->constraint_type != SANE_CONSTRAINT_STRING_LIST)
    return TRUE;

  /* "Color" itself, else the first colour mode that is not bi-level. */
  for (const SANE_String_Const *name = option->constraint.string_list; *name; name++)
    {
      g_autofree char *folded = g_ascii_strdown (*name, -1);

      if (g_str_equal (folded, words[0]) || g_str_equal (folded, words[1]))
        {
          best = *name;
          break;
        }
      if (best == NULL && contains_any (folded, words) && !contains_any (folded, bilevel_words))
        best = *name;
    }

  if (best == NULL)
    {
      if (mode == SOHOA_SCAN_MODE_GRAY)
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                             _("This scanner cannot scan in shades of gray."));
      else
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED, _("This scanner cannot scan in color."));
      return FALSE;
    }
  return set_string_option (handle, index, option, best, source, error);
}

/* 8 bits per sample when the scanner offers a choice: 16 would only be
 * thrown away, 1 is not an archival scan. */
static void
set_depth (SANE_Handle handle)
{
  const SANE_Option_Descriptor *option;
  SANE_Int index;
  SANE_Word eight = 8;
  gboolean offered = FALSE;

  option = find_option (handle, SANE_NAME_BIT_DEPTH, &index);
  if (!is_settable (option) || option->type != SANE_TYPE_INT || option->size != sizeof (SANE_Word))
    return;

  if (option->constraint_type == SANE_CONSTRAINT_WORD_LIST)
    {
      for (SANE_Int i = 1; i <= option->constraint.word_list[0]; i++)
        offered |= option->constraint.word_list[i] == 8;
    }
  else if (option->constraint_type == SANE_CONSTRAINT_RANGE)
    offered = option->constraint.range->min <= 8 && option->constraint.range->max >= 8;
  else
    offered = TRUE;

  if (offered)
    sane_control_option (handle, index, SANE_ACTION_SET_VALUE, &eight, NULL);
}

static double
word_to_double (const SANE_Option_Descriptor *option,
                SANE_Word                     word)
{
  return option->type == SANE_TYPE_FIXED ? SANE_UNFIX (word) : (double) word;
}

static SANE_Word
round_to_word (double value)
{
  value = CLAMP (value, (double) G_MININT32, (double) G_MAXINT32);
  return (SANE_Word) (value < 0 ? value - 0.5 : value + 0.5);
}

static SANE_Word
double_to_word (const SANE_Option_Descriptor *option,
                double                        value)
{
  return round_to_word (option->type == SANE_TYPE_FIXED ? value * (1 << SANE_FIXED_SCALE_SHIFT) : value);
}

/* The lowest resolution the scanner offers at or above @wanted, else its
 * highest. */
static double
pick_resolution (const SANE_Option_Descriptor *option,
                 double                        wanted)
{
  if (option->constraint_type == SANE_CONSTRAINT_RANGE)
    {
      double min = word_to_double (option, option->constraint.range->min);
      double max = word_to_double (option, option->constraint.range->max);
      double quant = word_to_double (option, option->constraint.range->quant);
      double value = CLAMP (wanted, min, max);

      if (quant > 0)
        {
          double steps = (value - min) / quant;
          gint64 whole = (gint64) steps;

          if (steps - whole > 1e-9)
            whole++;
          value = min + whole * quant;
          if (value > max)
            value -= quant;
        }
      return value;
    }

  if (option->constraint_type == SANE_CONSTRAINT_WORD_LIST)
    {
      double best = 0, highest = 0;

      for (SANE_Int i = 1; i <= option->constraint.word_list[0]; i++)
        {
          double value = word_to_double (option, option->constraint.word_list[i]);

          highest = MAX (highest, value);
          if (value >= wanted && (best == 0 || value < best))
            best = value;
        }
      return best > 0 ? best : highest;
    }

  return wanted;
}

static const SANE_Option_Descriptor *
find_resolution (SANE_Handle   handle,
                 SANE_Int     *index,
                 GError      **error)
{
  const SANE_Option_Descriptor *option = find_option (handle, SANE_NAME_SCAN_RESOLUTION, index);

  if (option == NULL || !SANE_OPTION_IS_ACTIVE (option->cap) ||
      (option->type != SANE_TYPE_INT && option->type != SANE_TYPE_FIXED) ||
      option->size != sizeof (SANE_Word))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                           _("The scanner does not report its resolution."));
      return NULL;
    }
  return option;
}

/* What the scanner will really scan at, which the archive needs to know. */
static gboolean
get_resolution (SANE_Handle       handle,
                SohoaScanSource   source,
                guint            *dpi,
                GError          **error)
{
  const SANE_Option_Descriptor *option;
  SANE_Int index;
  SANE_Word word;

  if (!(option = find_resolution (handle, &index, error)) ||
      !control_option (handle, index, SANE_ACTION_GET_VALUE, &word, source, error))
    return FALSE;

  *dpi = (guint) MAX (round_to_word (word_to_double (option, word)), 0);
  if (*dpi < SOHOA_SCAN_MIN_RESOLUTION)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                   _("This scanner cannot scan at %u dpi or more."), SOHOA_SCAN_MIN_RESOLUTION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_resolution (SANE_Handle       handle,
                guint             wanted,
                SohoaScanSource   source,
                GError          **error)
{
  const SANE_Option_Descriptor *option;
  SANE_Int index;
  SANE_Word word;

  if (!(option = find_resolution (handle, &index, error)))
    return FALSE;
  if (!SANE_OPTION_IS_SETTABLE (option->cap))
    return TRUE;

  word = double_to_word (option, pick_resolution (option, wanted));
  return control_option (handle, index, SANE_ACTION_SET_VALUE, &word, source, error);
}

static gboolean
parse_bool (const char *text,
            SANE_Bool  *value)
{
  static const char * const yes[] = { "yes", "true", "on", "1" };
  static const char * const no[] = { "no", "false", "off", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0)
        return (*value = SANE_TRUE), TRUE;
      if (g_ascii_strcasecmp (text, no[i]) == 0)
        return (*value = SANE_FALSE), TRUE;
    }
  return FALSE;
}

/* Sets one "name=value" backend option, for settings Sohoa has no words
 * for (automatic page length, deskew in the scanner, a test pattern). */
static gboolean
set_backend_option (SANE_Handle       handle,
                    const char       *assignment,
                    SohoaScanSource   source,
                    GError          **error)
{
  g_auto(GStrv) pair = g_strsplit (assignment, "=", 2);
  const SANE_Option_Descriptor *option;
  SANE_Int index;

  if (g_strv_length (pair) != 2 || *pair[0] == '\0')
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID, _("“%s” is not NAME=VALUE."), assignment);
      return FALSE;
    }
  if (!(option = find_option (handle, pair[0], &index)))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID, _("The scanner has no setting “%s”."), pair[0]);
      return FALSE;
    }
  if (!is_settable (option))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("The scanner setting “%s” cannot be changed now."), pair[0]);
      return FALSE;
    }

  switch (option->type)
    {
    case SANE_TYPE_BOOL:
      {
        SANE_Bool value;

        if (!parse_bool (pair[1], &value))
          break;
        return control_option (handle, index, SANE_ACTION_SET_VALUE, &value, source, error);
      }
    case SANE_TYPE_INT:
    case SANE_TYPE_FIXED:
      {
        char *end = NULL;
        double number = g_ascii_strtod (pair[1], &end);
        SANE_Word word;

        if (option->size != sizeof (SANE_Word) || end == pair[1] || *end != '\0' || !isfinite (number))
          break;
        word = double_to_word (option, number);
        return control_option (handle, index, SANE_ACTION_SET_VALUE, &word, source, error);
      }
    case SANE_TYPE_STRING:
      {
        const char *value = pair[1];

        /* Take the backend's own spelling of a listed value. */
        if (option->constraint_type == SANE_CONSTRAINT_STRING_LIST)
          {
            value = NULL;
            for (const SANE_String_Const *name = option->constraint.string_list; *name && !value; name++)
              if (g_ascii_strcasecmp (*name, pair[1]) == 0)
                value = *name;
            if (value == NULL)
              break;
          }
        if (strlen (value) >= (gsize) option->size)
          break;
        return set_string_option (handle, index, option, value, source, error);
      }
    case SANE_TYPE_BUTTON:
      return control_option (handle, index, SANE_ACTION_SET_VALUE, NULL, source, error);
    case SANE_TYPE_GROUP:
    default:
      break;
    }

  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
               _("“%s” is not a valid value for the scanner setting “%s”."), pair[1], pair[0]);
  return FALSE;
}

/* Source first: it changes what the other options offer. */
static gboolean
configure_device (SANE_Handle    handle,
                  ScanJob       *job,
                  guint         *dpi,
                  GError       **error)
{
  if (!set_source (handle, job->source, error) ||
      !set_mode (handle, job->mode, job->source, error))
    return FALSE;
  set_depth (handle);
  if (!set_resolution (handle, job->resolution, job->source, error))
    return FALSE;

  for (guint i = 0; job->backend_options && job->backend_options[i]; i++)
    if (!set_backend_option (handle, job->backend_options[i], job->source, error))
      return FALSE;

  /* Read last: a backend option may have changed it. */
  return get_resolution (handle, job->source, dpi, error);
}

static guint8
get_sample (const guint8 *row,
            guint         index,
            int           depth)
{
  guint16 wide;

  switch (depth)
    {
    case 1:
      return (row[index / 8] >> (7 - index % 8)) & 1 ? 255 : 0;
    case 8:
      return row[index];
    default:
      /* SANE sends 16-bit samples in the machine's byte order. */
      memcpy (&wide, row + 2 * (gsize) index, sizeof wide);
      return wide >> 8;
    }
}

static gboolean
check_frame (const SANE_Parameters  *params,
             GBytes                 *data,
             guint                  *n_lines,
             GError                **error)
{
  int channels = params->format == SANE_FRAME_RGB ? 3 : 1;
  gsize line_bytes;

  if ((params->depth != 1 && params->depth != 8 && params->depth != 16) ||
      params->format > SANE_FRAME_BLUE || params->pixels_per_line <= 0 ||
      params->bytes_per_line <= 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                           _("The scanner sent an image Sohoa cannot read."));
      return FALSE;
    }
  line_bytes = ((gsize) params->pixels_per_line * params->depth * channels + 7) / 8;
  if ((gsize) params->bytes_per_line < line_bytes)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                           _("The scanner sent an image Sohoa cannot read."));
      return FALSE;
    }

  /* Hand scanners do not know the height in advance (lines is -1), and
   * a backend may stop short: the data decides. */
  *n_lines = (guint) (g_bytes_get_size (data) / (gsize) params->bytes_per_line);
  if (params->lines > 0)
    *n_lines = MIN (*n_lines, (guint) params->lines);
  if (*n_lines == 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCANNER, _("The scanner sent an empty page."));
      return FALSE;
    }
  if (params->pixels_per_line > MAX_SIDE || *n_lines > MAX_SIDE)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_TOO_LARGE, _("The scanned page is too large."));
      return FALSE;
    }
  return TRUE;
}

/* Turns the frames of one image (one grey or RGB frame, or the red, green
 * and blue frames of a three-pass scanner) into a PIX: 1 bpp for line art,
 * 8 bpp for grey, 32 bpp with three samples for colour. */
static PIX *
frames_to_pix (const SANE_Parameters  *params,
               GBytes * const         *frames,
               guint                   n_frames,
               guint                   dpi,
               GError                **error)
{
  g_autoptr(PIX) pix = NULL;
  guint width = (guint) params[0].pixels_per_line;
  guint height = G_MAXUINT;
  gboolean separate = params[0].format >= SANE_FRAME_RED;
  l_uint32 *pixels;
  l_int32 wpl;

  if ((n_frames != 1 || separate) && !(n_frames == 3 && separate))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                           _("The scanner sent an image Sohoa cannot read."));
      return NULL;
    }
  for (guint i = 0; i < n_frames; i++)
    {
      guint lines;

      if (!check_frame (&params[i], frames[i], &lines, error))
        return NULL;
      if ((guint) params[i].pixels_per_line != width || (separate && params[i].format < SANE_FRAME_RED))
        {
          g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                               _("The scanner sent an image Sohoa cannot read."));
          return NULL;
        }
      height = MIN (height, lines);
    }

  if (!separate && params[0].format == SANE_FRAME_GRAY)
    pix = pixCreate ((l_int32) width, (l_int32) height, params[0].depth == 1 ? 1 : 8);
  else
    pix = pixCreate ((l_int32) width, (l_int32) height, 32);
  if (pix == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCANNER,
                           _("The computer ran out of memory while scanning."));
      return NULL;
    }
  pixels = pixGetData (pix);
  wpl = pixGetWpl (pix);

  for (guint i = 0; i < n_frames; i++)
    {
      const guint8 *data = g_bytes_get_data (frames[i], NULL);
      const SANE_Parameters *p = &params[i];
      int shift = p->format == SANE_FRAME_RED ? L_RED_SHIFT :
                  p->format == SANE_FRAME_GREEN ? L_GREEN_SHIFT : L_BLUE_SHIFT;

      for (guint y = 0; y < height; y++)
        {
          const guint8 *row = data + (gsize) y * (gsize) p->bytes_per_line;
          l_uint32 *line = pixels + (gsize) y * (gsize) wpl;

          for (guint x = 0; x < width; x++)
            {
              if (p->format == SANE_FRAME_RGB)
                {
                  l_uint32 value;

                  composeRGBPixel (get_sample (row, 3 * x, p->depth), get_sample (row, 3 * x + 1, p->depth),
                                   get_sample (row, 3 * x + 2, p->depth), &value);
                  line[x] = value;
                }
              else if (separate)
                line[x] |= (l_uint32) get_sample (row, x, p->depth) << shift;
              else if (p->depth == 1)
                {
                  /* SANE and Leptonica agree: a set bit is black. */
                  if (get_sample (row, x, 1))
                    SET_DATA_BIT (line, x);
                }
              else
                SET_DATA_BYTE (line, x, get_sample (row, x, p->depth));
            }
        }
    }

  if (pixGetDepth (pix) == 32)
    pixSetSpp (pix, 3);
  pixSetResolution (pix, (l_int32) dpi, (l_int32) dpi);
  return g_steal_pointer (&pix);
}

/* Reads one image, which a three-pass scanner sends as three frames. */
static PIX *
read_image (SANE_Handle    handle,
            ScanJob       *job,
            guint          dpi,
            GError       **error)
{
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GArray) params = g_array_new (FALSE, TRUE, sizeof (SANE_Parameters));
  g_autofree guint8 *buffer = g_malloc (READ_CHUNK);

  for (;;)
    {
      g_autoptr(GByteArray) data = NULL;
      SANE_Parameters p = { 0 };
      SANE_Status status;
      guint64 expected;

      if (frames->len > 0 && (status = sane_start (handle)) != SANE_STATUS_GOOD)
        {
          _sohoa_scanner_set_error_from_status (error, status, job->source);
          return NULL;
        }
      if ((status = sane_get_parameters (handle, &p)) != SANE_STATUS_GOOD)
        {
          _sohoa_scanner_set_error_from_status (error, status, job->source);
          return NULL;
        }
      if (p.bytes_per_line <= 0 || p.pixels_per_line <= 0)
        {
          g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                               _("The scanner sent an image Sohoa cannot read."));
          return NULL;
        }
      /* The height is a promise at best (hand scanners send -1). */
      expected = p.lines > 0 ? (guint64) p.lines * (guint64) p.bytes_per_line : 0;
      data = g_byte_array_sized_new ((guint) MIN (expected, MAX_PREALLOCATION));

      for (;;)
        {
          SANE_Int length = 0;

          if (is_cancelled (job, error))
            return NULL;
          status = sane_read (handle, buffer, READ_CHUNK, &length);
          if (status == SANE_STATUS_EOF)
            break;
          if (status != SANE_STATUS_GOOD)
            {
              _sohoa_scanner_set_error_from_status (error, status, job->source);
              return NULL;
            }
          if (length <= 0)
            {
              g_usleep (1000);
              continue;
            }
          g_byte_array_append (data, buffer, (guint) length);
          if ((guint64) data->len / (guint64) p.bytes_per_line * (guint64) p.pixels_per_line > MAX_PIXELS)
            {
              g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_TOO_LARGE, _("The scanned page is too large."));
              return NULL;
            }
        }

      g_ptr_array_add (frames, g_byte_array_free_to_bytes (g_steal_pointer (&data)));
      g_array_append_val (params, p);
      if (p.last_frame || frames->len == 3)
        break;
    }

  return frames_to_pix ((const SANE_Parameters *) (gpointer) params->data, (GBytes * const *) frames->pdata,
                        frames->len, dpi, error);
}

static gboolean
write_page (PIX         *pix,
            const char  *path,
            const char  *comment,
            GError     **error)
{
  guint8 *data = NULL;
  size_t size = 0;
  gboolean ok;

  /* The comment records where the page came from; it also keeps two
   * scans of one blank sheet from having the same content hash. */
  pixSetText (pix, comment);
  if (pixWriteMemPng (&data, &size, pix, 0) != 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCANNER, _("The scanned page could not be saved."));
      return FALSE;
    }
  ok = g_file_set_contents_full (path, (const char *) data, size, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  lept_free (data);
  return ok;
}

static void
run_scan (Worker      *worker,
          ScanJob     *job,
          SANE_Status  init_status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  SANE_Handle handle = NULL;
  SANE_Status status;
  guint n_pages = 0;
  guint dpi = 0;
  Event *event;

  if (is_cancelled (job, &error))
    goto out;
  if (init_status != SANE_STATUS_GOOD)
    {
      g_set_error (&error, SOHOA_ERROR, SOHOA_ERROR_SCANNER,
                   _("Scanning is not available on this computer: %s"), sane_strstatus (init_status));
      goto out;
    }
  if (!(device = choose_device (job->device, &error)))
    goto out;

  g_debug ("Scan job %u: opening %s", job->id, device);
  if ((status = sane_open (device, &handle)) != SANE_STATUS_GOOD)
    {
      handle = NULL;
      if (status == SANE_STATUS_INVAL)
        g_set_error (&error, SOHOA_ERROR, SOHOA_ERROR_NO_SCANNER,
                     _("The scanner “%s” was not found. Check that it is connected and switched on."), device);
      else
        _sohoa_scanner_set_error_from_status (&error, status, job->source);
      goto out;
    }
  if (!configure_device (handle, job, &dpi, &error))
    goto out;
  if (g_mkdir_with_parents (job->out_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The folder “%s” could not be created: %s"), job->out_dir, g_strerror (saved_errno));
      goto out;
    }

  while (job->max_pages == 0 || n_pages < job->max_pages)
    {
      g_autoptr(PIX) pix = NULL;
      g_autoptr(GDateTime) now = NULL;
      g_autofree char *stamp = NULL;
      g_autofree char *comment = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (is_cancelled (job, &error))
        break;
      status = sane_start (handle);
      if (status != SANE_STATUS_GOOD)
        {
          _sohoa_scanner_set_error_from_status (&error, status, job->source);
          break;
        }
      if (!(pix = read_image (handle, job, dpi, &error)))
        break;

      now = g_date_time_new_now_utc ();
      stamp = g_date_time_format_iso8601 (now);
      comment = g_strdup_printf ("Scanned by Sohoa %s from %s, page %u, %u dpi, %s",
                                 PACKAGE_VERSION, device, n_pages + 1, dpi, stamp);
      name = g_strdup_printf ("scan-%u-%04u.png", job->id, n_pages + 1);
      path = g_build_filename (job->out_dir, name, NULL);
      if (!write_page (pix, path, comment, &error))
        break;

      n_pages++;
      g_debug ("Scan job %u: page %u done", job->id, n_pages);
      event = event_new (EVENT_PAGE, job->id);
      event->page = n_pages;
      event->path = g_steal_pointer (&path);
      post_event (worker, event);
    }

  /* An empty feeder after the first page is how a batch ends. */
  if (n_pages > 0 && job->source != SOHOA_SCAN_SOURCE_FLATBED &&
      g_error_matches (error, SOHOA_ERROR, SOHOA_ERROR_FEEDER_EMPTY))
    g_clear_error (&error);

out:
  if (handle)
    {
      sane_cancel (handle);
      sane_close (handle);
    }
  if (error)
    g_debug ("Scan job %u ended after %u pages: %s", job->id, n_pages, error->message);

  event = event_new (EVENT_FINISHED, job->id);
  event->page = n_pages;
  event->error = g_steal_pointer (&error);
  post_event (worker, event);
}

static void
list_devices (Worker      *worker,
              GTask       *task,
              SANE_Status  init_status)
{
  const SANE_Device **devices = NULL;
  SANE_Status status = init_status;
  Event *event = event_new (EVENT_DEVICES, 0);

  event->task = task;
  if (status == SANE_STATUS_GOOD)
    status = sane_get_devices (&devices, SANE_FALSE);

  if (status != SANE_STATUS_GOOD)
    g_set_error (&event->error, SOHOA_ERROR, SOHOA_ERROR_SCANNER,
                 _("Scanning is not available on this computer: %s"), sane_strstatus (status));
  else
    {
      event->devices = g_list_store_new (SOHOA_TYPE_SCAN_DEVICE);
      for (guint i = 0; devices && devices[i]; i++)
        {
          g_autoptr(SohoaScanDevice) device = sohoa_scan_device_new (devices[i]->name, devices[i]->vendor,
                                                                     devices[i]->model, devices[i]->type);
          g_list_store_append (event->devices, device);
        }
    }
  post_event (worker, event);
}

static gpointer
scanner_thread (gpointer data)
{
  Worker *worker = data;
  SANE_Int version = 0;
  SANE_Status init_status;
  gboolean running = TRUE;
  Command *command;

  G_LOCK (libsane);
  init_status = sane_init (&version, NULL);
  if (init_status != SANE_STATUS_GOOD)
    g_warning ("sane_init failed: %s", sane_strstatus (init_status));
  else
    g_debug ("SANE %d.%d.%d", SANE_VERSION_MAJOR (version), SANE_VERSION_MINOR (version),
             SANE_VERSION_BUILD (version));

  while (running)
    {
      command = g_async_queue_pop (worker->commands);
      switch (command->kind)
        {
        case COMMAND_LIST_DEVICES:
          list_devices (worker, g_steal_pointer (&command->task), init_status);
          break;
        case COMMAND_SCAN:
          run_scan (worker, command->job, init_status);
          break;
        case COMMAND_QUIT:
        default:
          running = FALSE;
          break;
        }
      command_free (command);
    }

  /* Answer what is left, so no caller waits forever. */
  while ((command = g_async_queue_try_pop (worker->commands)))
    {
      if (command->kind == COMMAND_LIST_DEVICES)
        {
          Event *event = event_new (EVENT_DEVICES, 0);

          event->task = g_steal_pointer (&command->task);
          g_set_error_literal (&event->error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Scanning was cancelled."));
          post_event (worker, event);
        }
      command_free (command);
    }

  if (init_status == SANE_STATUS_GOOD)
    sane_exit ();
  G_UNLOCK (libsane);

  worker_unref (worker);
  return NULL;
}

/* GObject -------------------------------------------------------------- */

static void
sohoa_scanner_dispose (GObject *object)
{
  SohoaScanner *self = (SohoaScanner *) object;

  if (self->thread)
    {
      if (self->job)
        g_cancellable_cancel (self->job->cancellable);
      g_async_queue_push_front (self->worker->commands, command_new (COMMAND_QUIT, NULL, NULL));
      /* The cancelled job stops at its next read, so this is short. */
      if (g_thread_self () != self->thread)
        g_thread_join (self->thread);
      else
        g_thread_unref (self->thread);
      self->thread = NULL;
    }
  g_clear_pointer (&self->job, scan_job_unref);

  G_OBJECT_CLASS (sohoa_scanner_parent_class)->dispose (object);
}

static void
sohoa_scanner_finalize (GObject *object)
{
  SohoaScanner *self = (SohoaScanner *) object;

  g_clear_pointer (&self->worker, worker_unref);

  G_OBJECT_CLASS (sohoa_scanner_parent_class)->finalize (object);
}

static void
sohoa_scanner_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SohoaScanner *self = SOHOA_SCANNER (object);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, sohoa_scanner_get_busy (self)); break;
    case PROP_JOB: g_value_set_uint (value, sohoa_scanner_get_job (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_scanner_class_init (SohoaScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sohoa_scanner_dispose;
  object_class->finalize = sohoa_scanner_finalize;
  object_class->get_property = sohoa_scanner_get_property;

  /**
   * SohoaScanner:busy:
   *
   * Whether a scan has been started and has not finished yet.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SohoaScanner:job:
   *
   * The id of the current scan, 0 when idle.
   */
  properties[PROP_JOB] =
    g_param_spec_uint ("job", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SohoaScanner::page-scanned:
   * @job_id: the scan
   * @page_number: counting from 1
   * @png_path: the page, a PNG with its resolution recorded, in the
   *   folder given to sohoa_scanner_scan(); the caller takes it over
   *
   * Emitted as each page arrives, in order, before #SohoaScanner::finished.
   */
  signals[PAGE_SCANNED] =
    g_signal_new ("page-scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
  /**
   * SohoaScanner::finished:
   * @job_id: the scan
   * @error: (nullable): why it stopped early, translated; %G_IO_ERROR_CANCELLED
   *   after sohoa_scanner_cancel()
   * @n_pages: how many pages were signalled
   *
   * Emitted once per scan, unless a newer scan replaced it.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_ERROR, G_TYPE_UINT);
}

static void
sohoa_scanner_init (SohoaScanner *self)
{
  self->worker = g_atomic_rc_box_new0 (Worker);
  self->worker->commands = g_async_queue_new_full ((GDestroyNotify) command_free);
  self->worker->events = g_async_queue_new_full (event_free);
  self->worker->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&self->worker->scanner, self);

  self->thread = g_thread_new ("sohoa-scanner", scanner_thread, worker_ref (self->worker));
}

/* Public API ----------------------------------------------------------- */

/**
 * sohoa_scanner_new:
 *
 * Creates a scanner whose signals and callbacks run on the caller's
 * thread-default main context.
 */
SohoaScanner *
sohoa_scanner_new (void)
{
  return g_object_new (SOHOA_TYPE_SCANNER, NULL);
}

/**
 * sohoa_scanner_list_devices_async:
 *
 * Lists the scanners SANE finds, local and on the network; that can take a
 * few seconds.  Waits for a running scan to finish first.
 */
void
sohoa_scanner_list_devices_async (SohoaScanner        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SOHOA_IS_SCANNER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sohoa_scanner_list_devices_async);
  g_async_queue_push (self->worker->commands, command_new (COMMAND_LIST_DEVICES, task, NULL));
}

/**
 * sohoa_scanner_list_devices_finish:
 *
 * Returns: (transfer full): a #GListModel of #SohoaScanDevice, empty when
 *   no scanner is connected
 */
GListModel *
sohoa_scanner_list_devices_finish (SohoaScanner  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (SOHOA_IS_SCANNER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sohoa_scanner_scan:
 * @options: (nullable): what to scan; %NULL for the defaults
 * @out_dir: a folder the caller owns, where the pages are written
 *
 * Starts scanning.  Pages arrive through #SohoaScanner::page-scanned, then
 * #SohoaScanner::finished says how it ended.  A scan still running is
 * cancelled and its events are dropped.
 *
 * Returns: the id of the new scan, never 0
 */
guint
sohoa_scanner_scan (SohoaScanner           *self,
                    const SohoaScanOptions *options,
                    const char             *out_dir)
{
  SohoaScanOptions defaults = { 0 };
  gboolean was_busy;
  ScanJob *job;

  g_return_val_if_fail (SOHOA_IS_SCANNER (self), 0);
  g_return_val_if_fail (out_dir != NULL, 0);
  g_return_val_if_fail (!options || options->source <= SOHOA_SCAN_SOURCE_DUPLEX, 0);
  g_return_val_if_fail (!options || options->mode <= SOHOA_SCAN_MODE_GRAY, 0);

  was_busy = self->job != NULL;
  if (self->job)
    {
      g_debug ("Scan job %u replaced", self->job->id);
      g_cancellable_cancel (self->job->cancellable);
      g_clear_pointer (&self->job, scan_job_unref);
    }

  if (++self->next_job_id == 0)
    self->next_job_id = 1;
  job = scan_job_new (self->next_job_id, options ? options : &defaults, out_dir);
  self->job = g_atomic_rc_box_acquire (job);
  self->n_pages = 0;
  self->cancelled = FALSE;
  g_async_queue_push (self->worker->commands, command_new (COMMAND_SCAN, NULL, job));

  if (!was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
  return self->next_job_id;
}

/**
 * sohoa_scanner_cancel:
 * @job_id: a scan, as sohoa_scanner_scan() returned it
 *
 * Stops the scan at the next block of data.  No more pages of it are
 * signalled after this returns; #SohoaScanner::finished follows with
 * %G_IO_ERROR_CANCELLED.  Does nothing for a scan that already finished.
 */
void
sohoa_scanner_cancel (SohoaScanner *self,
                      guint         job_id)
{
  g_return_if_fail (SOHOA_IS_SCANNER (self));

  if (self->job == NULL || self->job->id != job_id || self->cancelled)
    return;
  self->cancelled = TRUE;
  g_cancellable_cancel (self->job->cancellable);
}

guint
sohoa_scanner_get_job (SohoaScanner *self)
{
  g_return_val_if_fail (SOHOA_IS_SCANNER (self), 0);
  return self->job ? self->job->id : 0;
}

gboolean
sohoa_scanner_get_busy (SohoaScanner *self)
{
  g_return_val_if_fail (SOHOA_IS_SCANNER (self), FALSE);
  return self->job != NULL;
}

gboolean
sohoa_scan_source_from_string (const char      *str,
                               SohoaScanSource *source)
{
  g_return_val_if_fail (str != NULL, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (source_names); i++)
    if (g_ascii_strcasecmp (str, source_names[i]) == 0)
      {
        *source = (SohoaScanSource) i;
        return TRUE;
      }
  return FALSE;
}

const char *
sohoa_scan_source_to_string (SohoaScanSource source)
{
  g_return_val_if_fail (source <= SOHOA_SCAN_SOURCE_DUPLEX, NULL);
  return source_names[source];
}
