/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "search-bench"

/* search-bench: how fast sohoa_store_search() answers on a big workspace.
 *
 *   search-bench [--records N] [--queries N] [--dir DIR] [--seed S]
 *
 * Writes N birth records (default 1,000,000) with realistic Vietnamese
 * names (surnames weighted by their share, middle and given names by sex),
 * dates, places and numbers into a real workspace database, indexes them
 * as a workspace does when it opens, then times random queries the way
 * clerks type them: unaccented, accented, partial, prefixes, old tone
 * placement, name with a year.  Loading is not the figure and is printed
 * apart; the figure is the p50/p95/p99 latency of sohoa_store_search()
 * with the window's limit of 50 hits. */

#include "config.h"

#include "sohoa-core.h"
#include "sohoa-core-private.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct
{
  GPtrArray *surnames;
  GArray    *surname_weights;   /* cumulative, double */
  GPtrArray *places;
} Names;

static const char * const male_middle[] = {
  "Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Ngọc", "Hoàng", "Gia", "Tuấn", "Anh",
};
static const char * const female_middle[] = {
  "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Phương", "Hồng", "Bảo", "Mỹ", "Khánh",
};
/* Both tone placements occur in registers: "Hoà" and "Hòa", "Thuỷ" and "Thủy". */
static const char * const male_given[] = {
  "An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hoà", "Hòa", "Hùng",
  "Huy", "Khang", "Khoa", "Khôi", "Lâm", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Nhân", "Phong", "Phúc",
  "Quang", "Quân", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh", "Toàn", "Trí", "Trung", "Tuấn", "Tùng",
  "Việt", "Vinh", "Vũ", "Khoẻ", "Thuỵ",
};
static const char * const female_given[] = {
  "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Lan", "Linh",
  "Loan", "Mai", "My", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thuỷ", "Thủy",
  "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Yến", "Xoan", "Diệp", "Châu", "Hoà", "Như", "Nhi",
};

static char *
read_file_or_die (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("%s", error->message);
  return contents;
}

static void
load_names (Names      *names,
            const char *surnames_csv,
            const char *units_csv)
{
  g_autofree char *surnames = read_file_or_die (surnames_csv);
  g_autofree char *units = read_file_or_die (units_csv);
  g_auto(GStrv) lines = NULL;
  double total = 0;

  names->surnames = g_ptr_array_new_with_free_func (g_free);
  names->surname_weights = g_array_new (FALSE, FALSE, sizeof (double));
  names->places = g_ptr_array_new_with_free_func (g_free);

  lines = g_strsplit (surnames, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], ",", 3);
      double share;

      if (cols[0] == NULL || *cols[0] == '\0')
        continue;
      /* Surnames without a published share get the share of a rare one. */
      share = cols[1] && *cols[1] ? g_ascii_strtod (cols[1], NULL) : 0.3;
      total += share;
      g_ptr_array_add (names->surnames, g_strdup (cols[0]));
      g_array_append_val (names->surname_weights, total);
    }
  g_clear_pointer (&lines, g_strfreev);

  lines = g_strsplit (units, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], ",", 3);

      if (cols[0] && cols[1] && *cols[1])
        g_ptr_array_add (names->places, g_strdup_printf ("%s, TP. Hồ Chí Minh", cols[1]));
    }
  if (names->surnames->len == 0 || names->places->len == 0)
    g_error ("No names or places in %s, %s", surnames_csv, units_csv);
}

static const char *
pick (GRand              *rand,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (rand, 0, (gint32) n)];
}

static const char *
pick_surname (GRand *rand,
              Names *names)
{
  double total = g_array_index (names->surname_weights, double, names->surname_weights->len - 1);
  double x = g_rand_double (rand) * total;

  for (guint i = 0; i < names->surname_weights->len; i++)
    if (x < g_array_index (names->surname_weights, double, i))
      return g_ptr_array_index (names->surnames, i);
  return g_ptr_array_index (names->surnames, names->surnames->len - 1);
}

static char *
make_name (GRand   *rand,
           Names   *names,
           gboolean female)
{
  if (female)
    return g_strdup_printf ("%s %s %s", pick_surname (rand, names),
                            pick (rand, female_middle, G_N_ELEMENTS (female_middle)),
                            pick (rand, female_given, G_N_ELEMENTS (female_given)));
  return g_strdup_printf ("%s %s %s", pick_surname (rand, names),
                          pick (rand, male_middle, G_N_ELEMENTS (male_middle)),
                          pick (rand, male_given, G_N_ELEMENTS (male_given)));
}

static char *
make_date (GRand *rand,
           int    from_year,
           int    to_year)
{
  return g_strdup_printf ("%02d/%02d/%04d", g_rand_int_range (rand, 1, 29), g_rand_int_range (rand, 1, 13),
                          g_rand_int_range (rand, from_year, to_year + 1));
}

