/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sohoa-audit-bench: how long `sohoa-cli audit-verify` takes on a long log.
 *
 * Usage: sohoa-audit-bench DIR [N_ROWS]
 *
 * Appends N_ROWS (default 1,000,000) audit rows to a fresh store in DIR
 * through the store's own append path, then times the verification of the
 * whole chain.  Prints the figure; the target is under 5 s for a million
 * rows.
 */
#define G_LOG_DOMAIN "sohoa-audit-bench"

#include "config.h"

#include "sohoa-store.h"

#include <stdio.h>
#include <stdlib.h>

#define CHUNK 50000

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaStore) store = NULL;
  g_autofree char *path = NULL;
  guint n_rows = 1000000;
  guint n_verified = 0;
  gint64 start;
  double append_s, verify_s;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s DIR [N_ROWS]\n", argv[0]);
      return 2;
    }
  if (argc > 2)
    n_rows = (guint) strtoul (argv[2], NULL, 10);

  g_mkdir_with_parents (argv[1], 0700);
  path = g_build_filename (argv[1], "sohoa.db", NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      fprintf (stderr, "%s exists; give an empty directory\n", path);
      return 2;
    }
  if (!(store = sohoa_store_open (path, &error)))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_rows; i += CHUNK)
    {
      if (!sohoa_store_begin (store, &error))
        break;
      for (guint j = i; j < MIN (n_rows, i + CHUNK); j++)
        {
          g_autofree char *detail = g_strdup_printf ("{\"key\":\"nksHoTen\",\"n\":%u}", j);

          if (!sohoa_store_append_audit (store, NULL, "field-edit", "record", j / 20 + 1, detail, &error))
            break;
        }
      if (error || !sohoa_store_commit (store, &error))
        break;
    }
  if (error)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  append_s = (g_get_monotonic_time () - start) / 1e6;

  start = g_get_monotonic_time ();
  if (!sohoa_store_verify_audit (store, &n_verified, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  verify_s = (g_get_monotonic_time () - start) / 1e6;

  printf ("audit rows: %u (appended in %.1f s)\n", n_verified, append_s);
  printf ("audit verify: %.2f s (target < 5 s for 1,000,000 rows) %s\n", verify_s,
          n_rows >= 1000000 ? (verify_s < 5.0 ? "ok" : "MISSED") : "(fewer rows than the target)");
  return 0;
}
