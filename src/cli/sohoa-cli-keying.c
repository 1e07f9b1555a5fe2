/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-cli-private.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  char *batch_text;
  int   document;
} Target;

static gboolean
parse_options (const char  *command,
               Target      *target,
               gboolean     with_document,
               int         *argc,
               char      ***argv,
               GError     **error)
{
  g_autoptr(GOptionContext) options = g_option_context_new (command);
  GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_STRING, &target->batch_text, N_("The batch"), "ID" },
    { "document", 0, 0, G_OPTION_ARG_INT, &target->document, N_("The document in the batch, counting from 1"), "N" },
    { NULL }
  };

  if (!with_document)
    entries[1] = (GOptionEntry) { NULL };
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  return g_option_context_parse (options, argc, argv, error);
}

/* The record of document @n (from 1, in page order) of a batch, and its
 * schema. */
static gint64
find_record (Cli          *cli,
             gint64        batch_id,
             int           n,
             SohoaSchema **schema,
             GError      **error)
{
  g_autoptr(SohoaBatch) batch = NULL;

  if (!(batch = sohoa_store_get_batch (sohoa_context_get_store (cli->context), batch_id, error)))
    return 0;
  if (!(*schema = sohoa_context_lookup_schema (cli->context, sohoa_batch_get_schema_id (batch))))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA, _("The form schema of this batch is not installed."));
      return 0;
    }
  return sohoa_cli_document_record (cli, batch, *schema, n, error);
}

/* sohoa-cli key2 --batch ID --document N KEY=VALUE…: the second, blind
 * keying of critical fields, by a user other than the first keyer. */
int
sohoa_cli_key2 (Cli   *cli,
                int    argc,
                char **argv)
{
  SohoaContext *context = cli->context;
  SohoaSchema *schema = NULL;
  Target target = { NULL, 1 };
  GError *error = NULL;
  gint64 batch_id, record_id;
  int status = 0;

  if (!parse_options ("key2 KEY=VALUE…", &target, TRUE, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (target.batch_text, &batch_id, &error) ||
      !sohoa_cli_sign_in (cli, &error) ||
      !(record_id = find_record (cli, batch_id, target.document, &schema, &error)))
    {
      g_free (target.batch_text);
      return sohoa_cli_fail (error);
    }
  g_free (target.batch_text);
  if (argc < 2)
    return sohoa_cli_usage_error (_("key2 needs at least one KEY=VALUE."));

  for (int i = 1; i < argc; i++)
    {
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);

      if (g_strv_length (pair) != 2)
        {
          g_printerr (_("sohoa-cli: “%s” is not KEY=VALUE with a field of the form %s\n"),
                      argv[i], sohoa_schema_get_id (schema));
          return 2;
        }
      if (!sohoa_store_set_second_field (sohoa_context_get_store (context), sohoa_context_get_user (context), schema, record_id,
                                         pair[0], pair[1], &error))
        {
          status = sohoa_cli_fail (error);
          error = NULL;
        }
    }
  return status;
}

/* sohoa-cli arbitrate --batch ID --document N KEY=first|second|value:TEXT… */
int
sohoa_cli_arbitrate (Cli   *cli,
                     int    argc,
                     char **argv)
{
  SohoaContext *context = cli->context;
  SohoaSchema *schema = NULL;
  Target target = { NULL, 1 };
  GError *error = NULL;
  gint64 batch_id, record_id;
  int status = 0;

  if (!parse_options ("arbitrate KEY=first|second|value:TEXT…", &target, TRUE, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (target.batch_text, &batch_id, &error) ||
      !sohoa_cli_sign_in (cli, &error) ||
      !(record_id = find_record (cli, batch_id, target.document, &schema, &error)))
    {
      g_free (target.batch_text);
      return sohoa_cli_fail (error);
    }
  g_free (target.batch_text);
  if (argc < 2)
    return sohoa_cli_usage_error (_("arbitrate needs at least one KEY=first, KEY=second or KEY=value:TEXT."));

  for (int i = 1; i < argc; i++)
    {
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);
      SohoaArbitration choice;
      const char *value = NULL;

      if (g_strv_length (pair) != 2)
        return sohoa_cli_usage_error (_("Write each decision as KEY=first, KEY=second or KEY=value:TEXT."));
      if (g_str_equal (pair[1], "first"))
        choice = SOHOA_ARBITRATE_FIRST;
      else if (g_str_equal (pair[1], "second"))
        choice = SOHOA_ARBITRATE_SECOND;
      else if (g_str_has_prefix (pair[1], "value:"))
        {
          choice = SOHOA_ARBITRATE_OTHER;
          value = pair[1] + strlen ("value:");
        }
      else
        return sohoa_cli_usage_error (_("Write each decision as KEY=first, KEY=second or KEY=value:TEXT."));

      if (!sohoa_store_arbitrate (sohoa_context_get_store (context), sohoa_context_get_user (context), record_id, pair[0], choice, value, &error))
        {
          status = sohoa_cli_fail (error);
          error = NULL;
        }
    }
  return status;
}

/* sohoa-cli mismatches --batch ID: one line per unsettled disagreement,
 * tab-separated: document, key, first value, second value (values shown
 * only to a user who keyed neither). */
int
sohoa_cli_mismatches (Cli   *cli,
                      int    argc,
                      char **argv)
{
  SohoaContext *context = cli->context;
  g_autoptr(GPtrArray) mismatches = NULL;
  Target target = { NULL, 1 };
  GError *error = NULL;
  gint64 batch_id;

  if (!parse_options ("mismatches", &target, FALSE, &argc, &argv, &error) ||
      !sohoa_cli_parse_batch (target.batch_text, &batch_id, &error) ||
      !sohoa_cli_sign_in (cli, &error) ||
      !(mismatches = sohoa_store_list_mismatches (sohoa_context_get_store (context), sohoa_context_get_user (context), batch_id, &error)))
    {
      g_free (target.batch_text);
      return sohoa_cli_fail (error);
    }
  g_free (target.batch_text);

  for (guint i = 0; i < mismatches->len; i++)
    {
      SohoaMismatch *mismatch = g_ptr_array_index (mismatches, i);

      g_print ("%u\t%s\t%s\t%s\n", mismatch->document_number, mismatch->key,
               mismatch->first_value ? mismatch->first_value : _("(hidden: you keyed it)"),
               mismatch->second_value ? mismatch->second_value : _("(hidden: you keyed it)"));
    }
  if (mismatches->len == 0)
    g_printerr ("%s\n", _("The two keyings agree everywhere."));
  return 0;
}
