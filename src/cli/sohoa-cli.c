/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "sohoa-cli-private.h"
#include "sohoa-core.h"
#include "sohoa-hot-folder.h"
#include "sohoa-scanner.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  const char *name;
  const char *args;
  const char *summary;
  int       (*run) (Cli *cli, int argc, char **argv);
} Command;

/* Helpers ----------------------------------------------------------------- */

int
sohoa_cli_fail (GError *error)
{
  g_printerr ("sohoa-cli: %s\n", error->message);
  g_error_free (error);
  return 1;
}

int
sohoa_cli_usage_error (const char *message)
{
  g_printerr ("sohoa-cli: %s\n", message);
  return 2;
}

static char *
read_line (const char *for_whom)
{
  char line[1024];

  if (isatty (STDIN_FILENO))
    g_printerr (_("Password for %s: "), for_whom);
  if (fgets (line, sizeof line, stdin) == NULL)
    return NULL;
  line[strcspn (line, "\r\n")] = '\0';
  return g_strdup (line);
}

static char *
read_password (const char *for_whom)
{
  const char *env = g_getenv ("SOHOA_PASSWORD");

  return env ? g_strdup (env) : read_line (for_whom);
}

gboolean
sohoa_cli_sign_in (Cli     *cli,
         GError **error)
{
  g_autofree char *password = NULL;
  g_autoptr(SohoaUser) user = NULL;

  if (cli->user_name == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("This command needs --user NAME (the password is read from SOHOA_PASSWORD or standard input)."));
      return FALSE;
    }
  if (!(password = read_password (cli->user_name)))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_AUTH, _("No password given."));
      return FALSE;
    }
  if (!(user = sohoa_store_authenticate (sohoa_context_get_store (cli->context), cli->user_name, password, error)))
    return FALSE;

  sohoa_context_set_user (cli->context, user);
  return TRUE;
}


gboolean
sohoa_cli_parse_options (const char    *command,
                       GOptionEntry  *entries,
                       int           *argc,
                       char        ***argv,
                       GError       **error)
{
  g_autofree char *parameter = g_strdup_printf ("%s", command);
  g_autoptr(GOptionContext) options = g_option_context_new (parameter);

  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (options, TRUE);
  return g_option_context_parse (options, argc, argv, error);
}

gboolean
sohoa_cli_parse_batch (const char  *text,
             gint64      *batch_id,
             GError     **error)
{
  if (text == NULL || !g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, batch_id, NULL))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Give the batch number with --batch ID (see “sohoa-cli batches”)."));
      return FALSE;
    }
  return TRUE;
}

/* Runs an asynchronous core operation to completion, printing its
 * progress, and cancelling it on Ctrl+C. */

void
sohoa_cli_wait_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SohoaCliWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
job_message_cb (SohoaJob   *job,
                GParamSpec *pspec,
                gpointer    user_data)
{
  const char *message = sohoa_job_get_message (job);

  if (message && isatty (STDERR_FILENO))
    g_printerr ("\r\033[K%s (%.0f%%)", message, sohoa_job_get_fraction (job) * 100);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  sohoa_job_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

GAsyncResult *
sohoa_cli_wait_for (SohoaJob *job,
          SohoaCliWait     *wait)
{
  guint sigint = g_unix_signal_add (SIGINT, interrupt_cb, job);
  gulong handler = g_signal_connect (job, "notify::message", G_CALLBACK (job_message_cb), NULL);

  g_main_loop_run (wait->loop);
  g_signal_handler_disconnect (job, handler);
  g_source_remove (sigint);
  if (isatty (STDERR_FILENO))
    g_printerr ("\r\033[K");
  g_main_loop_unref (wait->loop);
  return wait->result;
}

/* Commands ---------------------------------------------------------------- */

static int
cmd_init (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autofree char *ward_code = NULL;
  g_autofree char *ward_name = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *full_name = NULL;
  g_autofree char *password = NULL;
  g_autoptr(SohoaUser) user = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "ward-code", 0, 0, G_OPTION_ARG_STRING, &ward_code, N_("Five-digit code of the ward or commune"), "CODE" },
    { "ward-name", 0, 0, G_OPTION_ARG_STRING, &ward_name, N_("Name of the ward or commune"), "NAME" },
    { "admin", 0, 0, G_OPTION_ARG_STRING, &admin, N_("User name of the first administrator"), "NAME" },
    { "full-name", 0, 0, G_OPTION_ARG_STRING, &full_name, N_("Full name of the administrator"), "NAME" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("init", entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);
  if (!ward_code || !ward_name || !admin)
    return sohoa_cli_usage_error (_("init needs --ward-code, --ward-name and --admin."));
  if (!(password = read_password (admin)))
    return sohoa_cli_usage_error (_("No password given."));

  if (!(user = sohoa_store_initialize (sohoa_context_get_store (cli->context), ward_code, ward_name,
                                       admin, full_name, password, &error)))
    return sohoa_cli_fail (error);

  g_print (_("Workspace set up for %s (%s) in %s\n"), ward_name, ward_code,
           sohoa_context_get_workspace_dir (cli->context));
  return 0;
}

static int
cmd_user_add (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autofree char *role_name = NULL;
  g_autofree char *full_name = NULL;
  g_autofree char *new_password = NULL;
  g_autoptr(SohoaUser) user = NULL;
  SohoaRole role;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name, N_("operator, supervisor or admin"), "ROLE" },
    { "full-name", 0, 0, G_OPTION_ARG_STRING, &full_name, N_("Full name of the new user"), "NAME" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("user-add NAME", entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);
  if (argc != 2)
    return sohoa_cli_usage_error (_("user-add needs exactly one user name."));
  if (!role_name || !sohoa_role_from_string (role_name, &role))
    return sohoa_cli_usage_error (_("--role must be operator, supervisor or admin."));
  if (!sohoa_cli_sign_in (cli, &error))
    return sohoa_cli_fail (error);

  /* The new user's password comes from SOHOA_NEW_PASSWORD or the next line
   * of standard input. */
  new_password = g_strdup (g_getenv ("SOHOA_NEW_PASSWORD"));
  if (new_password == NULL && !(new_password = read_line (argv[1])))
    return sohoa_cli_usage_error (_("No password given."));

  if (!(user = sohoa_store_add_user (sohoa_context_get_store (cli->context), sohoa_context_get_user (cli->context),
                                     argv[1], full_name, role, new_password, &error)))
    return sohoa_cli_fail (error);

  g_print (_("User %s created (%s)\n"), sohoa_user_get_name (user), sohoa_role_get_label (role));
  return 0;
}

static int
cmd_batches (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autoptr(GListModel) batches = NULL;
  GError *error = NULL;

  if (!(batches = sohoa_store_list_batches (sohoa_context_get_store (cli->context), &error)))
    return sohoa_cli_fail (error);

  for (guint i = 0; i < g_list_model_get_n_items (batches); i++)
    {
      g_autoptr(SohoaBatch) batch = g_list_model_get_item (batches, i);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%u\t%s\n",
               sohoa_batch_get_id (batch),
               sohoa_batch_state_to_string (sohoa_batch_get_state (batch)),
               sohoa_batch_get_schema_id (batch),
               sohoa_batch_get_n_pages (batch),
               sohoa_batch_get_title (batch));
    }
  return 0;
}

