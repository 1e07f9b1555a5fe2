/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The input side of a package's records.csv and records.json: any text as
 * keys and values.  The first byte gives the number of columns (1 to 8);
 * the rest, split at NUL bytes, is the cells, row after row, the first row
 * being the keys.  Checked: the CSV is UTF-8 with a byte-order mark and
 * reads back (RFC 4180) as the same rows of the same cells; the JSON of
 * the records (every row after the first) is UTF-8 and json-glib reads
 * back the same keys and values; what comes back is the text in NFC, as
 * _sohoa_package_clean_text() makes it. */
#include "sohoa-fuzz.h"
#include "sohoa-package-private.h"

#include <string.h>

#define MAX_COLUMNS 8

static char *
clean_or_empty (const char *text)
{
  return _sohoa_package_clean_text (text ? text : "");
}

/* An RFC 4180 reader, strict: CRLF after every row, quotes only around a
 * whole cell.  Returns the rows (GPtrArray of GPtrArray of char *). */
static GPtrArray *
read_csv (const char *text,
          gsize       length)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  const char *p = text;
  const char *end = text + length;

  while (p < end)
    {
      GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (rows, row);
      for (;;)
        {
          GString *cell = g_string_new (NULL);

          if (p < end && *p == '"')
            {
              for (p++;; p++)
                {
                  g_assert (p < end);   /* an unterminated quote */
                  if (*p == '"' && p + 1 < end && p[1] == '"')
                    {
                      g_string_append_c (cell, '"');
                      p++;
                    }
                  else if (*p == '"')
                    {
                      p++;
                      break;
                    }
                  else
                    g_string_append_c (cell, *p);
                }
            }
          else
            {
              for (; p < end && *p != ',' && *p != '\r'; p++)
                {
                  g_assert (*p != '"' && *p != '\n');
                  g_string_append_c (cell, *p);
                }
            }
          g_ptr_array_add (row, g_string_free (cell, FALSE));
          g_assert (p < end);   /* every row ends in CRLF */
          if (*p == ',')
            {
              p++;
              continue;
            }
          g_assert (p + 1 < end && p[0] == '\r' && p[1] == '\n');
          p += 2;
          break;
        }
    }
  return rows;
}

static void
check_csv (GPtrArray *table,
           guint      n_columns)
{
  g_autoptr(GString) out = g_string_new (SOHOA_PACKAGE_CSV_BOM);
  g_autoptr(GPtrArray) rows = NULL;
  const char *body;

  for (guint r = 0; r < table->len; r++)
    _sohoa_package_append_csv_row (out, (const char * const *) ((GPtrArray *) g_ptr_array_index (table, r))->pdata,
                                   n_columns);
  g_assert (g_utf8_validate_len (out->str, out->len, NULL));
  g_assert (g_str_has_prefix (out->str, SOHOA_PACKAGE_CSV_BOM));
  body = out->str + strlen (SOHOA_PACKAGE_CSV_BOM);

  rows = read_csv (body, out->len - (gsize) (body - out->str));
  g_assert_cmpuint (rows->len, ==, table->len);
  for (guint r = 0; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      GPtrArray *cells = g_ptr_array_index (table, r);

      g_assert_cmpuint (row->len, ==, n_columns);
      for (guint c = 0; c < n_columns; c++)
        {
          g_autofree char *want = clean_or_empty (g_ptr_array_index (cells, c));

          g_assert_cmpstr (g_ptr_array_index (row, c), ==, want);
        }
    }
}

/* The expected members of one record, clean key → clean text (NULL for a
 * missing value), as the writer is given @keys, @values and @states. */
