/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-application.h"
#include "sohoa-core.h"

#include <locale.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SohoaApplication) app = NULL;
  const char *localedir;

  /* Tesseract's OpenMP threads fight our own worker pool; this may re-exec
   * the process with OMP_THREAD_LIMIT set, so it comes before anything else. */
  sohoa_ocr_limit_openmp (argv);

  /* Uninstalled runs (tests, the build directory) point at the freshly
   * compiled catalogs. */
  localedir = g_getenv ("SOHOA_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = sohoa_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
