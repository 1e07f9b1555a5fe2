/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-schema"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-schema.h"
#include "sohoa-vntext.h"

#include <json-glib/json-glib.h>
#include <string.h>

struct _SohoaSchema
{
  GObject    parent_instance;

  char      *id;
  char      *title;
  guint      version;
  GPtrArray *fields;        /* SohoaSchemaField */
  GPtrArray *rules;         /* SohoaSchemaRule */
  gboolean   double_keying; /* critical fields are keyed twice, blind */
};

G_DEFINE_FINAL_TYPE (SohoaSchema, sohoa_schema, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Largest schema we accept: a malformed or hostile file must not eat memory. */
#define MAX_SCHEMA_BYTES (1024 * 1024)
#define MAX_FIELDS 500

static const char * const field_type_names[] = {
  "text", "person-name", "date", "cccd", "cmnd", "code", "hcmc-unit", "number", "doc-number",
};

static void
code_free (gpointer data)
{
  SohoaSchemaCode *code = data;

  g_free (code->code);
  g_free (code->label);
  g_free (code->label_vi);
  g_free (code);
}

static void
hint_free (SohoaSchemaHint *hint)
{
  if (hint == NULL)
    return;
  g_strfreev (hint->anchors);
  g_free (hint->after);
  g_free (hint->before);
  g_clear_pointer (&hint->pattern, g_regex_unref);
  g_free (hint);
}

static void
rule_free (gpointer data)
{
  SohoaSchemaRule *rule = data;

  g_free (rule->first);
  g_free (rule->second);
  g_free (rule->value);
  g_free (rule->message);
  g_free (rule);
}

static void
field_free (gpointer data)
{
  SohoaSchemaField *field = data;

  g_clear_pointer (&field->hint, hint_free);
  g_free (field->key);
  g_free (field->label);
  g_free (field->help);
  g_clear_pointer (&field->codes, g_ptr_array_unref);
  g_free (field);
}

static gboolean
schema_error (GError     **error,
              const char  *where,
              const char  *problem)
{
  /* Translators: "where" is a place in the file like fields[3].label */
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA, _("Invalid form schema at %s: %s"), where, problem);
  return FALSE;
}

/* A label is either a plain string or {"en": …, "vi": …}; pick the one for
 * the user's language, falling back to English, then to any. */
