/* check-form-schemas.c: check built-in form schemas against their format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * check-form-schemas FILE.json…
 *
 * Checks the shape of the JSON files in data/schemas/ independently of the
 * core's loader, so that a typo in the data ("requried", a missing
 * Vietnamese label, text not in NFC) fails the data suite with the file and
 * field named. The format is the one ARCHITECTURE.md describes; the member
 * lists below must follow it when the format grows.
 */

#define G_LOG_DOMAIN "sohoa-datachecks"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  const char *path;
  guint       n_errors;
} Check;

static const char * const root_members[] = {
  "id", "version", "title", "record_type", "description", "fields", "rules", NULL,
};

static const char * const field_members[] = {
  "key", "label", "type", "required", "critical", "sensitive",
  "max_length", "help", "codes", "hints", NULL,
};

static const char * const field_types[] = {
  "text", "person-name", "date", "cccd", "cmnd", "code", "hcmc-unit",
  "number", "doc-number", NULL,
};

/* Keys whose values are sensitive personal data (ethnic origin, health). */
static const char * const sensitive_suffixes[] = {
  "DanToc", "NguyenNhanChet", NULL,
};

G_GNUC_PRINTF (3, 4)
static void
fail (Check      *check,
      const char *where,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s: %s\n", check->path, where, message);
  check->n_errors++;
}

static gboolean
matches (const char *pattern,
         const char *text)
{
  return g_regex_match_simple (pattern, text, 0, 0);
}

static void
check_members (Check              *check,
               const char         *where,
               JsonObject         *object,
               const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (object);
  const GList *l;

  for (l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        fail (check, where, "unknown member “%s”", (const char *) l->data);
    }
}

static const char *
get_string (Check      *check,
            const char *where,
            JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL
      || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (check, where, "“%s” must be a string", member);
      return NULL;
    }

  return json_node_get_string (node);
}

static void
check_text (Check      *check,
            const char *where,
            const char *text)
{
  g_autofree char *nfc = NULL;

  if (text == NULL)
    return;

  nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  if (g_strcmp0 (nfc, text) != 0)
    fail (check, where, "“%s” is not in Unicode NFC", text);
  if (*text == '\0' || g_ascii_isspace (text[0]) || g_ascii_isspace (text[strlen (text) - 1]))
    fail (check, where, "text is empty or has surrounding spaces: “%s”", text);
}

/* "label", "title" and "help" are {"en": …, "vi": …}. */
static void
check_localized (Check      *check,
                 const char *where,
                 JsonObject *parent,
                 const char *member)
{
  static const char * const languages[] = { "en", "vi", NULL };
  g_autofree char *here = g_strdup_printf ("%s.%s", where, member);
  JsonNode *node = json_object_get_member (parent, member);
  JsonObject *object;
  guint i;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (check, where, "“%s” must be an object with “en” and “vi”", member);
      return;
    }

  object = json_node_get_object (node);
  check_members (check, here, object, languages);
  for (i = 0; languages[i] != NULL; i++)
    {
      if (!json_object_has_member (object, languages[i]))
        {
          fail (check, here, "missing “%s”", languages[i]);
          continue;
        }
      check_text (check, here, get_string (check, here, object, languages[i]));
    }
}

static void
check_optional_boolean (Check      *check,
                        const char *where,
                        JsonObject *object,
                        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL
      && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN))
    fail (check, where, "“%s” must be true or false", member);
}

static gboolean
get_positive_integer (JsonNode *node,
                      gint64   *value)
{
  if (node == NULL
      || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);
  return *value >= 1;
}

static void
check_codes (Check      *check,
             const char *where,
             JsonNode   *node)
{
  static const char * const code_members[] = { "code", "label", NULL };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *codes;
  guint i;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (json_node_get_array (node)) == 0)
    {
      fail (check, where, "a code field needs a non-empty “codes” array");
      return;
    }

  codes = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (codes); i++)
    {
      g_autofree char *here = g_strdup_printf ("%s.codes[%u]", where, i);
      JsonNode *element = json_array_get_element (codes, i);
      JsonObject *object;
      const char *code;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          fail (check, here, "must be an object");
          continue;
        }

      object = json_node_get_object (element);
      check_members (check, here, object, code_members);
      code = get_string (check, here, object, "code");
      if (code != NULL)
        {
          if (*code == '\0')
            fail (check, here, "empty code");
          else if (!g_hash_table_add (seen, (gpointer) code))
            fail (check, here, "duplicate code “%s”", code);
        }
      check_localized (check, here, object, "label");
    }
}

