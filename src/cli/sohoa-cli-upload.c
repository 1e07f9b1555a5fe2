/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "sohoa-cli-private.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Helpers ----------------------------------------------------------------- */

static gboolean
parse_id (const char  *text,
          gint64      *id)
{
  return text && g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL);
}

static char *
format_size (guint64 size)
{
  return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
}

/* Uploading --------------------------------------------------------------- */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
  char         *last_message;
} Wait;

static void
upload_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* On a terminal one line that updates; in a log one line per step. */
static void
progress_cb (SohoaJob   *job,
             GParamSpec *pspec,
             gpointer    user_data)
{
  Wait *wait = user_data;
  const char *message = sohoa_job_get_message (job);

  if (message == NULL)
    return;
  if (isatty (STDERR_FILENO))
    g_printerr ("\r\033[K%s (%.0f%%)", message, sohoa_job_get_fraction (job) * 100);
  else if (g_strcmp0 (wait->last_message, message) != 0)
    {
      g_printerr ("%s (%.0f%%)\n", message, sohoa_job_get_fraction (job) * 100);
      g_free (wait->last_message);
      wait->last_message = g_strdup (message);
    }
}

static gboolean
interrupt_cb (gpointer user_data)
{
  sohoa_job_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
upload_one (SohoaUploader  *uploader,
            gint64          package_id,
            GError        **error)
{
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  guint sigint, sigterm;

  g_signal_connect (job, "notify::message", G_CALLBACK (progress_cb), &wait);
  g_signal_connect (job, "notify::fraction", G_CALLBACK (progress_cb), &wait);
  sigint = g_unix_signal_add (SIGINT, interrupt_cb, job);
  sigterm = g_unix_signal_add (SIGTERM, interrupt_cb, job);

  sohoa_uploader_upload_async (uploader, package_id, job, upload_done_cb, &wait);
  g_main_loop_run (wait.loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (job, &wait);
  if (isatty (STDERR_FILENO))
    g_printerr ("\r\033[K");
  g_main_loop_unref (wait.loop);
  g_free (wait.last_message);
  result = wait.result;
  return sohoa_uploader_upload_finish (uploader, result, error);
}

int
sohoa_cli_upload (Cli   *cli,
                  int    argc,
                  char **argv)
{
  SohoaContext *context = cli->context;
  g_autofree char *package_text = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *bucket = NULL;
  g_autofree char *region = NULL;
  g_autoptr(SohoaUploadConfig) config = sohoa_upload_config_new_from_env ();
  g_autoptr(SohoaUploader) uploader = NULL;
  g_autoptr(GOptionContext) options = g_option_context_new ("upload");
  g_autoptr(GArray) ids = NULL;
  SohoaStore *store = sohoa_context_get_store (context);
  gboolean all = FALSE;
  gint part_size_mib = 0;
  guint n_failed = 0, n_sent = 0;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "package", 0, 0, G_OPTION_ARG_STRING, &package_text, N_("Send this package (see “sohoa-cli outbox”)"), "ID" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Send every package not yet sent"), NULL },
    { "endpoint", 0, 0, G_OPTION_ARG_STRING, &endpoint, N_("The storage server (default $SOHOA_S3_ENDPOINT)"), "URL" },
    { "bucket", 0, 0, G_OPTION_ARG_STRING, &bucket, N_("The bucket (default $SOHOA_S3_BUCKET)"), "NAME" },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region, N_("The region (default $SOHOA_S3_REGION or us-east-1)"), "NAME" },
    { "part-size", 0, 0, G_OPTION_ARG_INT, &part_size_mib, N_("Size of the parts of large packages, in MiB"), "MIB" },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (options, _("The keys are read from SOHOA_S3_ACCESS_KEY and SOHOA_S3_SECRET_KEY."));
  if (!g_option_context_parse (options, &argc, &argv, &error))
    return sohoa_cli_fail (error);
  if ((package_text == NULL) == !all)
    return sohoa_cli_usage_error (_("upload needs either --package ID or --all."));

  if (endpoint)
    {
      g_free (config->endpoint);
      config->endpoint = g_steal_pointer (&endpoint);
    }
  if (bucket)
    {
      g_free (config->bucket);
      config->bucket = g_steal_pointer (&bucket);
    }
  if (region)
    {
      g_free (config->region);
      config->region = g_steal_pointer (&region);
    }
  if (part_size_mib > 0)
    config->part_size = (guint64) part_size_mib * 1024 * 1024;
  if (!sohoa_upload_config_check (config, &error) || !sohoa_cli_sign_in (cli, &error))
    return sohoa_cli_fail (error);

  if (all)
    {
      if (!(ids = sohoa_outbox_list_waiting (store, &error)))
        return sohoa_cli_fail (error);
    }
  else
    {
      gint64 id;

      if (!parse_id (package_text, &id))
        return sohoa_cli_usage_error (_("Give the package number with --package ID (see “sohoa-cli outbox”)."));
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (ids, id);
    }

  uploader = sohoa_uploader_new (context, config);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SohoaOutboxItem) item = NULL;

      if (!upload_one (uploader, id, &local_error))
        {
          g_printerr (_("sohoa-cli: package %lld: %s\n"), (long long) id, local_error->message);
          n_failed++;
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          continue;
        }
      if ((item = sohoa_outbox_get (store, id, NULL)))
        g_print (_("Package %lld sent to %s/%s\n"), (long long) id, config->bucket,
                 sohoa_outbox_item_get_key (item));
      n_sent++;
    }

  if (all)
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u package sent, %u failed\n",
                          "%u packages sent, %u failed\n", n_sent), n_sent, n_failed);
  return n_failed > 0 ? 1 : 0;
}

