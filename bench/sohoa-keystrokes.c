/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-keystrokes"

/*
 * keystrokes: how many keystrokes auto-fill saves a clerk keying birth
 * records.
 *
 * N birth extracts are rendered with their known record, imported into a
 * scratch workspace, read by Sohoa's own OCR (the batch path the
 * application uses: preprocessing, Tesseract, words stored), then each
 * record is opened with sohoa_autofill_record(), as the form does.  The
 * record is then "keyed" twice on paper:
 *
 *   by hand:        every field the page shows is typed, then Tab;
 *   with auto-fill: a right value costs a Tab; a wrong one is cleared
 *                   (1 key: the form selects a field's text on entry) and
 *                   typed, then Tab; a missing one is typed, then Tab.
 *
 * Typing is counted as on a Vietnamese keyboard with Telex (Unikey,
 * Bamboo): a letter is one key, each diacritic one more (â = aa, ơ = ow,
 * đ = dd, ễ = eex), a capital one more for Shift.  A code field is typed
 * as its code ("2" for Nữ).
 *
 * Usage: keystrokes [--pages N] [--seed S] [--keep DIR]
 * Prints a table by field, the time auto-fill took per record, and last
 * "keystrokes saved: NN%".
 */

#include "config.h"

#include <glib/gstdio.h>

#include "sohoa-core.h"
#include "sohoa-sample-page.h"

#include <locale.h>
#include <string.h>

typedef struct
{
  const char *key;
  guint       n_seen;
  guint       n_right;
  guint       n_wrong;
  guint       n_missing;
  guint64     typed;      /* by hand */
  guint64     assisted;   /* with auto-fill */
} FieldStats;

/* Keys to type @text with Telex. */
static guint
telex_keys (const char *text)
{
  guint keys = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar decomposed[4];
      gsize n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));

      keys += 1;                                   /* the letter */
      if (g_unichar_isupper (c))
        keys += 1;                                 /* Shift */
      if (c == 0x0111 || c == 0x0110)              /* đ Đ: dd */
        keys += 1;
      for (gsize i = 1; i < n; i++)                /* circumflex, breve, horn, tone: one each */
        keys += 1;
    }
  return keys;
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da > db) - (da < db);
}