static void
add_record (JsonBuilder *builder,
            GPtrArray   *keys,
            GPtrArray   *values,
            GPtrArray   *states,
            GHashTable  *want_value,
            GHashTable  *want_state)
{
  g_autoptr(GHashTable) value_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) state_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) key_list = g_ptr_array_new ();

  for (guint c = 0; c < keys->len; c++)
    {
      const char *k = g_ptr_array_index (keys, c) ? g_ptr_array_index (keys, c) : "";

      /* A key given twice: the writer's table keeps one value, the last. */
      g_ptr_array_add (key_list, (gpointer) k);
      if (g_ptr_array_index (values, c))
        g_hash_table_insert (value_of, (gpointer) k, g_ptr_array_index (values, c));
      else
        g_hash_table_remove (value_of, k);
      if (states && g_ptr_array_index (states, c))
        g_hash_table_insert (state_of, (gpointer) k, g_ptr_array_index (states, c));
      else
        g_hash_table_remove (state_of, k);
    }
  /* Keys that differ only in normalization become one member: the last. */
  for (guint c = 0; c < key_list->len; c++)
    {
      const char *k = g_ptr_array_index (key_list, c);

      g_hash_table_insert (want_value, _sohoa_package_clean_text (k),
                           _sohoa_package_clean_text (g_hash_table_lookup (value_of, k)));
      g_hash_table_insert (want_state, _sohoa_package_clean_text (k),
                           _sohoa_package_clean_text (g_hash_table_lookup (state_of, k)));
    }
  _sohoa_package_add_json_fields (builder, key_list, value_of, state_of);
}

static void
check_record (JsonNode   *node,
              GHashTable *want_value,
              GHashTable *want_state)
{
  JsonObject *object;
  GHashTableIter iter;
  gpointer key, value;

  g_assert (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, g_hash_table_size (want_value));
  g_hash_table_iter_init (&iter, want_value);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonNode *field = json_object_get_member (object, key);
      const char *state = g_hash_table_lookup (want_state, key);
      JsonObject *pair;

      g_assert (field != NULL && JSON_NODE_HOLDS_OBJECT (field));
      pair = json_node_get_object (field);
      g_assert (json_object_has_member (pair, "value") && json_object_has_member (pair, "state"));
      if (value == NULL)
        g_assert (json_object_get_null_member (pair, "value"));
      else
        g_assert_cmpstr (json_object_get_string_member (pair, "value"), ==, value);
      if (state == NULL)
        g_assert (json_object_get_null_member (pair, "state"));
      else
        g_assert_cmpstr (json_object_get_string_member (pair, "state"), ==, state);
    }
}

/* records.json: an array of records, the first row's cells being the
 * keys, each other row the values and the row before it the states. */
static void
check_json (GPtrArray *table)
{
  g_autoptr(GPtrArray) wants = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *array;
  gsize length;

  json_builder_begin_array (builder);
  for (guint r = 1; r < table->len; r++)
    {
      GHashTable *want_value = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      GHashTable *want_state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      g_ptr_array_add (wants, want_value);
      g_ptr_array_add (wants, want_state);
      add_record (builder, g_ptr_array_index (table, 0), g_ptr_array_index (table, r),
                  r > 1 ? g_ptr_array_index (table, r - 1) : NULL, want_value, want_state);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  g_assert (g_utf8_validate_len (text, length, NULL));

  if (!json_parser_load_from_data (parser, text, (gssize) length, &error))
    g_error ("fuzz-writers: the JSON does not read back: %s", error->message);
  g_assert (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, table->len - 1);
  for (guint i = 0; i < json_array_get_length (array); i++)
    check_record (json_array_get_element (array, i), g_ptr_array_index (wants, 2 * i),
                  g_ptr_array_index (wants, 2 * i + 1));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) table = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = NULL;
  const char *p;
  const char *end;
  guint n_columns;

  sohoa_fuzz_init ();
  if (size < 1)
    return 0;
  n_columns = 1 + data[0] % MAX_COLUMNS;

  p = (const char *) data + 1;
  end = (const char *) data + size;
  for (;;)
    {
      const char *nul = p < end ? memchr (p, '\0', (size_t) (end - p)) : NULL;
      const char *stop = nul ? nul : end;

      if (row == NULL)
        {
          row = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (table, row);
        }
      g_ptr_array_add (row, g_strndup (p, (gsize) (stop - p)));
      if (row->len == n_columns)
        row = NULL;
      if (nul == NULL)
        break;
      p = nul + 1;
      /* A NUL at the very end closes a full row rather than opening one. */
      if (p == end && row == NULL)
        break;
    }
  /* The last row is padded with missing (NULL) cells. */
  while (row && row->len < n_columns)
    g_ptr_array_add (row, NULL);

  check_csv (table, n_columns);
  check_json (table);
  return 0;
}