static char *
localized_string (JsonNode    *node,
                  const char  *where,
                  gboolean     required,
                  GError     **error)
{
  const char * const *languages = g_get_language_names ();
  JsonObject *object;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        schema_error (error, where, _("a text is required"));
      return NULL;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return sohoa_text_normalize (json_node_get_string (node));

  if (!JSON_NODE_HOLDS_OBJECT (node) || json_object_get_size (object = json_node_get_object (node)) == 0)
    {
      schema_error (error, where, _("expected a text or an object of translations"));
      return NULL;
    }

  for (guint i = 0; languages[i]; i++)
    {
      const char *lang = g_str_equal (languages[i], "C") ? "en" : languages[i];
      JsonNode *member = json_object_get_member (object, lang);

      if (member && JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
        return sohoa_text_normalize (json_node_get_string (member));
    }

  {
    g_autoptr(GList) members = json_object_get_values (object);
    JsonNode *first = json_object_get_member (object, "en");

    if (first == NULL)
      first = members->data;
    if (!JSON_NODE_HOLDS_VALUE (first) || json_node_get_value_type (first) != G_TYPE_STRING)
      {
        schema_error (error, where, _("translations must be texts"));
        return NULL;
      }
    return sohoa_text_normalize (json_node_get_string (first));
  }
}

/* The Vietnamese text of a label already checked by localized_string(). */
static char *
vietnamese_string (JsonNode *node)
{
  JsonNode *vi;

  if (JSON_NODE_HOLDS_VALUE (node))
    return sohoa_text_normalize (json_node_get_string (node));
  vi = json_object_get_member (json_node_get_object (node), "vi");
  if (vi && JSON_NODE_HOLDS_VALUE (vi) && json_node_get_value_type (vi) == G_TYPE_STRING)
    return sohoa_text_normalize (json_node_get_string (vi));
  return NULL;
}

static gboolean
is_identifier (const char *str,
               const char *extra)
{
  if (str == NULL || *str == '\0' || strlen (str) > 64)
    return FALSE;
  for (const char *p = str; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *member,
          const char  *where,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *at = g_strdup_printf ("%s.%s", where, member);
      return schema_error (error, at, _("expected true or false"));
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A member that must be a string: @absent when the schema leaves it out,
 * NULL when it is something else (json-glib's _with_default() getters
 * assert on a null, an array or an object; a schema file is outside
 * data). */
static const char *
string_member (JsonObject *object,
               const char *member,
               const char *absent)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return absent;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static GPtrArray *
parse_codes (JsonNode    *node,
             const char  *where,
             GError     **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (code_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (array = json_node_get_array (node)) == 0)
    {
      schema_error (error, where, _("a code field needs a non-empty list of codes"));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *at = g_strdup_printf ("%s[%u]", where, i);
      g_autofree char *label_at = g_strdup_printf ("%s.label", at);
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *object;
      const char *code;
      SohoaSchemaCode *entry;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          schema_error (error, at, _("expected an object with a code and a label"));
          return NULL;
        }
      object = json_node_get_object (item);
      code = string_member (object, "code", NULL);
      if (code == NULL || *code == '\0' || strlen (code) > 32)
        {
          schema_error (error, at, _("the code is missing"));
          return NULL;
        }
      if (!g_hash_table_add (seen, (gpointer) code))
        {
          schema_error (error, at, _("the code is listed twice"));
          return NULL;
        }

      entry = g_new0 (SohoaSchemaCode, 1);
      entry->code = g_strdup (code);
      g_ptr_array_add (codes, entry);
      if (!(entry->label = localized_string (json_object_get_member (object, "label"), label_at, TRUE, error)))
        return NULL;
      entry->label_vi = vietnamese_string (json_object_get_member (object, "label"));
    }

  return g_steal_pointer (&codes);
}

/* A misspelt member ("requried") would silently change a form: refuse it. */
static gboolean
check_members (JsonObject          *object,
               const char          *where,
               const char * const  *allowed,
               GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *problem = g_strdup_printf (_("unknown member “%s”"), (const char *) l->data);
        return schema_error (error, where, problem);
      }
  return TRUE;
}

static char *
get_text (JsonObject  *object,
          const char  *member,
          const char  *where,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    {
      g_autofree char *at = g_strdup_printf ("%s.%s", where, member);
      schema_error (error, at, _("expected a text"));
      return NULL;
    }
  return sohoa_text_normalize (json_node_get_string (node));
}

static SohoaSchemaHint *
parse_hint (JsonNode    *node,
            const char  *where,
            GError     **error)
{
  static const char * const allowed[] = { "anchors", "after", "before", "pattern", "zone", "multiline", NULL };
  g_autoptr(GStrvBuilder) anchors = g_strv_builder_new ();
  g_autoptr(GError) local_error = NULL;
  SohoaSchemaHint *hint;
  JsonObject *object;
  JsonNode *member;
  gboolean has_anchor = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      schema_error (error, where, _("expected an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  if (!check_members (object, where, allowed, error))
    return NULL;

  hint = g_new0 (SohoaSchemaHint, 1);

  if ((member = json_object_get_member (object, "anchors")))
    {
      g_autofree char *at = g_strdup_printf ("%s.anchors", where);
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (member) || json_array_get_length (array = json_node_get_array (member)) == 0)
        {
          schema_error (error, at, _("expected a non-empty list of label texts"));
          goto failed;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          g_autofree char *folded = NULL;
          g_autofree char *anchor = NULL;

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING ||
              !*(folded = sohoa_text_fold (json_node_get_string (item))) ||
              strspn (folded, " ,.:;-/()") == strlen (folded))
            {
              schema_error (error, at, _("an anchor must be a label text with letters"));
              goto failed;
            }
          anchor = sohoa_text_normalize (json_node_get_string (item));
          g_strv_builder_add (anchors, anchor);
          has_anchor = TRUE;
        }
    }
  hint->anchors = g_strv_builder_end (anchors);

  hint->after = get_text (object, "after", where, &local_error);
  if (!local_error)
    hint->before = get_text (object, "before", where, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }

  if ((member = json_object_get_member (object, "pattern")))
    {
      g_autofree char *at = g_strdup_printf ("%s.pattern", where);

      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        {
          schema_error (error, at, _("expected a regular expression"));
          goto failed;
        }
      if (!(hint->pattern = g_regex_new (json_node_get_string (member), G_REGEX_CASELESS, 0, &local_error)))
        {
          g_autofree char *problem = g_strdup_printf (_("the regular expression is not valid (%s)"), local_error->message);
          schema_error (error, at, problem);
          goto failed;
        }
    }

  if ((member = json_object_get_member (object, "zone")))
    {
      g_autofree char *at = g_strdup_printf ("%s.zone", where);
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
      gboolean ok = array && json_array_get_length (array) == 4;

      for (guint i = 0; ok && i < 4; i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          GType type = JSON_NODE_HOLDS_VALUE (item) ? json_node_get_value_type (item) : G_TYPE_INVALID;

          ok = type == G_TYPE_DOUBLE || type == G_TYPE_INT64;
          if (ok)
            hint->zone[i] = json_node_get_double (item);
          ok = ok && hint->zone[i] >= 0 && hint->zone[i] <= 1;
        }
      if (!ok || hint->zone[2] <= 0 || hint->zone[3] <= 0 ||
          hint->zone[0] + hint->zone[2] > 1.0001 || hint->zone[1] + hint->zone[3] > 1.0001)
        {
          schema_error (error, at, _("expected [x, y, width, height] as fractions of the page, inside it"));
          goto failed;
        }
      hint->has_zone = TRUE;
    }

  if (!get_bool (object, "multiline", where, &hint->multiline, error))
    goto failed;

  if (!has_anchor && hint->pattern == NULL && !hint->has_zone)
    {
      schema_error (error, where, _("a hint needs anchors, a pattern or a zone"));
      goto failed;
    }

  return hint;

failed:
  hint_free (hint);
  return NULL;
}

static SohoaSchemaField *
parse_field (JsonNode    *node,
             guint        index,
             GError     **error)
{
  static const char * const allowed[] = {
    "key", "label", "type", "required", "critical", "sensitive", "max_length", "help", "codes", "hints", NULL,
  };
  g_autofree char *where = g_strdup_printf ("fields[%u]", index);
  g_autofree char *label_at = NULL;
  g_autofree char *help_at = NULL;
  g_autofree char *codes_at = NULL;
  g_autofree char *hints_at = NULL;
  g_autoptr(GError) local_error = NULL;
  SohoaSchemaField *field;
  JsonObject *object;
  const char *key;
  const char *type;
  gboolean found = FALSE;
  JsonNode *max_length;
  JsonNode *hints;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      schema_error (error, where, _("expected an object"));
      return NULL;
    }
  object = json_node_get_object (node);

  key = string_member (object, "key", NULL);
  if (!is_identifier (key, "_") || g_ascii_isdigit (*key))
    {
      schema_error (error, where, _("the key must be letters, digits and underscores, starting with a letter"));
      return NULL;
    }

  /* From here on, errors name the field by its key too. */
  g_free (where);
  where = g_strdup_printf ("fields[%u] “%s”", index, key);
  label_at = g_strdup_printf ("%s.label", where);
  help_at = g_strdup_printf ("%s.help", where);
  codes_at = g_strdup_printf ("%s.codes", where);
  hints_at = g_strdup_printf ("%s.hints", where);

  if (!check_members (object, where, allowed, error))
    return NULL;

  field = g_new0 (SohoaSchemaField, 1);
  field->key = g_strdup (key);

  if (!(type = string_member (object, "type", "text")))
    type = "";
  for (guint i = 0; i < G_N_ELEMENTS (field_type_names) && !found; i++)
    if (g_strcmp0 (type, field_type_names[i]) == 0)
      {
        field->type = (SohoaFieldType) i;
        found = TRUE;
      }
  if (!found)
    {
      g_autofree char *problem = g_strdup_printf (_("unknown field type “%s”"), type);
      schema_error (error, where, problem);
      goto failed;
    }

  if (!(field->label = localized_string (json_object_get_member (object, "label"), label_at, TRUE, error)))
    goto failed;
  field->help = localized_string (json_object_get_member (object, "help"), help_at, FALSE, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }

  if (!get_bool (object, "required", where, &field->required, error) ||
      !get_bool (object, "critical", where, &field->critical, error) ||
      !get_bool (object, "sensitive", where, &field->sensitive, error))
    goto failed;

  if ((max_length = json_object_get_member (object, "max_length")))
    {
      gint64 n = JSON_NODE_HOLDS_VALUE (max_length) && json_node_get_value_type (max_length) == G_TYPE_INT64
                 ? json_node_get_int (max_length) : -1;

      if (n < 1 || n > 100000)
        {
          schema_error (error, where, _("max_length must be a positive whole number"));
          goto failed;
        }
      field->max_length = (guint) n;
    }

  if (field->type == SOHOA_FIELD_CODE &&
      !(field->codes = parse_codes (json_object_get_member (object, "codes"), codes_at, error)))
    goto failed;
  if (field->type != SOHOA_FIELD_CODE && json_object_has_member (object, "codes"))
    {
      schema_error (error, codes_at, _("only a field of type “code” has a list of codes"));
      goto failed;
    }

  if ((hints = json_object_get_member (object, "hints")) &&
      !(field->hint = parse_hint (hints, hints_at, error)))
    goto failed;

  return field;

failed:
  field_free (field);
  return NULL;
}

