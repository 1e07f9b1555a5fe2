/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-schema"

#include "config.h"

#include "sohoa-core.h"

#include <string.h>

static void
test_builtin_schemas (void)
{
  g_autofree char *data_dir = sohoa_context_find_data_dir ();
  static const char * const ids[] = { "ho-tich.khai-sinh", "ho-tich.ket-hon", "ho-tich.khai-tu" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.json", ids[i]);
      g_autofree char *path = g_build_filename (data_dir, "schemas", name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(SohoaSchema) schema = sohoa_schema_new_from_file (file, &error);
      gboolean has_critical = FALSE;

      g_assert_no_error (error);
      g_assert_cmpstr (sohoa_schema_get_id (schema), ==, ids[i]);
      g_assert_cmpuint (sohoa_schema_get_version (schema), >=, 1);
      g_assert_cmpuint (sohoa_schema_get_n_fields (schema), >=, 10);
      /* Every record is a register entry: its number comes first. */
      g_assert_nonnull (sohoa_schema_lookup_field (schema, "so"));
      g_assert_nonnull (sohoa_schema_lookup_field (schema, "ngayDangKy"));

      for (guint j = 0; j < sohoa_schema_get_n_fields (schema); j++)
        {
          const SohoaSchemaField *field = sohoa_schema_get_field (schema, j);

          g_assert_true (g_utf8_validate (field->label, -1, NULL));
          g_assert_cmpstr (field->label, !=, "");
          if (field->type == SOHOA_FIELD_CODE)
            g_assert_cmpuint (field->codes->len, >, 0);
          has_critical |= field->critical;
        }
      g_assert_true (has_critical);
    }
}

static void
test_localized_labels (void)
{
  const char *json =
    "{\"id\": \"t\", \"version\": 2, \"title\": {\"en\": \"Test\", \"vi\": \"Thử\"},"
    " \"fields\": [{\"key\": \"a\", \"label\": {\"en\": \"Name\", \"vi\": \"Họ tên\"}, \"type\": \"person-name\","
    "   \"required\": true, \"critical\": true, \"max_length\": 50},"
    "  {\"key\": \"g\", \"label\": \"Giới tính\", \"type\": \"code\","
    "   \"codes\": [{\"code\": \"1\", \"label\": {\"en\": \"Male\", \"vi\": \"Nam\"}}]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaSchema) schema = NULL;
  const SohoaSchemaField *field;

  g_setenv ("LANGUAGE", "vi", TRUE);
  schema = sohoa_schema_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sohoa_schema_get_title (schema), ==, "Thử");
  field = sohoa_schema_get_field (schema, 0);
  g_assert_cmpstr (field->label, ==, "Họ tên");
  g_assert_cmpint (field->type, ==, SOHOA_FIELD_PERSON_NAME);
  g_assert_true (field->required && field->critical);
  g_assert_cmpuint (field->max_length, ==, 50);
  field = sohoa_schema_lookup_field (schema, "g");
  g_assert_cmpstr (field->label, ==, "Giới tính");
  g_assert_cmpstr (((SohoaSchemaCode *) g_ptr_array_index (field->codes, 0))->label, ==, "Nam");
  g_unsetenv ("LANGUAGE");
}

/* Each malformed schema is refused with a message that says where. */
static const struct {
  const char *json;
  const char *where;
} bad_schemas[] = {
  { "", "/" },
  { "{\"id\": ", "JSON" },
  { "[1, 2]", "/" },
  { "{\"id\": \"x y\", \"version\": 1, \"title\": \"T\", \"fields\": [{\"key\": \"a\", \"label\": \"A\"}]}", "id" },
  { "{\"id\": \"x\", \"version\": 0, \"title\": \"T\", \"fields\": [{\"key\": \"a\", \"label\": \"A\"}]}", "version" },
  { "{\"id\": \"x\", \"version\": 1, \"fields\": [{\"key\": \"a\", \"label\": \"A\"}]}", "title" },
  { "{\"id\": \"x\", \"version\": 1, \"title\": \"T\", \"fields\": []}", "fields" },
  { "{\"id\": \"x\", \"version\": 1, \"title\": \"T\", \"fields\": [{\"key\": \"1a\", \"label\": \"A\"}]}", "fields[0]" },
  { "{\"id\": \"x\", \"version\": 1, \"title\": \"T\", \"fields\": [{\"key\": \"a\"}]}", "fields[0].label" },
  { "{\"id\": \"x\", \"version\": 1, \"title\": \"T\", \"fields\": [{\"key\": \"a\", \"label\": \"A\", \"type\": \"colour\"}]}", "fields[0]" },
  { "{\"id\": \"x\", \"version\": 1, \"title\": \"T\", \"fields\": [{\"key\": \"a\", \"label\": \"A\", \"type\": \"code\"}]}", "fields[0].codes" },
  { "{\"id\": \"x\", \"version\": 1, \"title\": \"T\", \"fields\": [{\"key\": \"a\", \"label\": \"A\"}, {\"key\": \"a\", \"label\": \"B\"}]}", "fields[1].key" },
  { "{\"id\": \"x\", \"version\": 1, \"title\": \"T\", \"fields\": [{\"key\": \"a\", \"label\": \"A\", \"required\": \"yes\"}]}", "fields[0].required" },
  { "{\"id\": \"x\", \"version\": 1, \"title\": \"T\", \"fields\": [{\"key\": \"a\", \"label\": \"A\", \"max_length\": -3}]}", "fields[0]" },
  { "{\"id\": \"x\", \"version\": 1, \"title\": {\"vi\": 5}, \"fields\": [{\"key\": \"a\", \"label\": \"A\"}]}", "title" },
};

static void
test_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_schemas); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SohoaSchema) schema = sohoa_schema_new_from_data (bad_schemas[i].json, -1, &error);

      g_test_message ("case %u: %s", i, error ? error->message : "(accepted)");
      g_assert_null (schema);
      g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA);
      g_assert_nonnull (strstr (error->message, bad_schemas[i].where));
    }
}

static void
test_not_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaSchema) schema = sohoa_schema_new_from_data ("{\"id\": \"\xff\"}", -1, &error);

  g_assert_null (schema);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schema/builtin", test_builtin_schemas);
  g_test_add_func ("/schema/localized-labels", test_localized_labels);
  g_test_add_func ("/schema/malformed", test_malformed);
  g_test_add_func ("/schema/not-utf8", test_not_utf8);

  return g_test_run ();
}