static void
check (sqlite3 *db,
       int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

static sqlite3_stmt *
prepare_or_die (sqlite3    *db,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  check (db, sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL));
  return stmt;
}

/* One sample person per 200 records, kept to build queries from. */
typedef struct
{
  char *name;
  char *mother;
  char *birth_date;
} Person;

static void
person_clear (gpointer data)
{
  Person *person = data;

  g_free (person->name);
  g_free (person->mother);
  g_free (person->birth_date);
}

static void
bulk_load (SohoaStore  *store,
           SohoaUser   *admin,
           const char  *schema_id,
           Names       *names,
           GRand       *rand,
           guint        n_records,
           GArray      *sample)
{
  sqlite3 *db = _sohoa_store_get_db (store);
  g_autoptr(sqlite3_stmt) doc = prepare_or_die (db, "INSERT INTO documents (batch_id, position) VALUES (?, ?)");
  g_autoptr(sqlite3_stmt) rec = prepare_or_die (db, "INSERT INTO records (document_id, schema_id, schema_version, created_at, updated_at) VALUES (?, ?, 1, 0, 0)");
  g_autoptr(sqlite3_stmt) val = prepare_or_die (db, "INSERT INTO field_values (record_id, key, value, state, updated_by, updated_at) VALUES (?, ?, ?, 'filled', ?, 0)");
  const guint per_batch = 1000;
  gint64 batch_id = 0;
  gint64 user_id = sohoa_user_get_id (admin);

  /* Loading speed is not what is measured: no fsync while loading. */
  check (db, sqlite3_exec (db, "PRAGMA synchronous = OFF", NULL, NULL, NULL));

  for (guint i = 0; i < n_records; i++)
    {
      gboolean female = g_rand_boolean (rand);
      g_autofree char *name = make_name (rand, names, female);
      g_autofree char *mother = make_name (rand, names, TRUE);
      g_autofree char *father = make_name (rand, names, FALSE);
      g_autofree char *birth = make_date (rand, 1950, 2025);
      g_autofree char *registered = make_date (rand, 1950, 2025);
      g_autofree char *number = g_strdup_printf ("%u", g_rand_int_range (rand, 1, 900));
      g_autofree char *book = g_strdup_printf ("%02u/%u", g_rand_int_range (rand, 1, 20), g_rand_int_range (rand, 1950, 2026));
      g_autofree char *id_number = g_strdup_printf ("079%d%02u%06u", g_rand_int_range (rand, 0, 4),
                                                    g_rand_int_range (rand, 0, 100), g_rand_int_range (rand, 0, 1000000));
      const char *place = g_ptr_array_index (names->places, g_rand_int_range (rand, 0, (gint32) names->places->len));
      const char *home = g_ptr_array_index (names->places, g_rand_int_range (rand, 0, (gint32) names->places->len));
      const char *fields[][2] = {
        { "so", number }, { "quyenSo", book }, { "ngayDangKy", registered }, { "nksHoTen", name },
        { "nksGioiTinh", female ? "2" : "1" }, { "nksNgaySinh", birth }, { "nksNoiSinh", place },
        { "nksDanToc", "01" }, { "nksSoDinhDanh", id_number }, { "meHoTen", mother }, { "chaHoTen", father },
        { "chaNoiCuTru", home },
      };
      gint64 document_id, record_id;

      if (i % per_batch == 0)
        {
          g_autofree char *title = g_strdup_printf ("Sổ khai sinh %u", i / per_batch + 1);
          g_autoptr(SohoaBatch) batch = NULL;
          g_autoptr(GError) error = NULL;

          if (i > 0)
            check (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL));
          if (!(batch = sohoa_store_create_batch (store, admin, schema_id, title, &error)))
            g_error ("%s", error->message);
          batch_id = sohoa_batch_get_id (batch);
          check (db, sqlite3_exec (db, "BEGIN", NULL, NULL, NULL));
          if (i % 100000 == 0 && i > 0)
            g_printerr ("  %u records\n", i);
        }

      sqlite3_reset (doc);
      sqlite3_bind_int64 (doc, 1, batch_id);
      sqlite3_bind_int (doc, 2, (int) (i % per_batch));
      check (db, sqlite3_step (doc));
      document_id = sqlite3_last_insert_rowid (db);

      sqlite3_reset (rec);
      sqlite3_bind_int64 (rec, 1, document_id);
      sqlite3_bind_text (rec, 2, schema_id, -1, SQLITE_STATIC);
      check (db, sqlite3_step (rec));
      record_id = sqlite3_last_insert_rowid (db);

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          g_autofree char *nfc = sohoa_text_normalize (fields[f][1]);

          sqlite3_reset (val);
          sqlite3_bind_int64 (val, 1, record_id);
          sqlite3_bind_text (val, 2, fields[f][0], -1, SQLITE_STATIC);
          sqlite3_bind_text (val, 3, nfc, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (val, 4, user_id);
          check (db, sqlite3_step (val));
        }

      if (i % 200 == 0)
        {
          Person person = { g_strdup (name), g_strdup (mother), g_strdup (birth) };
          g_array_append_val (sample, person);
        }
    }
  check (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL));
  check (db, sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL));
}