static SohoaSchemaRule *
parse_rule (JsonNode    *node,
            guint        index,
            GHashTable  *keys,
            GError     **error)
{
  static const char * const allowed[] = { "kind", "earlier", "later", "field", "when", "equals", "message", NULL };
  g_autofree char *where = g_strdup_printf ("rules[%u]", index);
  g_autofree char *message_at = g_strdup_printf ("%s.message", where);
  g_autoptr(GError) local_error = NULL;
  SohoaSchemaRule *rule;
  JsonObject *object;
  const char *kind;
  const char *first_member;
  const char *second_member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      schema_error (error, where, _("expected an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  if (!check_members (object, where, allowed, error))
    return NULL;

  rule = g_new0 (SohoaSchemaRule, 1);
  if (!(kind = string_member (object, "kind", "")))
    kind = "";
  if (g_str_equal (kind, "date-order"))
    {
      rule->kind = SOHOA_RULE_DATE_ORDER;
      first_member = "earlier";
      second_member = "later";
    }
  else if (g_str_equal (kind, "required-if"))
    {
      rule->kind = SOHOA_RULE_REQUIRED_IF;
      first_member = "field";
      second_member = "when";
    }
  else
    {
      g_autofree char *problem = g_strdup_printf (_("unknown rule kind “%s” (expected date-order or required-if)"), kind);
      schema_error (error, where, problem);
      goto failed;
    }

  rule->first = g_strdup (string_member (object, first_member, NULL));
  rule->second = g_strdup (string_member (object, second_member, NULL));
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? rule->first : rule->second;

      if (name == NULL || !g_hash_table_contains (keys, name))
        {
          g_autofree char *at = g_strdup_printf ("%s.%s", where, i == 0 ? first_member : second_member);
          schema_error (error, at, _("expected the key of a field of this form"));
          goto failed;
        }
    }
  if (rule->kind == SOHOA_RULE_REQUIRED_IF &&
      !(rule->value = g_strdup (string_member (object, "equals", NULL))))
    {
      g_autofree char *at = g_strdup_printf ("%s.equals", where);
      schema_error (error, at, _("expected the value that makes the field required"));
      goto failed;
    }

  rule->message = localized_string (json_object_get_member (object, "message"), message_at, FALSE, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }
  return rule;

failed:
  rule_free (rule);
  return NULL;
}

static gboolean
parse_schema (SohoaSchema  *self,
              JsonNode     *root,
              GError      **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *object;
  JsonNode *version;
  JsonNode *fields;
  JsonArray *array;
  const char *id;

  static const char * const allowed[] = { "id", "version", "title", "record_type", "description", "fields", "rules", "double_keying", NULL };
  JsonNode *rules;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return schema_error (error, "/", _("expected an object"));
  object = json_node_get_object (root);
  if (!check_members (object, "/", allowed, error))
    return FALSE;

  id = string_member (object, "id", NULL);
  if (!is_identifier (id, "-_."))
    return schema_error (error, "id", _("expected an identifier such as “ho-tich.khai-sinh”"));
  self->id = g_strdup (id);

  version = json_object_get_member (object, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) < 1 || json_node_get_int (version) > G_MAXINT)
    return schema_error (error, "version", _("expected a whole number of 1 or more"));
  self->version = (guint) json_node_get_int (version);

  if (!(self->title = localized_string (json_object_get_member (object, "title"), "title", TRUE, error)))
    return FALSE;
  if (!get_bool (object, "double_keying", "schema", &self->double_keying, error))
    return FALSE;

  fields = json_object_get_member (object, "fields");
  if (fields == NULL || !JSON_NODE_HOLDS_ARRAY (fields) ||
      json_array_get_length (array = json_node_get_array (fields)) == 0)
    return schema_error (error, "fields", _("a form needs at least one field"));
  if (json_array_get_length (array) > MAX_FIELDS)
    return schema_error (error, "fields", _("too many fields"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      SohoaSchemaField *field = parse_field (json_array_get_element (array, i), i, error);

      if (field == NULL)
        return FALSE;
      g_ptr_array_add (self->fields, field);
      if (!g_hash_table_add (keys, field->key))
        {
          g_autofree char *where = g_strdup_printf ("fields[%u] “%s”", i, field->key);
          g_autofree char *problem = g_strdup_printf (_("the key “%s” is used twice"), field->key);
          return schema_error (error, where, problem);
        }
    }

  if ((rules = json_object_get_member (object, "rules")))
    {
      if (!JSON_NODE_HOLDS_ARRAY (rules))
        return schema_error (error, "rules", _("expected a list of rules"));
      array = json_node_get_array (rules);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          SohoaSchemaRule *rule = parse_rule (json_array_get_element (array, i), i, keys, error);

          if (rule == NULL)
            return FALSE;
          g_ptr_array_add (self->rules, rule);
        }
    }

  return TRUE;
}