static int
cmd_import (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autofree char *schema_id = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 batch_id = 0;
  GError *error = NULL;
  SohoaCliWait wait = { g_main_loop_new (NULL, FALSE), NULL };
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("Add to this batch instead of a new one"), "ID" },
    { "schema", 0, 0, G_OPTION_ARG_STRING, &schema_id, N_("Form schema of a new batch (default ho-tich.khai-sinh)"), "ID" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("import FILE…", entries, &argc, &argv, &error))
    {
      g_main_loop_unref (wait.loop);
      return sohoa_cli_fail (error);
    }
  if (argc < 2)
    {
      g_main_loop_unref (wait.loop);
      return sohoa_cli_usage_error (_("import needs at least one image file."));
    }
  if ((batch_text && !sohoa_cli_parse_batch (batch_text, &batch_id, &error)) || !sohoa_cli_sign_in (cli, &error))
    {
      g_main_loop_unref (wait.loop);
      return sohoa_cli_fail (error);
    }
  if (schema_id && !sohoa_context_lookup_schema (cli->context, schema_id))
    {
      g_main_loop_unref (wait.loop);
      return sohoa_cli_usage_error (_("There is no form schema with that id (see “sohoa-cli schemas”)."));
    }

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (argv[i]));

  sohoa_import_files_async (cli->context, batch_id, schema_id, (GFile **) files->pdata, files->len,
                            job, sohoa_cli_wait_done_cb, &wait);
  result = sohoa_cli_wait_for (job, &wait);
  if (!(report = sohoa_import_files_finish (cli->context, result, &error)))
    return sohoa_cli_fail (error);

  for (guint i = 0; i < report->errors->len; i++)
    g_printerr ("sohoa-cli: %s\n", (const char *) g_ptr_array_index (report->errors, i));
  g_print (_("Batch %lld: %u pages imported, %u already in the workspace, %u failed\n"),
           (long long) report->batch_id, report->n_imported, report->n_duplicates, report->errors->len);
  return report->errors->len > 0 ? 1 : 0;
}

static int
cmd_ocr (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autoptr(GListModel) batches = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GError *error = NULL;
  guint total = 0;
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("Only this batch (default: every open batch)"), "ID" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("ocr", entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);

  if (batch_text)
    {
      gint64 id;

      if (!sohoa_cli_parse_batch (batch_text, &id, &error))
        return sohoa_cli_fail (error);
      g_array_append_val (ids, id);
    }
  else
    {
      if (!(batches = sohoa_store_list_batches (sohoa_context_get_store (cli->context), &error)))
        return sohoa_cli_fail (error);
      for (guint i = 0; i < g_list_model_get_n_items (batches); i++)
        {
          g_autoptr(SohoaBatch) batch = g_list_model_get_item (batches, i);
          gint64 id = sohoa_batch_get_id (batch);

          if (sohoa_batch_get_state (batch) == SOHOA_BATCH_OPEN || sohoa_batch_get_state (batch) == SOHOA_BATCH_REJECTED)
            g_array_append_val (ids, id);
        }
    }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(SohoaJob) job = sohoa_job_new ();
      g_autoptr(GAsyncResult) result = NULL;
      SohoaCliWait wait = { g_main_loop_new (NULL, FALSE), NULL };
      guint n = 0;

      sohoa_ocr_batch_async (cli->context, g_array_index (ids, gint64, i), job, sohoa_cli_wait_done_cb, &wait);
      result = sohoa_cli_wait_for (job, &wait);
      if (!sohoa_ocr_batch_finish (cli->context, result, &n, &error))
        return sohoa_cli_fail (error);
      total += n;
    }

  g_print (_("%u pages recognized\n"), total);
  return 0;
}

static int
cmd_text (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autoptr(GListModel) pages = NULL;
  gint64 batch_id;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("The batch whose text to print"), "ID" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("text", entries, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (batch_text, &batch_id, &error))
    return sohoa_cli_fail (error);
  if (!(pages = sohoa_store_list_pages (sohoa_context_get_store (cli->context), batch_id, &error)))
    return sohoa_cli_fail (error);

  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      g_autofree char *text = sohoa_store_get_page_text (sohoa_context_get_store (cli->context),
                                                         sohoa_page_get_id (page), &error);
      if (text == NULL)
        return sohoa_cli_fail (error);
      g_print ("%s", text);
    }
  return 0;
}

/* The record of the @number-th document of a batch, counting from 1 in
 * page order, made if nothing was keyed yet. */
gint64
sohoa_cli_document_record (Cli          *cli,
                           SohoaBatch   *batch,
                           SohoaSchema  *schema,
                           int           number,
                           GError      **error)
{
  SohoaStore *store = sohoa_context_get_store (cli->context);
  g_autoptr(GPtrArray) documents = NULL;
  SohoaRecordReview *document;

  if (!(documents = sohoa_store_list_reviews (store, sohoa_batch_get_id (batch), error)))
    return 0;
  if (number < 1 || (guint) number > documents->len)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND,
                           _("The batch has no document with that number."));
      return 0;
    }
  document = g_ptr_array_index (documents, number - 1);
  if (document->record_id != 0)
    return document->record_id;
  return sohoa_store_ensure_record (store, document->document_id, sohoa_schema_get_id (schema),
                                    sohoa_schema_get_version (schema), error);
}