static char *
strip_marks (const char *text)
{
  return sohoa_text_fold (text);
}

/* Old-style tone placement (hoà, thuỷ) for a name written new-style. */
static char *
old_tone_style (const char *text)
{
  static const char * const pairs[][2] = {
    { "òa", "oà" }, { "óa", "oá" }, { "ỏa", "oả" }, { "õa", "oã" }, { "ọa", "oạ" },
    { "ủy", "uỷ" }, { "úy", "uý" }, { "ụy", "uỵ" }, { "òe", "oè" }, { "ỏe", "oẻ" },
  };
  char *out = g_strdup (text);

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_auto(GStrv) parts = g_strsplit (out, pairs[i][0], -1);
      g_free (out);
      out = g_strjoinv (pairs[i][1], parts);
    }
  return out;
}

/* The first @n letters of each word. */
static char *
prefixes (const char *text,
          guint       n)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; words[i]; i++)
    {
      const char *end = words[i];

      for (guint k = 0; k < n && *end; k++)
        end = g_utf8_next_char (end);
      if (out->len)
        g_string_append_c (out, ' ');
      g_string_append_len (out, words[i], end - words[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
make_query (GRand  *rand,
            GArray *sample,
            guint   kind)
{
  Person *p = &g_array_index (sample, Person, g_rand_int_range (rand, 0, (gint32) sample->len));
  g_auto(GStrv) words = g_strsplit (p->name, " ", -1);
  g_autofree char *plain = strip_marks (p->name);

  switch (kind)
    {
    case 0: return g_strdup (plain);                                           /* nguyen van an */
    case 1: return g_strdup (p->name);                                         /* Nguyễn Văn An */
    case 2: return g_strdup_printf ("%s %s", words[0], words[2]);              /* Nguyễn An */
    case 3: return prefixes (plain, 3);                                        /* ngu van an */
    case 4: return old_tone_style (p->name);                                   /* Lê Văn Hoà */
    case 5: return g_strdup_printf ("%s %s", words[2], p->birth_date + 6);     /* An 2015 */
    case 6: { g_autofree char *m = strip_marks (p->mother); return g_strdup_printf ("%s %s", plain, m); }
    default: return g_strdup_printf ("%s %s", words[1], words[2]);             /* Văn An */
    }
}

static const char * const kind_names[] = {
  "unaccented full name", "accented full name", "surname + given", "3-letter prefixes",
  "old tone placement", "given name + birth year", "child + mother", "middle + given",
};

/* CPU time of this thread: the machine the figures are taken on is shared,
 * and wall time also counts the time other processes had the cores. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint index = (guint) (p * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, MIN (index, sorted->len - 1));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = sohoa_context_find_data_dir ();
  g_autofree char *surnames_csv = NULL;
  g_autofree char *units_csv = g_build_filename (data_dir, "reference", "hcmc-units.csv", NULL);
  g_autofree char *schemas_dir = g_build_filename (data_dir, "schemas", NULL);
  g_autofree char *db_path = NULL;
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GListStore) schemas = g_list_store_new (SOHOA_TYPE_SCHEMA);
  g_autoptr(SohoaSchema) schema = NULL;
  g_autoptr(SohoaStore) store = NULL;
  g_autoptr(SohoaUser) admin = NULL;
  g_autoptr(GArray) sample = g_array_new (FALSE, FALSE, sizeof (Person));
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GError) error = NULL;
  Names names = { 0 };
  int n_records = 1000000;
  int n_queries = 2000;
  int seed = 1;
  gint64 start;
  double load_s, index_s;
  double kind_sum[G_N_ELEMENTS (kind_names)] = { 0 };
  guint kind_n[G_N_ELEMENTS (kind_names)] = { 0 };
  guint kind_hits[G_N_ELEMENTS (kind_names)] = { 0 };
  guint n_empty = 0;
  GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT, &n_records, "Records to write (default 1000000)", "N" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries, "Queries to time (default 2000)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Workspace folder to write (default: a new temporary one)", "DIR" },
    { "surnames", 0, 0, G_OPTION_ARG_FILENAME, &surnames_csv, "Surname CSV (default bench/data/vietnamese-surnames.csv)", "FILE" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default 1)", "S" },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (n_records < 1000 || n_queries < 1)
    g_error ("--records must be at least 1000 and --queries at least 1");

  if (surnames_csv == NULL)
    surnames_csv = g_build_filename (BENCH_SOURCE_DIR, "data", "vietnamese-surnames.csv", NULL);
  if (dir == NULL && !(dir = g_dir_make_tmp ("search-bench-XXXXXX", &error)))
    g_error ("%s", error->message);
  db_path = g_build_filename (dir, "sohoa.db", NULL);
  if (g_file_test (db_path, G_FILE_TEST_EXISTS))
    g_error ("%s already exists; give an empty --dir", db_path);

  load_names (&names, surnames_csv, units_csv);
  rand = g_rand_new_with_seed ((guint32) seed);

  /* The birth schema, whatever its id: the one with the child's name. */
  sohoa_schema_load_dir (schemas, schemas_dir);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (schemas)) && !schema; i++)
    {
      g_autoptr(SohoaSchema) candidate = g_list_model_get_item (G_LIST_MODEL (schemas), i);

      if (sohoa_schema_lookup_field (candidate, "nksHoTen"))
        schema = g_steal_pointer (&candidate);
    }
  if (schema == NULL)
    g_error ("No birth schema in %s", schemas_dir);

  if (!(store = sohoa_store_open (db_path, &error)) ||
      !(admin = sohoa_store_initialize (store, "26734", "Phường Bến Thành", "bench", "Bench", "bench-pw", &error)))
    g_error ("%s", error->message);

  g_print ("search-bench: %d records, %d queries, seed %d, workspace %s\n", n_records, n_queries, seed, dir);
  start = g_get_monotonic_time ();
  bulk_load (store, admin, sohoa_schema_get_id (schema), &names, rand, (guint) n_records, sample);
  load_s = (g_get_monotonic_time () - start) / 1e6;

  /* What a workspace does when it opens and meets a schema it has not
   * indexed yet. */
  start = g_get_monotonic_time ();
  if (!sohoa_store_register_search_fields (store, schema, &error))
    g_error ("%s", error->message);
  index_s = (g_get_monotonic_time () - start) / 1e6;
  g_print ("loaded in %.1f s, indexed in %.1f s (not the figure)\n", load_s, index_s);

  /* A few untimed queries so the timings are of a warm cache, as for a
   * clerk who has been working a while. */
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *query = make_query (rand, sample, i % G_N_ELEMENTS (kind_names));
      g_autoptr(GListModel) hits = sohoa_store_search (store, query, SOHOA_SEARCH_DEFAULT_LIMIT, NULL);
    }

  for (int i = 0; i < n_queries; i++)
    {
      guint kind = (guint) i % G_N_ELEMENTS (kind_names);
      g_autofree char *query = make_query (rand, sample, kind);
      g_autoptr(GListModel) hits = NULL;
      double ms, cpu_ms;

      start = g_get_monotonic_time ();
      cpu_ms = thread_cpu_ms ();
      if (!(hits = sohoa_store_search (store, query, SOHOA_SEARCH_DEFAULT_LIMIT, &error)))
        g_error ("%s", error->message);
      cpu_ms = thread_cpu_ms () - cpu_ms;
      ms = (g_get_monotonic_time () - start) / 1e3;
      g_array_append_val (times, ms);
      g_array_append_val (cpu_times, cpu_ms);
      kind_sum[kind] += ms;
      kind_n[kind]++;
      kind_hits[kind] += g_list_model_get_n_items (hits);
      n_empty += g_list_model_get_n_items (hits) == 0;
    }

  for (guint k = 0; k < G_N_ELEMENTS (kind_names); k++)
    g_print ("  %-26s mean %6.2f ms, %5.1f hits\n", kind_names[k], kind_sum[k] / MAX (kind_n[k], 1),
             (double) kind_hits[k] / MAX (kind_n[k], 1));
  g_array_sort (times, compare_double);
  g_array_sort (cpu_times, compare_double);
  g_print ("queries without a hit: %u (should be 0: every query names a stored person)\n", n_empty);
  g_print ("search latency over %d queries on %d records: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n",
           n_queries, n_records, percentile (times, 0.50), percentile (times, 0.95),
           percentile (times, 0.99), g_array_index (times, double, times->len - 1));
  g_print ("CPU time per query (this thread): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n",
           percentile (cpu_times, 0.50), percentile (cpu_times, 0.95),
           percentile (cpu_times, 0.99), g_array_index (cpu_times, double, cpu_times->len - 1));

  g_array_set_clear_func (sample, person_clear);
  g_ptr_array_unref (names.surnames);
  g_array_unref (names.surname_weights);
  g_ptr_array_unref (names.places);
  return n_empty == 0 ? 0 : 1;
}