static void
sohoa_schema_finalize (GObject *object)
{
  SohoaSchema *self = (SohoaSchema *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);

  G_OBJECT_CLASS (sohoa_schema_parent_class)->finalize (object);
}

static void
sohoa_schema_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SohoaSchema *self = SOHOA_SCHEMA (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_VERSION: g_value_set_uint (value, self->version); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_schema_class_init (SohoaSchemaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sohoa_schema_finalize;
  object_class->get_property = sohoa_schema_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERSION] = g_param_spec_uint ("version", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sohoa_schema_init (SohoaSchema *self)
{
  self->fields = g_ptr_array_new_with_free_func (field_free);
  self->rules = g_ptr_array_new_with_free_func (rule_free);
}

/**
 * sohoa_schema_new_from_data:
 *
 * Parses and checks a form schema.  Errors name the place in the file.
 */
SohoaSchema *
sohoa_schema_new_from_data (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(SohoaSchema) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (length < 0)
    length = strlen (data);
  if (length > MAX_SCHEMA_BYTES)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA, _("The form schema is too large."));
      return NULL;
    }
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA, _("The form schema is not UTF-8 text."));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA,
                   _("The form schema is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  self = g_object_new (SOHOA_TYPE_SCHEMA, NULL);
  if (!parse_schema (self, json_parser_get_root (parser), error))
    return NULL;

  return g_steal_pointer (&self);
}