static int
cmd_set (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  SohoaStore *store = sohoa_context_get_store (cli->context);
  SohoaSchema *schema;
  gint64 batch_id;
  gint64 record_id;
  gint document = 1;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("The batch"), "ID" },
    { "document", 0, 0, G_OPTION_ARG_INT, &document, N_("The document in the batch, counting from 1"), "N" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("set KEY=VALUE…", entries, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (batch_text, &batch_id, &error) ||
      !sohoa_cli_sign_in (cli, &error))
    return sohoa_cli_fail (error);
  if (!(batch = sohoa_store_get_batch (store, batch_id, &error)))
    return sohoa_cli_fail (error);
  if (!(schema = sohoa_context_lookup_schema (cli->context, sohoa_batch_get_schema_id (batch))))
    return sohoa_cli_usage_error (_("The form schema of this batch is not installed."));
  if (!(record_id = sohoa_cli_document_record (cli, batch, schema, document, &error)))
    return sohoa_cli_fail (error);

  for (int i = 1; i < argc; i++)
    {
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);

      if (g_strv_length (pair) != 2 || !sohoa_schema_lookup_field (schema, pair[0]))
        {
          g_printerr (_("sohoa-cli: “%s” is not KEY=VALUE with a field of the form %s\n"),
                      argv[i], sohoa_schema_get_id (schema));
          return 2;
        }
      if (!sohoa_store_set_field (store, sohoa_context_get_user (cli->context), record_id, pair[0], pair[1],
                                  SOHOA_VALUE_FILLED, &error))
        return sohoa_cli_fail (error);
    }
  return 0;
}

static int
change_state (Cli   *cli,
              int    argc,
              char **argv,
              const char *command)
{
  g_autofree char *batch_text = NULL;
  g_autofree char *reason = NULL;
  SohoaStore *store = sohoa_context_get_store (cli->context);
  gint64 batch_id;
  gboolean ok;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("The batch"), "ID" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the batch is returned (reject)"), "TEXT" },
    { NULL }
  };

  if (!sohoa_cli_parse_options (command, entries, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (batch_text, &batch_id, &error) ||
      !sohoa_cli_sign_in (cli, &error))
    return sohoa_cli_fail (error);

  if (g_str_equal (command, "submit"))
    ok = sohoa_store_submit_batch (store, sohoa_context_get_user (cli->context), batch_id, &error);
  else if (g_str_equal (command, "approve"))
    ok = sohoa_store_approve_batch (store, sohoa_context_get_user (cli->context), batch_id, &error);
  else
    ok = sohoa_store_reject_batch (store, sohoa_context_get_user (cli->context), batch_id, reason, &error);

  return ok ? 0 : sohoa_cli_fail (error);
}

static int
cmd_submit (Cli *cli, int argc, char **argv)
{
  return change_state (cli, argc, argv, "submit");
}

static int
cmd_approve (Cli *cli, int argc, char **argv)
{
  return change_state (cli, argc, argv, "approve");
}

static int
cmd_reject (Cli *cli, int argc, char **argv)
{
  return change_state (cli, argc, argv, "reject");
}

/* A supervisor's look at a submitted batch, one record at a time: without
 * a verdict it lists the records and their review state. */
static int
cmd_review (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  SohoaStore *store = sohoa_context_get_store (cli->context);
  SohoaSchema *schema;
  gboolean approve = FALSE;
  gint document = 0;
  gint64 batch_id;
  gint64 record_id;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("The batch"), "ID" },
    { "document", 0, 0, G_OPTION_ARG_INT, &document, N_("The document in the batch, counting from 1"), "N" },
    { "approve", 0, 0, G_OPTION_ARG_NONE, &approve, N_("Approve the record"), NULL },
    { "return", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Return the record for correction, saying why"), "REASON" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("review", entries, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (batch_text, &batch_id, &error) ||
      !sohoa_cli_sign_in (cli, &error))
    return sohoa_cli_fail (error);
  if (!(batch = sohoa_store_get_batch (store, batch_id, &error)))
    return sohoa_cli_fail (error);

  if (document == 0 && !approve && reason == NULL)
    {
      if (!(documents = sohoa_store_list_reviews (store, batch_id, &error)))
        return sohoa_cli_fail (error);
      for (guint i = 0; i < documents->len; i++)
        {
          SohoaRecordReview *review = g_ptr_array_index (documents, i);

          g_print ("%u\t%s%s%s\n", review->position, sohoa_review_state_get_label (review->state),
                   review->reason ? "\t" : "", review->reason ? review->reason : "");
        }
      return 0;
    }
  if (document == 0 || approve == (reason != NULL))
    return sohoa_cli_usage_error (_("review needs --document N and either --approve or --return REASON."));

  if (!(schema = sohoa_context_lookup_schema (cli->context, sohoa_batch_get_schema_id (batch))))
    return sohoa_cli_usage_error (_("The form schema of this batch is not installed."));
  if (!(record_id = sohoa_cli_document_record (cli, batch, schema, document, &error)) ||
      !sohoa_store_review_record (store, sohoa_context_get_user (cli->context), record_id,
                                  approve ? SOHOA_REVIEW_APPROVED : SOHOA_REVIEW_RETURNED, reason, &error))
    return sohoa_cli_fail (error);
  return 0;
}

static int
cmd_export (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autofree char *out = NULL;
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GAsyncResult) result = NULL;
  gint64 batch_id;
  GError *error = NULL;
  SohoaCliWait wait = { NULL, NULL };
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("The approved batch to export"), "ID" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The ZIP file to write"), "FILE" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("export", entries, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (batch_text, &batch_id, &error) ||
      !sohoa_cli_sign_in (cli, &error))
    return sohoa_cli_fail (error);
  if (out == NULL)
    return sohoa_cli_usage_error (_("export needs --out FILE."));

  wait.loop = g_main_loop_new (NULL, FALSE);
  sohoa_export_batch_async (cli->context, batch_id, out, job, sohoa_cli_wait_done_cb, &wait);
  result = sohoa_cli_wait_for (job, &wait);
  if (!sohoa_export_batch_finish (cli->context, result, &error))
    return sohoa_cli_fail (error);

  g_print (_("Batch %lld exported to %s\n"), (long long) batch_id, out);
  return 0;
}

