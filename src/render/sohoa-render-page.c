/* sohoa-render-page.c: write a synthetic page and its ground truth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sohoa-render-page --kind birth|letter|register --seed N --dpi 300 \
 *                   --font "Liberation Serif" --out page.png [--text-out page.txt]
 */

#define G_LOG_DOMAIN "sohoa-render"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-sample-page.h"

#include <locale.h>
#include <stdlib.h>

static const struct
{
  const char      *name;
  SohoaSampleKind  kind;
} kinds[] = {
  { "birth", SOHOA_SAMPLE_BIRTH_EXTRACT },
  { "letter", SOHOA_SAMPLE_OFFICIAL_LETTER },
  { "register", SOHOA_SAMPLE_REGISTER },
};

static gboolean
parse_kind (const char       *name,
            SohoaSampleKind  *kind,
            GError          **error)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_strcmp0 (name, kinds[i].name) == 0)
        {
          *kind = kinds[i].kind;
          return TRUE;
        }
    }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("Unknown page kind “%s”: use birth, letter or register"), name);
  return FALSE;
}

static gboolean
parse_unsigned (const char  *option,
                const char  *text,
                guint        min,
                guint        max,
                guint       *out,
                GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s must be a whole number from %u to %u, not “%s”"),
                   option, min, max, text);
      return FALSE;
    }

  *out = (guint) value;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kind_name = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *dpi_text = NULL;
  g_autofree char *font = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *text = NULL;
  SohoaSampleKind kind = SOHOA_SAMPLE_BIRTH_EXTRACT;
  guint seed = 1;
  guint dpi = 300;
  const GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind_name,
      N_("Kind of page: birth, letter or register"), N_("KIND") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Number that chooses the content (default 1)"), N_("N") },
    { "dpi", 'r', 0, G_OPTION_ARG_STRING, &dpi_text,
      N_("Resolution in dots per inch (default 300)"), N_("DPI") },
    { "font", 'f', 0, G_OPTION_ARG_STRING, &font,
      N_("Font family (default Liberation Serif)"), N_("FAMILY") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path,
      N_("PNG file to write"), N_("FILE") },
    { "text-out", 't', 0, G_OPTION_ARG_FILENAME, &text_path,
      N_("Text file for the ground truth"), N_("FILE") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Render a synthetic Vietnamese administrative page "
                                           "to PNG, with the exact text on it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error)
      || (kind_name != NULL && !parse_kind (kind_name, &kind, &error))
      || (seed_text != NULL && !parse_unsigned ("--seed", seed_text, 0, G_MAXUINT, &seed, &error))
      || (dpi_text != NULL && !parse_unsigned ("--dpi", dpi_text, 1, G_MAXUINT, &dpi, &error)))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }

  if (kind_name == NULL || out_path == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), _("--kind and --out are required"));
      return 2;
    }

  if (!sohoa_sample_page_render_png (kind, seed, dpi, font, out_path,
                                     text_path != NULL ? &text : NULL,
                                     &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }

  if (text_path != NULL)
    {
      g_autofree char *contents = g_strconcat (text, "\n", NULL);

      if (!g_file_set_contents (text_path, contents, -1, &error))
        {
          g_printerr ("%s: %s\n", g_get_prgname (), error->message);
          return 1;
        }
    }

  return EXIT_SUCCESS;
}
