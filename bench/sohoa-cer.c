/* sohoa-cer.c: character error rate of OCR text against ground truth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sohoa-cer [--summary] [--lines] [--explain] TRUTH.txt OCR.txt [TRUTH.txt OCR.txt…]
 * sohoa-cer [--summary] [--lines] [--explain] --dir TRUTHDIR --ocr OCRDIR
 *
 * With --dir, each TRUTHDIR/NAME.gt.txt is paired with OCRDIR/NAME.txt.  A
 * missing or unreadable OCR file counts as an empty page: every truth
 * character is an error.  The last line is always
 *
 *   CER=<rate> DIACRITIC=<rate> CHARS=<n> ERRORS=<n> DIACRITIC_ERRORS=<n> PAGES=<n> MISSING=<n>
 */

#define G_LOG_DOMAIN "sohoa-cer"

#include "config.h"

#include "sohoa-cer-score.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#define TRUTH_SUFFIX ".gt.txt"

typedef struct
{
  SohoaCerMode  mode;
  gboolean      summary;
  gboolean      explain;
  SohoaCerScore total;
  guint         missing;
} Run;

static void
explain_cb (const char *truth,
            const char *ocr,
            guint       errors,
            gpointer    user_data)
{
  if (truth != NULL && ocr != NULL)
    g_print ("  %4u  - %s\n        + %s\n", errors, truth, ocr);
  else if (truth != NULL)
    g_print ("  %4u  - %s   (not read)\n", errors, truth);
  else
    g_print ("  %4u  + %s   (not in the truth)\n", errors, ocr);
}

static gboolean
score_pair (Run         *run,
            const char  *truth_path,
            const char  *ocr_path,
            GError     **error)
{
  g_autofree char *truth = NULL;
  g_autofree char *ocr = NULL;
  g_autoptr(GError) ocr_error = NULL;
  SohoaCerScore page = { 0 };

  if (!g_file_get_contents (truth_path, &truth, NULL, error))
    return FALSE;

  if (!g_file_get_contents (ocr_path, &ocr, NULL, &ocr_error))
    {
      g_printerr ("sohoa-cer: %s (counted as an empty page)\n", ocr_error->message);
      run->missing++;
    }

  if (run->explain)
    g_print ("%s\n", ocr_path);
  sohoa_cer_score_add_page_explained (&page, truth, ocr, run->mode,
                                      run->explain ? explain_cb : NULL, NULL);
  sohoa_cer_score_merge (&run->total, &page);

  if (!run->summary)
    {
      g_autofree char *name = g_path_get_basename (ocr_path);

      g_print ("%-28s chars=%-6" G_GUINT64_FORMAT " errors=%-6" G_GUINT64_FORMAT
               " cer=%.4f diacritic_errors=%-4" G_GUINT64_FORMAT " diacritic=%.4f\n",
               name, page.truth_chars, page.errors, sohoa_cer_score_get_rate (&page),
               page.diacritic_errors, sohoa_cer_score_get_diacritic_rate (&page));
    }

  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
score_dirs (Run         *run,
            const char  *truth_dir,
            const char  *ocr_dir,
            GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (truth_dir, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, TRUTH_SUFFIX))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *truth_name = g_ptr_array_index (names, i);
      g_autofree char *stem = g_strndup (truth_name, strlen (truth_name) - strlen (TRUTH_SUFFIX));
      g_autofree char *ocr_name = g_strconcat (stem, ".txt", NULL);
      g_autofree char *truth_path = g_build_filename (truth_dir, truth_name, NULL);
      g_autofree char *ocr_path = g_build_filename (ocr_dir, ocr_name, NULL);

      if (!score_pair (run, truth_path, ocr_path, error))
        return FALSE;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *truth_dir = NULL;
  g_autofree char *ocr_dir = NULL;
  gboolean lines = FALSE;
  Run run = { 0 };
  const GOptionEntry entries[] = {
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &truth_dir,
      "Pair every NAME.gt.txt in this folder with OCRDIR/NAME.txt", "TRUTHDIR" },
    { "ocr", 'o', 0, G_OPTION_ARG_FILENAME, &ocr_dir,
      "Folder of OCR text for --dir", "OCRDIR" },
    { "summary", 's', 0, G_OPTION_ARG_NONE, &run.summary,
      "Print only the totals line", NULL },
    { "lines", 'l', 0, G_OPTION_ARG_NONE, &lines,
      "Pair whole lines only; do not forgive split or joined lines", NULL },
    { "explain", 'e', 0, G_OPTION_ARG_NONE, &run.explain,
      "Show every truth line and OCR text that costs errors", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("[TRUTH OCR…]");
  g_option_context_set_summary (context, "Character error rate of OCR text, after NFC, in any "
                                         "reading order, with diacritic errors counted apart.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sohoa-cer: %s\n", error->message);
      return 2;
    }

  if ((truth_dir == NULL) != (ocr_dir == NULL)
      || (truth_dir == NULL && (argc < 3 || (argc - 1) % 2 != 0))
      || (truth_dir != NULL && argc > 1))
    {
      g_printerr ("sohoa-cer: give pairs of files, or --dir TRUTHDIR --ocr OCRDIR\n");
      return 2;
    }
  run.mode = lines ? SOHOA_CER_LINES : SOHOA_CER_FRAGMENTS;

  if (truth_dir != NULL)
    {
      if (!score_dirs (&run, truth_dir, ocr_dir, &error))
        {
          g_printerr ("sohoa-cer: %s\n", error->message);
          return 1;
        }
    }
  else
    {
      for (int i = 1; i + 1 < argc; i += 2)
        if (!score_pair (&run, argv[i], argv[i + 1], &error))
          {
            g_printerr ("sohoa-cer: %s\n", error->message);
            return 1;
          }
    }

  g_print ("CER=%.4f DIACRITIC=%.4f CHARS=%" G_GUINT64_FORMAT " ERRORS=%" G_GUINT64_FORMAT
           " DIACRITIC_ERRORS=%" G_GUINT64_FORMAT " PAGES=%u MISSING=%u\n",
           sohoa_cer_score_get_rate (&run.total),
           sohoa_cer_score_get_diacritic_rate (&run.total),
           run.total.truth_chars, run.total.errors, run.total.diacritic_errors,
           run.total.pages, run.missing);

  return EXIT_SUCCESS;
}
