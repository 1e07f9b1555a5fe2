/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-cli-private.h"

/* sohoa-cli search QUERY…: the records whose searchable fields hold every
 * word, ignoring case and marks.  One line per hit, tab-separated: batch,
 * document number, record id, name; then batch title. */
int
sohoa_cli_search (Cli   *cli,
                  int    argc,
                  char **argv)
{
  SohoaContext *context = cli->context;
  g_autoptr(GOptionContext) options = g_option_context_new (_("QUERY…"));
  g_autoptr(GListModel) hits = NULL;
  g_autofree char *query = NULL;
  GError *error = NULL;
  int limit = SOHOA_SEARCH_DEFAULT_LIMIT;
  guint n;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show at most this many records (default 50)"), "N" },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("sohoa-cli: %s\n", error->message);
      g_error_free (error);
      return 2;
    }
  if (argc < 2 || limit < 1)
    {
      g_printerr ("sohoa-cli: %s\n", _("search needs the words to look for, like “sohoa-cli search nguyen van an”."));
      return 2;
    }

  query = g_strjoinv (" ", argv + 1);
  if (!(hits = sohoa_store_search (sohoa_context_get_store (context), query, (guint) limit, &error)))
    {
      g_printerr ("sohoa-cli: %s\n", error->message);
      g_error_free (error);
      return 1;
    }

  n = g_list_model_get_n_items (hits);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SohoaSearchHit) hit = g_list_model_get_item (hits, i);
      const char *title = sohoa_search_hit_get_title (hit);

      g_print ("%lld\t%u\t%lld\t%s\t%s\n",
               (long long) sohoa_search_hit_get_batch_id (hit),
               sohoa_search_hit_get_document_number (hit),
               (long long) sohoa_search_hit_get_record_id (hit),
               *title ? title : _("(no name)"),
               sohoa_search_hit_get_batch_title (hit));
    }
  if (n == 0)
    g_printerr ("%s\n", _("No record matches."));
  return n > 0 ? 0 : 1;
}
