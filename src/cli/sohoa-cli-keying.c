/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-cli-keying.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
fail (GError *error)
{
  g_printerr ("sohoa-cli: %s\n", error->message);
  g_error_free (error);
  return 1;
}

static int
usage_error (const char *message)
{
  g_printerr ("sohoa-cli: %s\n", message);
  return 2;
}

static SohoaUser *
sign_in (SohoaContext  *context,
         const char    *user_name,
         GError       **error)
{
  const char *env = g_getenv ("SOHOA_PASSWORD");
  g_autofree char *password = NULL;
  SohoaUser *user;

  if (user_name == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("This command needs --user NAME (the password is read from SOHOA_PASSWORD or standard input)."));
      return NULL;
    }
  if (env)
    password = g_strdup (env);
  else
    {
      char line[1024];

      if (isatty (STDIN_FILENO))
        g_printerr (_("Password for %s: "), user_name);
      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_AUTH, _("No password given."));
          return NULL;
        }
      line[strcspn (line, "\r\n")] = '\0';
      password = g_strdup (line);
    }
  if (!(user = sohoa_store_authenticate (sohoa_context_get_store (context), user_name, password, error)))
    return NULL;
  sohoa_context_set_user (context, user);
  return user;
}

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

static gboolean
parse_batch (const char  *text,
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

/* The record of document @n (from 1, in page order) of a batch, and its
 * schema. */
static gint64
find_record (SohoaContext  *context,
             gint64         batch_id,
             int            n,
             SohoaSchema  **schema,
             GError       **error)
{
  SohoaStore *store = sohoa_context_get_store (context);
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GListModel) pages = NULL;
  gint64 document_id = 0;

  if (!(batch = sohoa_store_get_batch (store, batch_id, error)))
    return 0;
  if (!(*schema = sohoa_context_lookup_schema (context, sohoa_batch_get_schema_id (batch))))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA, _("The form schema of this batch is not installed."));
      return 0;
    }
  if (!(pages = sohoa_store_list_pages (store, batch_id, error)))
    return 0;
  for (guint i = 0, k = 0; i < g_list_model_get_n_items (pages) && document_id == 0; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      g_autoptr(SohoaPage) previous = i > 0 ? g_list_model_get_item (pages, i - 1) : NULL;

      if (previous == NULL || sohoa_page_get_document_id (previous) != sohoa_page_get_document_id (page))
        k++;
      if ((int) k == n)
        document_id = sohoa_page_get_document_id (page);
    }
  if (document_id == 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("The batch has no document with that number."));
      return 0;
    }
  return sohoa_store_ensure_record (store, document_id, sohoa_schema_get_id (*schema),
                                    sohoa_schema_get_version (*schema), error);
}

/* sohoa-cli key2 --batch ID --document N KEY=VALUE…: the second, blind
 * keying of critical fields, by a user other than the first keyer. */
int
sohoa_cli_key2 (SohoaContext  *context,
                const char    *user_name,
                int            argc,
                char         **argv)
{
  g_autoptr(SohoaUser) user = NULL;
  SohoaSchema *schema = NULL;
  Target target = { NULL, 1 };
  GError *error = NULL;
  gint64 batch_id, record_id;
  int status = 0;

  if (!parse_options ("key2 KEY=VALUE…", &target, TRUE, &argc, &argv, &error) ||
      !parse_batch (target.batch_text, &batch_id, &error) ||
      !(user = sign_in (context, user_name, &error)) ||
      !(record_id = find_record (context, batch_id, target.document, &schema, &error)))
    {
      g_free (target.batch_text);
      return fail (error);
    }
  g_free (target.batch_text);
  if (argc < 2)
    return usage_error (_("key2 needs at least one KEY=VALUE."));

  for (int i = 1; i < argc; i++)
    {
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);

      if (g_strv_length (pair) != 2)
        {
          g_printerr (_("sohoa-cli: “%s” is not KEY=VALUE with a field of the form %s\n"),
                      argv[i], sohoa_schema_get_id (schema));
          return 2;
        }
      if (!sohoa_store_set_second_field (sohoa_context_get_store (context), user, schema, record_id,
                                         pair[0], pair[1], &error))
        {
          status = fail (error);
          error = NULL;
        }
    }
  return status;
}

/* sohoa-cli arbitrate --batch ID --document N KEY=first|second|value:TEXT… */
int
sohoa_cli_arbitrate (SohoaContext  *context,
                     const char    *user_name,
                     int            argc,
                     char         **argv)
{
  g_autoptr(SohoaUser) user = NULL;
  SohoaSchema *schema = NULL;
  Target target = { NULL, 1 };
  GError *error = NULL;
  gint64 batch_id, record_id;
  int status = 0;

  if (!parse_options ("arbitrate KEY=first|second|value:TEXT…", &target, TRUE, &argc, &argv, &error) ||
      !parse_batch (target.batch_text, &batch_id, &error) ||
      !(user = sign_in (context, user_name, &error)) ||
      !(record_id = find_record (context, batch_id, target.document, &schema, &error)))
    {
      g_free (target.batch_text);
      return fail (error);
    }
  g_free (target.batch_text);
  if (argc < 2)
    return usage_error (_("arbitrate needs at least one KEY=first, KEY=second or KEY=value:TEXT."));

  for (int i = 1; i < argc; i++)
    {
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);
      SohoaArbitration choice;
      const char *value = NULL;

      if (g_strv_length (pair) != 2)
        return usage_error (_("Write each decision as KEY=first, KEY=second or KEY=value:TEXT."));
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
        return usage_error (_("Write each decision as KEY=first, KEY=second or KEY=value:TEXT."));

      if (!sohoa_store_arbitrate (sohoa_context_get_store (context), user, record_id, pair[0], choice, value, &error))
        {
          status = fail (error);
          error = NULL;
        }
    }
  return status;
}

/* sohoa-cli mismatches --batch ID: one line per unsettled disagreement,
 * tab-separated: document, key, first value, second value (values shown
 * only to a user who keyed neither). */
int
sohoa_cli_mismatches (SohoaContext  *context,
                      const char    *user_name,
                      int            argc,
                      char         **argv)
{
  g_autoptr(SohoaUser) user = NULL;
  g_autoptr(GPtrArray) mismatches = NULL;
  Target target = { NULL, 1 };
  GError *error = NULL;
  gint64 batch_id;

  if (!parse_options ("mismatches", &target, FALSE, &argc, &argv, &error) ||
      !parse_batch (target.batch_text, &batch_id, &error) ||
      !(user = sign_in (context, user_name, &error)) ||
      !(mismatches = sohoa_store_list_mismatches (sohoa_context_get_store (context), user, batch_id, &error)))
    {
      g_free (target.batch_text);
      return fail (error);
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