/* One line per hole or repeat in the register numbering of a batch; exit 1
 * when a number is used twice (a hole may be a page not yet scanned). */
static int
cmd_register_check (Cli   *cli,
                    int    argc,
                    char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  gint64 batch_id;
  guint n_skipped = 0;
  gboolean duplicates = FALSE;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("The batch to check"), "ID" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("register-check", entries, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (batch_text, &batch_id, &error))
    return sohoa_cli_fail (error);
  if (!(issues = sohoa_register_check_batch (sohoa_context_get_store (cli->context), batch_id, &n_skipped, &error)))
    return sohoa_cli_fail (error);

  for (guint i = 0; i < issues->len; i++)
    {
      const SohoaRegisterIssue *issue = g_ptr_array_index (issues, i);
      g_autofree char *line = sohoa_register_issue_describe (issue);

      g_print ("%s\n", line);
      duplicates |= issue->kind == SOHOA_REGISTER_DUPLICATE;
    }
  if (n_skipped > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "sohoa-cli: %u record has no registration number or date yet and was not checked\n",
                             "sohoa-cli: %u records have no registration number or date yet and were not checked\n",
                             n_skipped), n_skipped);
  return duplicates ? 1 : 0;
}

static int
cmd_schemas (Cli   *cli,
             int    argc,
             char **argv)
{
  GListModel *schemas = sohoa_context_get_schemas (cli->context);

  for (guint i = 0; i < g_list_model_get_n_items (schemas); i++)
    {
      g_autoptr(SohoaSchema) schema = g_list_model_get_item (schemas, i);

      g_print ("%s\t%u\t%u\t%s\n", sohoa_schema_get_id (schema), sohoa_schema_get_version (schema),
               sohoa_schema_get_n_fields (schema), sohoa_schema_get_title (schema));
    }
  return 0;
}

static int
cmd_audit_verify (Cli   *cli,
                  int    argc,
                  char **argv)
{
  GError *error = NULL;
  guint n = 0;

  /* Both `audit verify` and the older `audit-verify` */
  if (g_str_equal (argv[0], "audit") && (argc != 2 || !g_str_equal (argv[1], "verify")))
    return sohoa_cli_usage_error (_("Say what to do with the audit log: sohoa-cli audit verify"));

  if (!sohoa_store_verify_audit (sohoa_context_get_store (cli->context), &n, &error))
    return sohoa_cli_fail (error);
  g_print (_("Audit log intact: %u entries\n"), n);
  return 0;
}

/* Scanning: each page is imported into the batch as soon as it arrives,
 * one import at a time so the pages keep their order. */
typedef struct
{
  Cli          *cli;
  SohoaScanner *scanner;
  GMainLoop    *loop;
  GQueue        pending;      /* paths of scanned pages not yet imported */
  gboolean      importing;
  gboolean      scanning;
  guint         job;
  gint64        batch_id;
  const char   *schema_id;
  guint         n_imported;
  GError       *error;        /* the first thing that went wrong */
} Scan;

static void scan_import_next (Scan *scan);

static void
scan_keep_error (Scan   *scan,
                 GError *error)
{
  if (scan->error == NULL)
    scan->error = error;
  else
    g_error_free (error);
}

static void
scan_import_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Scan *scan = user_data;
  g_autofree char *path = g_queue_pop_head (&scan->pending);
  g_autoptr(SohoaImportReport) report = NULL;
  GError *error = NULL;

  report = sohoa_import_files_finish (SOHOA_CONTEXT (source), result, &error);
  g_unlink (path);
  scan->importing = FALSE;

  if (report && report->errors->len > 0)
    error = g_error_new_literal (SOHOA_ERROR, SOHOA_ERROR_FAILED, g_ptr_array_index (report->errors, 0));
  if (error)
    {
      /* Pages that cannot be stored are not worth scanning. */
      scan_keep_error (scan, error);
      sohoa_scanner_cancel (scan->scanner, scan->job);
      while (!g_queue_is_empty (&scan->pending))
        {
          g_autofree char *rest = g_queue_pop_head (&scan->pending);

          g_unlink (rest);
        }
    }
  else
    {
      scan->batch_id = report->batch_id;
      if (report->n_imported > 0)
        {
          scan->n_imported++;
          g_print (_("Page %u added to batch %lld\n"), scan->n_imported, (long long) scan->batch_id);
        }
      else
        g_printerr ("%s\n", _("sohoa-cli: a scanned page is already in the workspace; it was not added again"));
    }
  scan_import_next (scan);
}

static void
scan_import_next (Scan *scan)
{
  g_autoptr(GFile) file = NULL;

  if (scan->importing)
    return;
  if (g_queue_is_empty (&scan->pending))
    {
      if (!scan->scanning)
        g_main_loop_quit (scan->loop);
      return;
    }

  file = g_file_new_for_path (g_queue_peek_head (&scan->pending));
  scan->importing = TRUE;
  sohoa_import_files_async (scan->cli->context, scan->batch_id, scan->schema_id, &file, 1, NULL,
                            scan_import_done_cb, scan);
}

static void
scan_page_scanned_cb (SohoaScanner *scanner,
                      guint         job_id,
                      guint         page_number,
                      const char   *path,
                      Scan         *scan)
{
  if (isatty (STDERR_FILENO))
    g_printerr (_("Page %u scanned\n"), page_number);
  g_queue_push_tail (&scan->pending, g_strdup (path));
  scan_import_next (scan);
}

static void
scan_finished_cb (SohoaScanner *scanner,
                  guint         job_id,
                  const GError *error,
                  guint         n_pages,
                  Scan         *scan)
{
  scan->scanning = FALSE;
  if (error)
    scan_keep_error (scan, g_error_copy (error));
  scan_import_next (scan);
}

static gboolean
scan_interrupt_cb (gpointer user_data)
{
  Scan *scan = user_data;

  sohoa_scanner_cancel (scan->scanner, scan->job);
  return G_SOURCE_CONTINUE;
}