static SohoaUser *
make_workspace (const char    *dir,
                SohoaContext **context,
                GError       **error)
{
  SohoaStore *store;

  if (!(*context = sohoa_context_open (dir, error)))
    return NULL;
  store = sohoa_context_get_store (*context);
  return sohoa_store_initialize (store, "26740", "Phường Sài Gòn", "admin", "Quản trị", "bench-password-1", error);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *keep = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autoptr(GOptionContext) options = g_option_context_new ("");
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaContext) context = NULL;
  g_autoptr(SohoaUser) user = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) truths = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(SohoaJob) job = sohoa_job_new ();
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) stats = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  SohoaSchema *schema;
  Wait wait = { NULL, NULL };
  int n_pages = 20;
  int seed = 1;
  guint n_read = 0;
  guint64 typed = 0, assisted = 0;
  gint64 started;
  GOptionEntry entries[] = {
    { "pages", 'n', 0, G_OPTION_ARG_INT, &n_pages, "Birth extracts to render and key (default 20)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed, "First page seed (default 1)", "S" },
    { "keep", 'k', 0, G_OPTION_ARG_FILENAME, &keep, "Keep the pages and workspace in DIR", "DIR" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  sohoa_ocr_limit_openmp (argv);
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || n_pages < 1 || seed < 0)
    {
      g_printerr ("keystrokes: %s\n", error ? error->message : "--pages must be at least 1");
      return 2;
    }

  dir = keep ? g_strdup (keep) : g_dir_make_tmp ("sohoa-keystrokes-XXXXXX", &error);
  if (dir == NULL || g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_printerr ("keystrokes: no scratch folder\n");
      return 1;
    }

  /* Pages: the two faces (a printed register and a typewriter) and the two
   * resolutions offices scan at, in turn. */
  for (int i = 0; i < n_pages; i++)
    {
      g_autofree char *name = g_strdup_printf ("extract-%03d.png", i);
      char *path = g_build_filename (dir, name, NULL);
      GHashTable *truth = NULL;
      const char *font = i % 2 ? "FreeMono" : "Liberation Serif";
      guint dpi = (i / 2) % 2 ? 200 : 300;

      if (!sohoa_sample_page_render_png_with_fields (SOHOA_SAMPLE_BIRTH_EXTRACT, (guint) (seed + i), dpi, font,
                                                     path, NULL, &truth, &error))
        {
          g_printerr ("keystrokes: %s\n", error->message);
          return 1;
        }
      g_ptr_array_add (paths, path);
      g_ptr_array_add (files, g_file_new_for_path (path));
      g_ptr_array_add (truths, truth);
    }

  {
    g_autofree char *ws_dir = g_build_filename (dir, "workspace", NULL);

    if (!(user = make_workspace (ws_dir, &context, &error)))
      {
        g_printerr ("keystrokes: %s\n", error->message);
        return 1;
      }
    sohoa_context_set_user (context, user);
  }
  if (!(schema = sohoa_context_lookup_schema (context, "ho-tich.khai-sinh")))
    {
      g_printerr ("keystrokes: the ho-tich.khai-sinh schema is not installed (set SOHOA_DATADIR)\n");
      return 1;
    }

  report = sohoa_import_files (context, 0, "ho-tich.khai-sinh", (GFile **) files->pdata, files->len, NULL, &error);
  if (report == NULL)
    {
      g_printerr ("keystrokes: %s\n", error->message);
      return 1;
    }

  started = g_get_monotonic_time ();
  wait.loop = g_main_loop_new (NULL, FALSE);
  sohoa_ocr_batch_async (context, report->batch_id, job, done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  if (!sohoa_ocr_batch_finish (context, wait.result, &n_read, &error))
    {
      g_printerr ("keystrokes: %s\n", error->message);
      return 1;
    }
  g_clear_object (&wait.result);
  g_printerr ("OCR of %d pages: %.1f s\n", n_pages, (g_get_monotonic_time () - started) / 1e6);

  pages = sohoa_store_list_pages (sohoa_context_get_store (context), report->batch_id, &error);
  for (guint i = 0; i < g_list_model_get_n_items (pages) && i < truths->len; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      GHashTable *truth = g_ptr_array_index (truths, i);
      SohoaStore *store = sohoa_context_get_store (context);
      g_autoptr(GPtrArray) values = NULL;
      g_autoptr(GHashTable) found = g_hash_table_new (g_str_hash, g_str_equal);
      gint64 record_id;
      gint64 t0;
      double ms;

      record_id = sohoa_store_ensure_record (store, sohoa_page_get_document_id (page), sohoa_schema_get_id (schema),
                                             sohoa_schema_get_version (schema), &error);
      t0 = g_get_monotonic_time ();
      values = sohoa_autofill_record (store, schema, user, record_id, &error);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      if (values == NULL)
        {
          g_printerr ("keystrokes: %s\n", error->message);
          return 1;
        }
      g_array_append_val (times, ms);
      for (guint j = 0; j < values->len; j++)
        {
          SohoaAutofillValue *value = g_ptr_array_index (values, j);

          g_hash_table_insert (found, value->key, value->value);
        }

      /* Every field of the schema the page shows, in form order. */
      for (guint f = 0; f < sohoa_schema_get_n_fields (schema); f++)
        {
          const SohoaSchemaField *field = sohoa_schema_get_field (schema, f);
          const char *shown = g_hash_table_lookup (truth, field->key);
          const char *want;
          const char *got;
          FieldStats *s;
          guint type_cost;

          if (shown == NULL)
            continue;
          want = field->type == SOHOA_FIELD_CODE ? sohoa_schema_field_lookup_code (field, shown) : shown;
          if (want == NULL)
            {
              g_printerr ("keystrokes: “%s” is not in the code list of %s\n", shown, field->key);
              return 1;
            }
          if (!(s = g_hash_table_lookup (stats, field->key)))
            {
              s = g_new0 (FieldStats, 1);
              s->key = field->key;
              g_hash_table_insert (stats, (gpointer) field->key, s);
              g_ptr_array_add (order, s);
            }

          type_cost = telex_keys (want) + 1;
          got = g_hash_table_lookup (found, field->key);
          s->n_seen++;
          s->typed += type_cost;
          if (got && g_str_equal (got, want))
            {
              s->n_right++;
              s->assisted += 1;
            }
          else if (got)
            {
              s->n_wrong++;
              s->assisted += 1 + type_cost;
              if (keep)
                g_printerr ("page %u %s: read “%s”, page says “%s”\n", i, field->key, got, want);
            }
          else
            {
              s->n_missing++;
              s->assisted += type_cost;
            }
        }
    }

  g_print ("%-20s %6s %6s %6s %8s %10s %10s\n", "field", "right", "wrong", "none", "accuracy", "by hand", "auto-fill");
  for (guint i = 0; i < order->len; i++)
    {
      FieldStats *s = g_ptr_array_index (order, i);

      g_print ("%-20s %6u %6u %6u %7.0f%% %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "\n",
               s->key, s->n_right, s->n_wrong, s->n_missing, 100.0 * s->n_right / MAX (1, s->n_seen),
               s->typed, s->assisted);
      typed += s->typed;
      assisted += s->assisted;
    }
  g_print ("%-20s %6s %6s %6s %8s %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "\n",
           "total", "", "", "", "", typed, assisted);

  g_array_sort (times, compare_doubles);
  g_print ("auto-fill on opening a record: median %.1f ms, slowest %.1f ms (%u records)\n",
           g_array_index (times, double, times->len / 2), g_array_index (times, double, times->len - 1),
           times->len);
  g_print ("keystrokes saved: %.0f%%\n", typed ? 100.0 * (typed - (double) assisted) / typed : 0.0);

  if (!keep)
    {
      g_autoptr(GError) rm_error = NULL;
      g_autoptr(GSubprocess) rm = NULL;

      g_clear_object (&context);
      rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &rm_error, "rm", "-rf", dir, NULL);
      if (rm)
        g_subprocess_wait (rm, NULL, NULL);
    }
  return 0;
}