/* The outbox -------------------------------------------------------------- */

int
sohoa_cli_outbox (Cli   *cli,
                  int    argc,
                  char **argv)
{
  SohoaContext *context = cli->context;
  g_autofree char *add = NULL;
  g_autofree char *batch_text = NULL;
  g_autoptr(GOptionContext) options = g_option_context_new ("outbox");
  g_autoptr(GListModel) items = NULL;
  SohoaStore *store = sohoa_context_get_store (context);
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "add", 0, 0, G_OPTION_ARG_FILENAME, &add, N_("Put a finished package file into the outbox"), "FILE" },
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("The batch the package belongs to (with --add)"), "ID" },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    return sohoa_cli_fail (error);

  if (add)
    {
      gint64 batch_id, id;

      if (!parse_id (batch_text, &batch_id))
        return sohoa_cli_usage_error (_("outbox --add needs --batch ID (see “sohoa-cli batches”)."));
      if (!sohoa_cli_sign_in (cli, &error) ||
          !(id = sohoa_outbox_add_package (store, sohoa_context_get_user (context), batch_id, add, &error)))
        return sohoa_cli_fail (error);
      g_print (_("Package %lld is in the outbox\n"), (long long) id);
      return 0;
    }

  if (!(items = sohoa_outbox_list (store, &error)))
    return sohoa_cli_fail (error);
  /* id, state, size, parts sent, file, last error: tab-separated, for scripts. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SohoaOutboxItem) item = g_list_model_get_item (items, i);
      g_autofree char *size = format_size (sohoa_outbox_item_get_size (item));
      g_autofree char *name = g_path_get_basename (sohoa_outbox_item_get_file (item));

      g_print ("%lld\t%s\t%s\t%u\t%s\t%s\n",
               (long long) sohoa_outbox_item_get_id (item),
               sohoa_upload_state_to_string (sohoa_outbox_item_get_state (item)),
               size, sohoa_outbox_item_get_n_parts_done (item), name,
               sohoa_outbox_item_get_error (item) ? sohoa_outbox_item_get_error (item) : "");
    }
  return 0;
}