static void
check_field (Check      *check,
             JsonNode   *node,
             guint       index,
             GHashTable *keys)
{
  g_autofree char *here = g_strdup_printf ("fields[%u]", index);
  JsonObject *field;
  const char *key;
  const char *type;
  gint64 max_length;
  guint i;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (check, here, "must be an object");
      return;
    }

  field = json_node_get_object (node);
  key = get_string (check, here, field, "key");
  if (key != NULL)
    {
      g_free (here);
      here = g_strdup_printf ("fields[%u] “%s”", index, key);

      if (!matches ("^[A-Za-z][A-Za-z0-9_]*$", key))
        fail (check, here, "key must match ^[A-Za-z][A-Za-z0-9_]*$");
      if (!g_hash_table_add (keys, (gpointer) key))
        fail (check, here, "duplicate key");
    }

  check_members (check, here, field, field_members);
  check_localized (check, here, field, "label");

  type = get_string (check, here, field, "type");
  if (type != NULL && !g_strv_contains (field_types, type))
    fail (check, here, "unknown type “%s”", type);

  check_optional_boolean (check, here, field, "required");
  check_optional_boolean (check, here, field, "critical");
  check_optional_boolean (check, here, field, "sensitive");

  if (json_object_has_member (field, "max_length")
      && !get_positive_integer (json_object_get_member (field, "max_length"), &max_length))
    fail (check, here, "“max_length” must be a whole number of at least 1");

  if (json_object_has_member (field, "help"))
    check_localized (check, here, field, "help");

  if (g_strcmp0 (type, "code") == 0)
    check_codes (check, here, json_object_get_member (field, "codes"));
  else if (json_object_has_member (field, "codes"))
    fail (check, here, "only fields of type “code” have “codes”");

  for (i = 0; key != NULL && sensitive_suffixes[i] != NULL; i++)
    {
      if (g_str_has_suffix (key, sensitive_suffixes[i])
          && !json_object_get_boolean_member_with_default (field, "sensitive", FALSE))
        fail (check, here, "must be marked \"sensitive\": true (NĐ 13/2023, Luật 91/2025)");
    }
}

static void
check_file (Check *check)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *basename = NULL;
  g_autofree char *stem = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *fields;
  const char *id;
  gint64 version;
  guint i;

  if (!json_parser_load_from_file (parser, check->path, &error))
    {
      fail (check, "file", "%s", error->message);
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (check, "file", "the top level must be an object");
      return;
    }

  object = json_node_get_object (root);
  check_members (check, "schema", object, root_members);

  id = get_string (check, "schema", object, "id");
  basename = g_path_get_basename (check->path);
  stem = g_str_has_suffix (basename, ".json") ? g_strndup (basename, strlen (basename) - 5) : g_strdup (basename);
  if (id != NULL && !matches ("^[a-z0-9-]+\\.[a-z0-9-]+$", id))
    fail (check, "schema", "id “%s” must be area.kind, e.g. ho-tich.khai-sinh", id);
  if (id != NULL && g_strcmp0 (id, stem) != 0)
    fail (check, "schema", "id “%s” differs from the file name", id);

  if (!get_positive_integer (json_object_get_member (object, "version"), &version))
    fail (check, "schema", "“version” must be a whole number of at least 1");

  check_localized (check, "schema", object, "title");
  check_text (check, "schema.record_type", get_string (check, "schema", object, "record_type"));

  fields = json_object_get_member (object, "fields");
  if (fields == NULL || !JSON_NODE_HOLDS_ARRAY (fields)
      || json_array_get_length (json_node_get_array (fields)) == 0)
    {
      fail (check, "schema", "“fields” must be a non-empty array");
      return;
    }

  for (i = 0; i < json_array_get_length (json_node_get_array (fields)); i++)
    check_field (check, json_array_get_element (json_node_get_array (fields), i), i, keys);
}

int
main (int   argc,
      char *argv[])
{
  guint n_errors = 0;
  int i;

  setlocale (LC_ALL, "");

  if (argc < 2)
    {
      g_printerr ("usage: %s FILE.json…\n", argv[0]);
      return 2;
    }

  for (i = 1; i < argc; i++)
    {
      Check check = { argv[i], 0 };

      check_file (&check);
      if (check.n_errors == 0)
        g_print ("%s: ok\n", check.path);
      n_errors += check.n_errors;
    }

  return n_errors == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