SohoaSchema *
sohoa_schema_new_from_file (GFile   *file,
                            GError **error)
{
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  gsize length;
  SohoaSchema *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!g_file_load_contents (file, NULL, &data, &length, NULL, error))
    return NULL;

  if (!(self = sohoa_schema_new_from_data (data, length, error)))
    {
      name = g_file_get_basename (file);
      g_prefix_error (error, "%s: ", name);
    }
  return self;
}

const char *
sohoa_schema_get_id (SohoaSchema *self)
{
  g_return_val_if_fail (SOHOA_IS_SCHEMA (self), NULL);
  return self->id;
}

guint
sohoa_schema_get_version (SohoaSchema *self)
{
  g_return_val_if_fail (SOHOA_IS_SCHEMA (self), 0);
  return self->version;
}

const char *
sohoa_schema_get_title (SohoaSchema *self)
{
  g_return_val_if_fail (SOHOA_IS_SCHEMA (self), NULL);
  return self->title;
}

/**
 * sohoa_schema_get_double_keying:
 *
 * Returns: whether a second clerk keys the critical fields again, blind
 */
gboolean
sohoa_schema_get_double_keying (SohoaSchema *self)
{
  g_return_val_if_fail (SOHOA_IS_SCHEMA (self), FALSE);
  return self->double_keying;
}

guint
sohoa_schema_get_n_fields (SohoaSchema *self)
{
  g_return_val_if_fail (SOHOA_IS_SCHEMA (self), 0);
  return self->fields->len;
}

