/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-cli-private.h"

/* sohoa-cli keying-rule [SCHEMA on|off]: which forms are keyed twice in
 * this workspace, one line per form, tab-separated: schema id, on/off,
 * and whether the workspace or the form decided; with SCHEMA on|off, a
 * supervisor or administrator changes the rule (audited). */
int
sohoa_cli_keying_rule (Cli   *cli,
                       int    argc,
                       char **argv)
{
  SohoaStore *store = sohoa_context_get_store (cli->context);
  GListModel *schemas = sohoa_context_get_schemas (cli->context);
  GOptionEntry entries[] = { { NULL } };
  GError *error = NULL;

  if (!sohoa_cli_parse_options ("keying-rule [SCHEMA on|off]", entries, &argc, &argv, &error))
    return sohoa_cli_fail (error);

  if (argc == 3)
    {
      SohoaSchema *schema = sohoa_context_lookup_schema (cli->context, argv[1]);
      gboolean on = g_str_equal (argv[2], "on");

      if (!on && !g_str_equal (argv[2], "off"))
        return sohoa_cli_usage_error (_("Say “on” or “off” after the form schema."));
      if (schema == NULL)
        {
          g_printerr (_("sohoa-cli: no form schema “%s” (see “sohoa-cli schemas”)\n"), argv[1]);
          return 2;
        }
      if (!sohoa_cli_sign_in (cli, &error) ||
          !sohoa_store_set_double_keying (store, sohoa_context_get_user (cli->context), schema, on, &error))
        return sohoa_cli_fail (error);
      return 0;
    }
  if (argc != 1)
    return sohoa_cli_usage_error (_("keying-rule takes no argument, or a form schema and “on” or “off”."));

  for (guint i = 0; i < g_list_model_get_n_items (schemas); i++)
    {
      g_autoptr(SohoaSchema) schema = g_list_model_get_item (schemas, i);
      gboolean required = FALSE, overridden = FALSE;

      if (!sohoa_store_get_double_keying (store, schema, &required, &overridden, &error))
        return sohoa_cli_fail (error);
      g_print ("%s\t%s\t%s\n", sohoa_schema_get_id (schema), required ? "on" : "off",
               overridden ? "workspace" : "form");
    }
  return 0;
}