static int
scan_list_devices (SohoaScanner *scanner)
{
  g_autoptr(GListModel) devices = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  SohoaCliWait wait = { g_main_loop_new (NULL, FALSE), NULL };
  GError *error = NULL;

  sohoa_scanner_list_devices_async (scanner, NULL, sohoa_cli_wait_done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  result = wait.result;
  if (!(devices = sohoa_scanner_list_devices_finish (scanner, result, &error)))
    return sohoa_cli_fail (error);

  if (g_list_model_get_n_items (devices) == 0)
    {
      g_printerr ("sohoa-cli: %s\n", _("No scanner was found. Check that it is connected and switched on."));
      return 1;
    }
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(SohoaScanDevice) device = g_list_model_get_item (devices, i);

      g_print ("%s\t%s\t%s\t%s\n", sohoa_scan_device_get_name (device), sohoa_scan_device_get_vendor (device),
               sohoa_scan_device_get_model (device), sohoa_scan_device_get_kind (device));
    }
  return 0;
}

static int
cmd_scan (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autofree char *device = NULL;
  g_autofree char *source_name = NULL;
  g_autofree char *batch_text = NULL;
  g_autofree char *schema_id = NULL;
  g_autofree char *out_dir = NULL;
  g_auto(GStrv) backend_options = NULL;
  g_autoptr(SohoaScanner) scanner = NULL;
  SohoaScanOptions options = { 0 };
  Scan scan = { 0 };
  gboolean list = FALSE;
  gboolean gray = FALSE;
  gint resolution = SOHOA_SCAN_DEFAULT_RESOLUTION;
  gint max_pages = 0;
  GError *error = NULL;
  guint sigint;
  GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, N_("List the scanners and do nothing else"), NULL },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("The scanner to use (default: the first one found)"), "DEVICE" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source_name, N_("flatbed (default), feeder or duplex"), "SOURCE" },
    { "resolution", 0, 0, G_OPTION_ARG_INT, &resolution, N_("Dots per inch, at least 200 (default 300)"), "DPI" },
    { "gray", 0, 0, G_OPTION_ARG_NONE, &gray, N_("Scan in shades of gray instead of color"), NULL },
    { "pages", 0, 0, G_OPTION_ARG_INT, &max_pages, N_("Stop the feeder after this many pages"), "N" },
    { "option", 0, 0, G_OPTION_ARG_STRING_ARRAY, &backend_options, N_("A setting of the scanner’s driver (repeatable)"), "NAME=VALUE" },
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("Add to this batch instead of a new one"), "ID" },
    { "schema", 0, 0, G_OPTION_ARG_STRING, &schema_id, N_("Form schema of a new batch (default ho-tich.khai-sinh)"), "ID" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("scan", entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);
  if (argc > 1)
    return sohoa_cli_usage_error (_("scan takes no file names; see “sohoa-cli scan --help”."));

  if (list)
    {
      scanner = sohoa_scanner_new ();
      return scan_list_devices (scanner);
    }

  options.device = device;
  if (source_name && !sohoa_scan_source_from_string (source_name, &options.source))
    return sohoa_cli_usage_error (_("--source must be flatbed, feeder or duplex."));
  if (resolution < SOHOA_SCAN_MIN_RESOLUTION)
    return sohoa_cli_usage_error (_("--resolution must be at least 200 dpi."));
  if (max_pages < 0)
    return sohoa_cli_usage_error (_("--pages cannot be negative."));
  options.resolution = (guint) resolution;
  options.mode = gray ? SOHOA_SCAN_MODE_GRAY : SOHOA_SCAN_MODE_COLOR;
  options.max_pages = (guint) max_pages;
  options.backend_options = (const char * const *) backend_options;

  if ((batch_text && !sohoa_cli_parse_batch (batch_text, &scan.batch_id, &error)) || !sohoa_cli_sign_in (cli, &error))
    return sohoa_cli_fail (error);
  if (schema_id && !sohoa_context_lookup_schema (cli->context, schema_id))
    return sohoa_cli_usage_error (_("There is no form schema with that id (see “sohoa-cli schemas”)."));
  if (!(out_dir = g_dir_make_tmp ("sohoa-scan-XXXXXX", &error)))
    return sohoa_cli_fail (error);

  scanner = sohoa_scanner_new ();
  scan.cli = cli;
  scan.scanner = scanner;
  scan.loop = g_main_loop_new (NULL, FALSE);
  scan.schema_id = schema_id;
  scan.scanning = TRUE;
  g_queue_init (&scan.pending);
  g_signal_connect (scanner, "page-scanned", G_CALLBACK (scan_page_scanned_cb), &scan);
  g_signal_connect (scanner, "finished", G_CALLBACK (scan_finished_cb), &scan);

  sigint = g_unix_signal_add (SIGINT, scan_interrupt_cb, &scan);
  scan.job = sohoa_scanner_scan (scanner, &options, out_dir);
  g_main_loop_run (scan.loop);
  g_source_remove (sigint);
  g_main_loop_unref (scan.loop);
  g_signal_handlers_disconnect_by_data (scanner, &scan);
  g_rmdir (out_dir);

  if (scan.n_imported > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "Batch %lld: %u page scanned\n", "Batch %lld: %u pages scanned\n",
                          scan.n_imported),
             (long long) scan.batch_id, scan.n_imported);
  if (scan.error)
    return sohoa_cli_fail (scan.error);
  return 0;
}

/* Watching a hot folder: runs until Ctrl+C, saying what each file gave. */
static void
watch_imported_cb (SohoaHotFolder    *folder,
                   SohoaImportReport *report,
                   gpointer           user_data)
{
  for (guint i = 0; i < report->files->len; i++)
    {
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (report->files, i));

      if (report->n_imported > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE, "%s: %u page imported into batch %lld\n",
                              "%s: %u pages imported into batch %lld\n", report->n_imported),
                 name, report->n_imported, (long long) report->batch_id);
      else if (report->n_duplicates > 0)
        g_print (_("%s: already in the workspace\n"), name);
    }
  for (guint i = 0; i < report->errors->len; i++)
    g_printerr ("sohoa-cli: %s\n", (const char *) g_ptr_array_index (report->errors, i));
}

static void
watch_error_cb (SohoaHotFolder *folder,
                GError         *error,
                GMainLoop      *loop)
{
  g_printerr ("sohoa-cli: %s\n", error->message);
  if (!sohoa_hot_folder_get_watching (folder))
    g_main_loop_quit (loop);
}