const SohoaSchemaField *
sohoa_schema_get_field (SohoaSchema *self,
                        guint        index)
{
  g_return_val_if_fail (SOHOA_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (index < self->fields->len, NULL);
  return g_ptr_array_index (self->fields, index);
}

const SohoaSchemaField *
sohoa_schema_lookup_field (SohoaSchema *self,
                           const char  *key)
{
  g_return_val_if_fail (SOHOA_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      const SohoaSchemaField *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field->key, key))
        return field;
    }
  return NULL;
}

guint
sohoa_schema_get_n_rules (SohoaSchema *self)
{
  g_return_val_if_fail (SOHOA_IS_SCHEMA (self), 0);
  return self->rules->len;
}

const SohoaSchemaRule *
sohoa_schema_get_rule (SohoaSchema *self,
                       guint        index)
{
  g_return_val_if_fail (SOHOA_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (index < self->rules->len, NULL);
  return g_ptr_array_index (self->rules, index);
}

/**
 * sohoa_schema_field_lookup_code:
 * @text: a code ("2") or a label as written ("Nữ", "nu")
 *
 * Returns: (nullable): the code of @field that @text is or names, comparing
 *   labels with diacritics folded; %NULL if none
 */
const char *
sohoa_schema_field_lookup_code (const SohoaSchemaField *field,
                                const char             *text)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (field->codes == NULL)
    return NULL;
  for (guint i = 0; i < field->codes->len; i++)
    {
      const SohoaSchemaCode *code = g_ptr_array_index (field->codes, i);

      if (g_str_equal (code->code, text))
        return code->code;
    }
  folded = sohoa_text_fold (text);
  g_strstrip (folded);
  for (guint i = 0; i < field->codes->len; i++)
    {
      const SohoaSchemaCode *code = g_ptr_array_index (field->codes, i);
      g_autofree char *label = sohoa_text_fold (code->label);
      g_autofree char *label_vi = code->label_vi ? sohoa_text_fold (code->label_vi) : NULL;

      if (g_str_equal (g_strstrip (label), folded) || (label_vi && g_str_equal (g_strstrip (label_vi), folded)))
        return code->code;
    }
  return NULL;
}

const char *
sohoa_field_type_to_string (SohoaFieldType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (field_type_names), NULL);
  return field_type_names[type];
}

static int
compare_schemas (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_strcmp0 (sohoa_schema_get_id ((SohoaSchema *) a), sohoa_schema_get_id ((SohoaSchema *) b));
}

/**
 * sohoa_schema_load_dir:
 * @schemas: a list of #SohoaSchema, sorted by id, to add to
 *
 * Loads every *.json of @dir; a schema with the id of one already in
 * @schemas replaces it only with a higher version.  A broken file is
 * reported and skipped, so one bad schema cannot stop the workstation.
 */
void
sohoa_schema_load_dir (GListStore *schemas,
                       const char *dir)
{
  g_autoptr(GDir) listing = NULL;
  const char *name;

  g_return_if_fail (G_IS_LIST_STORE (schemas));
  g_return_if_fail (dir != NULL);

  if (!(listing = g_dir_open (dir, 0, NULL)))
    return;

  while ((name = g_dir_read_name (listing)))
    {
      g_autofree char *path = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(SohoaSchema) schema = NULL;
      g_autoptr(GError) error = NULL;
      guint n = g_list_model_get_n_items (G_LIST_MODEL (schemas));
      gboolean replaced = FALSE;

      if (!g_str_has_suffix (name, ".json"))
        continue;

      path = g_build_filename (dir, name, NULL);
      file = g_file_new_for_path (path);
      if (!(schema = sohoa_schema_new_from_file (file, &error)))
        {
          g_warning ("Skipping form schema: %s", error->message);
          continue;
        }

      for (guint i = 0; i < n && !replaced; i++)
        {
          g_autoptr(SohoaSchema) old = g_list_model_get_item (G_LIST_MODEL (schemas), i);

          if (g_str_equal (sohoa_schema_get_id (old), sohoa_schema_get_id (schema)))
            {
              if (sohoa_schema_get_version (schema) > sohoa_schema_get_version (old))
                g_list_store_splice (schemas, i, 1, (gpointer *) &schema, 1);
              replaced = TRUE;
            }
        }
      if (!replaced)
        g_list_store_insert_sorted (schemas, schema, compare_schemas, NULL);
    }
}
