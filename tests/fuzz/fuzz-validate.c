/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Record validation: a record as JSON ({"key": "value", ...}) checked
 * against the built-in birth schema, as a whole and field by field. */
#include "sohoa-context.h"
#include "sohoa-fuzz.h"
#include "sohoa-validate.h"

#include <json-glib/json-glib.h>

static SohoaValidator *validator;
static SohoaSchema *schema;

static void
setup (void)
{
  g_autofree char *data_dir = sohoa_context_find_data_dir ();
  g_autofree char *path = g_build_filename (data_dir, "schemas", "ho-tich.khai-sinh.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  if (!(validator = sohoa_validator_new (data_dir, &error)) ||
      !(schema = sohoa_schema_new_from_file (file, &error)))
    g_error ("fuzz-validate: %s", error->message);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;
  JsonNode *root;

  sohoa_fuzz_init ();
  if (validator == NULL)
    setup ();
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &key, &node))
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_hash_table_insert (values, g_strdup (key), g_strdup (json_node_get_string (node)));
    }

  problems = sohoa_validator_check_record (validator, schema, values);
  g_assert (problems != NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      SohoaProblem *problem = g_ptr_array_index (problems, i);

      g_assert (problem->key != NULL && problem->message != NULL);
    }
  for (guint i = 0; i < sohoa_schema_get_n_fields (schema); i++)
    {
      const SohoaSchemaField *field = sohoa_schema_get_field (schema, i);
      g_autoptr(GPtrArray) field_problems = sohoa_validator_check_field (validator, schema, field->key, values);

      g_assert (field_problems != NULL);
    }
  return 0;
}