static gboolean
watch_interrupt_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
cmd_watch (Cli   *cli,
           int    argc,
           char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autofree char *schema_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(SohoaHotFolder) folder = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  gint64 batch_id = 0;
  guint sigint, sigterm;
  gboolean lost;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("Add to this batch instead of a new one"), "ID" },
    { "schema", 0, 0, G_OPTION_ARG_STRING, &schema_id, N_("Form schema of a new batch (default ho-tich.khai-sinh)"), "ID" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("watch DIR", entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);
  if (argc != 2)
    return sohoa_cli_usage_error (_("watch needs exactly one folder."));
  if ((batch_text && !sohoa_cli_parse_batch (batch_text, &batch_id, &error)) || !sohoa_cli_sign_in (cli, &error))
    return sohoa_cli_fail (error);
  if (schema_id && !sohoa_context_lookup_schema (cli->context, schema_id))
    return sohoa_cli_usage_error (_("There is no form schema with that id (see “sohoa-cli schemas”)."));

  loop = g_main_loop_new (NULL, FALSE);
  directory = g_file_new_for_commandline_arg (argv[1]);
  folder = sohoa_hot_folder_new (cli->context, directory, batch_id);
  sohoa_hot_folder_set_schema_id (folder, schema_id);
  g_signal_connect (folder, "imported", G_CALLBACK (watch_imported_cb), NULL);
  g_signal_connect (folder, "error", G_CALLBACK (watch_error_cb), loop);
  if (!sohoa_hot_folder_start (folder, &error))
    return sohoa_cli_fail (error);

  path = g_file_get_parse_name (directory);
  g_printerr (_("Watching %s; press Ctrl+C to stop.\n"), path);
  sigint = g_unix_signal_add (SIGINT, watch_interrupt_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, watch_interrupt_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  lost = !sohoa_hot_folder_get_watching (folder);

  /* The import under way is cancelled and rolled back; files not yet
   * imported stay in the folder for next time. */
  sohoa_hot_folder_stop (folder);
  while (sohoa_hot_folder_get_busy (folder))
    g_main_context_iteration (NULL, TRUE);
  return lost ? 1 : 0;
}

static int
cmd_search (Cli *cli, int argc, char **argv)
{
  return sohoa_cli_search (cli, argc, argv);
}

/* Page adjustments (rotate, cleanup) ------------------------------------- */

/* The page numbered @number (from 1) in the batch's page order. */
static SohoaPage *
find_page (Cli         *cli,
           gint64       batch_id,
           int          number,
           GError     **error)
{
  g_autoptr(GListModel) pages = sohoa_store_list_pages (sohoa_context_get_store (cli->context), batch_id, error);

  if (pages == NULL)
    return NULL;
  if (number < 1 || (guint) number > g_list_model_get_n_items (pages))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Give the page with --page N, counting from 1 in the batch."));
      return NULL;
    }
  return g_list_model_get_item (pages, (guint) number - 1);
}

static int
cmd_rotate (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autoptr(SohoaPage) page = NULL;
  SohoaStore *store = sohoa_context_get_store (cli->context);
  gint64 batch_id;
  gint number = 0;
  gint by = 0;
  gboolean accept = FALSE;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("The batch"), "ID" },
    { "page", 0, 0, G_OPTION_ARG_INT, &number, N_("The page in the batch, counting from 1"), "N" },
    { "by", 0, 0, G_OPTION_ARG_INT, &by, N_("Degrees clockwise: 90, 180 or 270"), "DEGREES" },
    { "accept", 0, 0, G_OPTION_ARG_NONE, &accept, N_("Confirm that the page is upright as it is"), NULL },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("rotate", entries, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (batch_text, &batch_id, &error) ||
      !sohoa_cli_sign_in (cli, &error) ||
      !(page = find_page (cli, batch_id, number, &error)))
    return sohoa_cli_fail (error);

  if (accept ? !sohoa_page_adjust_accept_orientation (store, sohoa_context_get_user (cli->context),
                                                      sohoa_page_get_id (page), &error)
             : !sohoa_page_adjust_rotate (store, sohoa_context_get_user (cli->context),
                                          sohoa_page_get_id (page), by, &error))
    return sohoa_cli_fail (error);
  return 0;
}

static int
cmd_cleanup (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autofree char *batch_text = NULL;
  g_autoptr(SohoaPage) page = NULL;
  gint64 batch_id;
  gint number = 0;
  gboolean off = FALSE;
  gboolean on = FALSE;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch_text, N_("The batch"), "ID" },
    { "page", 0, 0, G_OPTION_ARG_INT, &number, N_("The page in the batch, counting from 1"), "N" },
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, N_("Read the page from its original image"), NULL },
    { "on", 0, 0, G_OPTION_ARG_NONE, &on, N_("Clean the page up before reading it (the default)"), NULL },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("cleanup", entries, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (batch_text, &batch_id, &error))
    return sohoa_cli_fail (error);
  if (on == off)
    return sohoa_cli_usage_error (_("Say --on or --off."));
  if (!sohoa_cli_sign_in (cli, &error) ||
      !(page = find_page (cli, batch_id, number, &error)) ||
      !sohoa_page_adjust_set_no_cleanup (sohoa_context_get_store (cli->context),
                                         sohoa_context_get_user (cli->context),
                                         sohoa_page_get_id (page), off, &error))
    return sohoa_cli_fail (error);
  return 0;
}

static int
cmd_key2 (Cli *cli, int argc, char **argv)
{
  return sohoa_cli_key2 (cli, argc, argv);
}

static int
cmd_arbitrate (Cli *cli, int argc, char **argv)
{
  return sohoa_cli_arbitrate (cli, argc, argv);
}

static int
cmd_mismatches (Cli *cli, int argc, char **argv)
{
  return sohoa_cli_mismatches (cli, argc, argv);
}

static int
cmd_upload (Cli *cli, int argc, char **argv)
{
  return sohoa_cli_upload (cli, argc, argv);
}

static int
cmd_outbox (Cli *cli, int argc, char **argv)
{
  return sohoa_cli_outbox (cli, argc, argv);
}

