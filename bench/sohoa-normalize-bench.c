/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NFC of long Vietnamese text: sohoa_text_normalize() against GLib's
 * g_utf8_normalize(), which is quadratic in the number of composed marks.
 * Usage: sohoa-normalize-bench [KILOBYTES...]   (default 10 100 300 1000) */
#include "sohoa-vntext.h"

#include <stdlib.h>

static double
seconds (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

int
main (int    argc,
      char **argv)
{
  static const char * const defaults[] = { "10", "100", "300", "1000" };
  const char * const *sizes = argc > 1 ? (const char * const *) argv + 1 : defaults;
  guint n_sizes = argc > 1 ? (guint) argc - 1 : G_N_ELEMENTS (defaults);

  g_print ("%8s %12s %12s %8s\n", "kB", "GLib s", "Sohoa s", "ratio");
  for (guint i = 0; i < n_sizes; i++)
    {
      gsize target = (gsize) strtoul (sizes[i], NULL, 10) * 1000;
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *glib_nfc = NULL;
      g_autofree char *sohoa_nfc = NULL;
      double glib_s, sohoa_s;
      gint64 start;

      /* A civil-status register's words, NFC as keyed. */
      while (text->len < target)
        g_string_append (text, "Nguyễn Thị Hoà, sinh ngày 12 tháng 3 năm 1987 tại Phường Sài Gòn; ");
      start = g_get_monotonic_time ();
      glib_nfc = g_utf8_normalize (text->str, -1, G_NORMALIZE_NFC);
      glib_s = seconds (start);
      start = g_get_monotonic_time ();
      sohoa_nfc = sohoa_text_normalize (text->str);
      sohoa_s = seconds (start);
      if (g_strcmp0 (glib_nfc, sohoa_nfc) != 0)
        g_error ("sohoa_text_normalize() differs from g_utf8_normalize()");
      g_print ("%8zu %12.4f %12.4f %8.1f\n", text->len / 1000, glib_s, sohoa_s, glib_s / MAX (sohoa_s, 1e-6));
    }
  return 0;
}
