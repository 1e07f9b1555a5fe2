/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replays fuzz inputs without libFuzzer: each argument is a file or a
 * folder of files (a corpus), each passed once to LLVMFuzzerTestOneInput.
 * Built with any compiler, so CI replays every corpus in its normal build. */
#include "sohoa-fuzz.h"

#include <gio/gio.h>
#include <stdio.h>

static guint n_inputs;

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
replay_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  if (!g_file_get_contents (path, &contents, &size, &error))
    g_error ("%s", error->message);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, size);
  n_inputs++;
}

static void
replay (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        g_error ("cannot open %s", path);
      while ((name = g_dir_read_name (dir)))
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
      g_ptr_array_sort (names, compare_paths);
      for (guint i = 0; i < names->len; i++)
        replay (g_ptr_array_index (names, i));
    }
  else
    {
      replay_file (path);
    }
}

int
main (int    argc,
      char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: %s FILE-OR-CORPUS...\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    replay (argv[i]);
  printf ("replayed %u inputs\n", n_inputs);
  return n_inputs > 0 ? 0 : 1;
}