static const Command commands[] = {
  { "init", "--ward-code CODE --ward-name NAME --admin NAME", N_("Set up a new workspace"), cmd_init },
  { "user-add", "NAME --role ROLE", N_("Create a user account (administrators)"), cmd_user_add },
  { "batches", "", N_("List the batches"), cmd_batches },
  { "import", "FILE…", N_("Import page images into a batch"), cmd_import },
  { "ocr", "[--batch ID]", N_("Recognize the text of pages not yet read"), cmd_ocr },
  { "text", "--batch ID", N_("Print the recognized text of a batch"), cmd_text },
  { "set", "--batch ID [--document N] KEY=VALUE…", N_("Enter field values of a record"), cmd_set },
  { "submit", "--batch ID", N_("Submit a batch for approval"), cmd_submit },
  { "approve", "--batch ID", N_("Approve a submitted batch (supervisors)"), cmd_approve },
  { "reject", "--batch ID --reason TEXT", N_("Return a batch for correction (supervisors)"), cmd_reject },
  { "review", "--batch ID [--document N --approve|--return TEXT]", N_("Review the records of a submitted batch (supervisors)"), cmd_review },
  { "export", "--batch ID --out FILE", N_("Export an approved batch to a ZIP file"), cmd_export },
  { "package", "--batch ID --out FILE [--p12 FILE | --pkcs11 URL]", N_("Make the signed archival package of an approved batch (supervisors)"), sohoa_cli_package },
  { "schemas", "", N_("List the form schemas"), cmd_schemas },
  { "audit", "verify", N_("Check that the audit log has not been altered"), cmd_audit_verify },
  { "audit-verify", "", N_("The same as “audit verify”"), cmd_audit_verify },
  { "register-check", "--batch ID", N_("Report gaps and repeats in the register numbers"), cmd_register_check },
  { "watch", "DIR [--batch ID]", N_("Import what a scanner writes to a folder, until Ctrl+C"), cmd_watch },
  { "scan", "[--source feeder] [--batch ID] | --list", N_("Scan pages into a batch, or list the scanners"), cmd_scan },
  { "search", "QUERY…", N_("Find records by name, date or number, with or without marks"), cmd_search },
  { "rotate", "--batch ID --page N --by 90|180|270 | --accept", N_("Turn a page, or confirm it is upright"), cmd_rotate },
  { "cleanup", "--batch ID --page N --on|--off", N_("Read a page cleaned up or as captured"), cmd_cleanup },
  { "key2", "--batch ID [--document N] KEY=VALUE…", N_("Key critical fields a second time, blind"), cmd_key2 },
  { "mismatches", "--batch ID", N_("List fields whose two keyings disagree"), cmd_mismatches },
  { "arbitrate", "--batch ID [--document N] KEY=first|second|value:TEXT…", N_("Settle fields whose two keyings disagree"), cmd_arbitrate },
  { "keying-rule", "[SCHEMA on|off]", N_("Show which forms are keyed twice, or change it (supervisors)"), sohoa_cli_keying_rule },
  { "upload", "--package ID | --all", N_("Send packages from the outbox to the city’s storage"), cmd_upload },
  { "outbox", "[--add FILE --batch ID]", N_("List the packages and their upload state"), cmd_outbox },
  { "import-package", "PACKAGE --ca CA.pem", N_("Check a package and import it as a batch to review (supervisors)"), sohoa_cli_receive_package },
};

/* Stateless commands, without a workspace --------------------------------- */

static gboolean
write_text_cb (guint            index,
               SohoaOcrResult  *result,
               gpointer         user_data,
               GError         **error)
{
  GPtrArray *outputs = user_data;

  return g_file_set_contents (g_ptr_array_index (outputs, index), result->text, -1, error);
}

static int
cmd_ocr_file (int    argc,
              char **argv)
{
  g_autofree char *out_dir = NULL;
  g_autofree char *language = NULL;
  g_autoptr(GPtrArray) outputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree SohoaOcrDocument *documents = NULL;
  GError *error = NULL;
  guint n_failed = 0;
  GOptionEntry entries[] = {
    { "out-dir", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, N_("Where to write IMAGE-NAME.txt for each image"), "DIR" },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("Tesseract languages, e.g. vie+eng (default vie)"), "LANG" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("ocr-file IMAGE…", entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);
  if (out_dir == NULL || argc < 2)
    return sohoa_cli_usage_error (_("ocr-file needs --out-dir DIR and at least one image."));
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    return sohoa_cli_usage_error (_("The output folder could not be created."));

  for (int i = 1; i < argc; i++)
    {
      g_autofree char *base = g_path_get_basename (argv[i]);
      g_autofree char *name = NULL;
      char *dot = strrchr (base, '.');

      if (dot && dot != base)
        *dot = '\0';
      name = g_strdup_printf ("%s.txt", base);
      g_ptr_array_add (outputs, g_build_filename (out_dir, name, NULL));
      if (!g_hash_table_add (seen, g_ptr_array_index (outputs, outputs->len - 1)))
        {
          g_printerr (_("sohoa-cli: two images would both be written to %s\n"), name);
          return 2;
        }
    }

  /* Each image is a document of its own, without a PDF. */
  documents = g_new0 (SohoaOcrDocument, argc - 1);
  for (int i = 1; i < argc; i++)
    {
      documents[i - 1].pages = (const char * const *) &argv[i];
      documents[i - 1].n_pages = 1;
    }

  if (!sohoa_ocr_run (documents, (guint) argc - 1, language ? language : "vie", NULL, NULL,
                      write_text_cb, outputs, &n_failed, &error))
    return sohoa_cli_fail (error);
  if (n_failed > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "sohoa-cli: %u image could not be read\n",
                               "sohoa-cli: %u images could not be read\n", n_failed), n_failed);
      return 1;
    }
  return 0;
}

static int
cmd_schema_check (int    argc,
                  char **argv)
{
  int status = 0;

  if (argc < 2)
    return sohoa_cli_usage_error (_("schema check needs at least one schema file."));

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
      g_autoptr(SohoaSchema) schema = NULL;
      g_autoptr(GError) error = NULL;

      if (!(schema = sohoa_schema_new_from_file (file, &error)))
        {
          g_printerr ("sohoa-cli: %s\n", error->message);
          status = 1;
          continue;
        }
      g_print (_("%s: form %s version %u, %u fields\n"), argv[i], sohoa_schema_get_id (schema),
               sohoa_schema_get_version (schema), sohoa_schema_get_n_fields (schema));
    }
  return status;
}

/* sohoa-cli validate --schema ID RECORD.json: a record as keyed (field key
 * → string; keys starting with "_" ignored), checked as the form checks
 * it.  One line per problem; exit 1 when there is an error. */
static int
cmd_validate (int    argc,
              char **argv)
{
  g_autofree char *schema_id = NULL;
  g_autofree char *data_dir = sohoa_context_find_data_dir ();
  g_autofree char *schemas_dir = g_build_filename (data_dir, "schemas", NULL);
  g_autoptr(GListStore) schemas = g_list_store_new (SOHOA_TYPE_SCHEMA);
  g_autoptr(SohoaSchema) schema = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(SohoaValidator) validator = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  GError *error = NULL;
  gboolean failed = FALSE;
  GOptionEntry entries[] = {
    { "schema", 0, 0, G_OPTION_ARG_STRING, &schema_id, N_("The form schema of the record"), "ID" },
    { NULL }
  };

  if (!sohoa_cli_parse_options ("validate RECORD.json", entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);
  if (schema_id == NULL || argc != 2)
    return sohoa_cli_usage_error (_("validate needs --schema ID and one record file."));

  sohoa_schema_load_dir (schemas, schemas_dir);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (schemas)) && schema == NULL; i++)
    {
      g_autoptr(SohoaSchema) candidate = g_list_model_get_item (G_LIST_MODEL (schemas), i);

      if (g_str_equal (sohoa_schema_get_id (candidate), schema_id))
        schema = g_steal_pointer (&candidate);
    }
  if (schema == NULL)
    return sohoa_cli_usage_error (_("There is no form schema with that id (see “sohoa-cli schemas”)."));

  if (!json_parser_load_from_file (parser, argv[1], &error))
    return sohoa_cli_fail (error);
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return sohoa_cli_usage_error (_("The record must be a JSON object of field keys and values."));
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (object, key);

      if (key[0] == '_')
        continue;
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_print ("%s: %s: %s\n", key, _("error"), _("the value must be a text"));
          failed = TRUE;
          continue;
        }
      if (!sohoa_schema_lookup_field (schema, key))
        {
          g_print ("%s: %s: %s\n", key, _("error"), _("the form has no such field"));
          failed = TRUE;
          continue;
        }
      g_hash_table_insert (values, g_strdup (key), g_strdup (json_node_get_string (node)));
    }

  if (!(validator = sohoa_validator_new (data_dir, &error)))
    return sohoa_cli_fail (error);
  problems = sohoa_validator_check_record (validator, schema, values);
  for (guint i = 0; i < problems->len; i++)
    {
      SohoaProblem *problem = g_ptr_array_index (problems, i);

      g_print ("%s: %s: %s\n", problem->key,
               problem->severity == SOHOA_PROBLEM_ERROR ? _("error") : _("warning"),
               problem->message);
      failed |= problem->severity == SOHOA_PROBLEM_ERROR;
    }
  return failed ? 1 : 0;
}

static void
print_usage (void)
{
  g_print ("%s\n", _("Usage: sohoa-cli [--workspace DIR] [--user NAME] COMMAND [OPTIONS…]"));
  g_print ("\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-13s %-45s %s\n", commands[i].name, commands[i].args, _(commands[i].summary));
  g_print ("  %-13s %-45s %s\n", "ocr-file", "IMAGE… --out-dir DIR", _("Recognize image files without a workspace"));
  g_print ("  %-13s %-45s %s\n", "schema check", "FILE…", _("Check form schema files"));
  g_print ("  %-13s %-45s %s\n", "validate", "--schema ID RECORD.json", _("Check a record as the form checks it"));
  g_print ("  %-13s %-45s %s\n", "verify", "PACKAGE --ca CA.pem", _("Check a package: files, checksums, signature"));
  g_print ("  %-13s %-45s %s\n", "import-package", "PACKAGE --ca CA.pem --out DIR", _("Check a package and unpack it into a new folder"));
  g_print ("\n%s\n", _("Passwords are read from SOHOA_PASSWORD or the first line of standard input."));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *workspace = NULL;
  g_autofree char *user_name = NULL;
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(SohoaContext) context = NULL;
  const char *localedir = g_getenv ("SOHOA_LOCALEDIR");
  gboolean version = FALSE;
  GError *error = NULL;
  Cli cli = { 0 };
  GOptionEntry entries[] = {
    { "workspace", 'w', 0, G_OPTION_ARG_FILENAME, &workspace, N_("The workspace folder (default $SOHOA_WORKSPACE or ~/.local/share/sohoa)"), "DIR" },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user_name, N_("Sign in as this user"), "NAME" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version"), NULL },
    { NULL }
  };

  sohoa_ocr_limit_openmp (argv);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  options = g_option_context_new (_("COMMAND [OPTIONS…]"));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (options, TRUE);
  g_option_context_set_help_enabled (options, FALSE);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    return sohoa_cli_fail (error);

  if (version)
    {
      g_print ("sohoa-cli %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (argc < 2 || g_str_equal (argv[1], "help") || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage ();
      return argc < 2 ? 2 : 0;
    }

  if (g_str_equal (argv[1], "ocr-file"))
    return cmd_ocr_file (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "schema-check"))
    return cmd_schema_check (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "schema") && argc > 2 && g_str_equal (argv[2], "check"))
    return cmd_schema_check (argc - 2, argv + 2);
  if (g_str_equal (argv[1], "validate"))
    return cmd_validate (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "verify"))
    return sohoa_cli_verify (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "import-package") && sohoa_cli_import_package_unpacks (argc - 1, argv + 1))
    return sohoa_cli_import_package (argc - 1, argv + 1);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_equal (argv[1], commands[i].name))
        continue;

      if (workspace == NULL)
        workspace = sohoa_context_default_workspace_dir ();
      if (!(context = sohoa_context_open (workspace, &error)))
        return sohoa_cli_fail (error);
      if (!g_str_equal (commands[i].name, "init") && !sohoa_store_is_initialized (sohoa_context_get_store (context)))
        return sohoa_cli_usage_error (_("This workspace is not set up yet: run “sohoa-cli init” or start Sohoa."));

      cli.context = context;
      cli.user_name = user_name;
      return commands[i].run (&cli, argc - 1, argv + 1);
    }

  g_printerr (_("sohoa-cli: unknown command “%s”\n"), argv[1]);
  print_usage ();
  return 2;
}
