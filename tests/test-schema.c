/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-schema"

#include "config.h"

#include "sohoa-core.h"

#include <glib/gstdio.h>

#include <string.h>

static void
test_builtin_schemas (void)
{
  g_autofree char *data_dir = sohoa_context_find_data_dir ();
  static const char * const ids[] = {
    "ho-tich.khai-sinh", "ho-tich.ket-hon", "ho-tich.khai-tu", "luu-tru.ho-so", "luu-tru.van-ban",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.json", ids[i]);
      g_autofree char *path = g_build_filename (data_dir, "schemas", name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(SohoaSchema) schema = sohoa_schema_new_from_file (file, &error);
      gboolean has_critical = FALSE;
      guint n_hints = 0;

      g_assert_no_error (error);
      g_assert_cmpstr (sohoa_schema_get_id (schema), ==, ids[i]);
      g_assert_cmpuint (sohoa_schema_get_version (schema), >=, 1);
      g_assert_cmpuint (sohoa_schema_get_n_fields (schema), >=, 10);
      /* Every civil-status record is a register entry: its number comes
       * first; the archival ones carry the TT 05/2025 keys. */
      if (g_str_has_prefix (ids[i], "ho-tich."))
        {
          g_assert_nonnull (sohoa_schema_lookup_field (schema, "so"));
          g_assert_nonnull (sohoa_schema_lookup_field (schema, "quyenSo"));
          g_assert_nonnull (sohoa_schema_lookup_field (schema, "ngayDangKy"));
        }
      else
        {
          g_assert_nonnull (sohoa_schema_lookup_field (schema, "maintenance"));
          g_assert_nonnull (sohoa_schema_lookup_field (schema, "language"));
        }
      g_assert_cmpuint (sohoa_schema_get_n_rules (schema), <, 10);

      for (guint j = 0; j < sohoa_schema_get_n_fields (schema); j++)
        {
          const SohoaSchemaField *field = sohoa_schema_get_field (schema, j);

          g_assert_true (g_utf8_validate (field->label, -1, NULL));
          g_assert_cmpstr (field->label, !=, "");
          if (field->type == SOHOA_FIELD_CODE)
            g_assert_cmpuint (field->codes->len, >, 0);
          n_hints += field->hint != NULL;
          has_critical |= field->critical;
        }
      g_assert_true (has_critical);
      g_assert_cmpuint (n_hints, >=, 5);
      if (i == 0)
        g_assert_cmpint (sohoa_schema_lookup_field (schema, "nksSoDinhDanh")->type, ==, SOHOA_FIELD_CCCD);
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

/* Each malformed schema is refused with a message that says where (the
 * field by its key) and what is wrong. */
#define HEAD "{\"id\": \"x.y\", \"version\": 1, \"title\": \"T\", \"fields\": ["
static const struct {
  const char *json;
  const char *where;
  const char *problem;
} bad_schemas[] = {
  { "", "/", "" },
  { "{\"id\": ", "JSON", "" },
  { "[1, 2]", "/", "" },
  { "{\"id\": \"x y\", \"version\": 1, \"title\": \"T\", \"fields\": [{\"key\": \"a\", \"label\": \"A\"}]}", "id", "identifier" },
  { "{\"id\": \"x\", \"version\": 0, \"title\": \"T\", \"fields\": [{\"key\": \"a\", \"label\": \"A\"}]}", "version", "whole number" },
  { "{\"id\": \"x\", \"version\": 1, \"fields\": [{\"key\": \"a\", \"label\": \"A\"}]}", "title", "" },
  { HEAD "]}", "fields", "at least one field" },
  { HEAD "{\"key\": \"1a\", \"label\": \"A\"}]}", "fields[0]", "key" },
  { HEAD "{\"key\": \"a\"}]}", "fields[0] “a”.label", "required" },
  { HEAD "{\"key\": \"ten\", \"label\": \"A\", \"type\": \"colour\"}]}", "fields[0] “ten”", "unknown field type “colour”" },
  { HEAD "{\"key\": \"g\", \"label\": \"A\", \"type\": \"code\"}]}", "fields[0] “g”.codes", "list of codes" },
  { HEAD "{\"key\": \"g\", \"label\": \"A\", \"type\": \"code\", \"codes\": [{\"code\": \"1\", \"label\": \"Nam\"}, {\"code\": \"1\", \"label\": \"Nữ\"}]}]}",
    "fields[0] “g”.codes[1]", "listed twice" },
  { HEAD "{\"key\": \"g\", \"label\": \"A\", \"type\": \"code\", \"codes\": [{\"label\": \"Nam\"}]}]}", "fields[0] “g”.codes[0]", "code is missing" },
  { HEAD "{\"key\": \"g\", \"label\": \"A\", \"codes\": [{\"code\": \"1\", \"label\": \"Nam\"}]}]}", "fields[0] “g”.codes", "only a field of type" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\"}, {\"key\": \"a\", \"label\": \"B\"}]}", "fields[1] “a”", "used twice" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\", \"required\": \"yes\"}]}", "fields[0] “a”.required", "true or false" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\", \"max_length\": -3}]}", "fields[0] “a”", "max_length" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\", \"requried\": true}]}", "fields[0] “a”", "unknown member “requried”" },
  { "{\"id\": \"x\", \"version\": 1, \"title\": {\"vi\": 5}, \"fields\": [{\"key\": \"a\", \"label\": \"A\"}]}", "title", "" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\", \"hints\": {\"anchors\": [\"Họ tên:\"], \"pattern\": \"([0-9]+\"}}]}",
    "fields[0] “a”.hints.pattern", "regular expression is not valid" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\", \"hints\": {\"anchors\": []}}]}", "fields[0] “a”.hints.anchors", "non-empty list" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\", \"hints\": {\"anchors\": [\" : \"]}}]}", "fields[0] “a”.hints.anchors", "letters" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\", \"hints\": {\"zone\": [0.5, 0, 0.8, 1]}}]}", "fields[0] “a”.hints.zone", "fractions" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\", \"hints\": {\"multiline\": true}}]}", "fields[0] “a”.hints", "anchors, a pattern or a zone" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\", \"hints\": {\"anchor\": [\"A:\"]}}]}", "fields[0] “a”.hints", "unknown member “anchor”" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\", \"type\": \"date\"}], \"rules\": [{\"kind\": \"date-order\", \"earlier\": \"a\", \"later\": \"b\"}]}",
    "rules[0].later", "key of a field" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\"}], \"rules\": [{\"kind\": \"sum\"}]}", "rules[0]", "unknown rule kind “sum”" },
  { HEAD "{\"key\": \"a\", \"label\": \"A\"}, {\"key\": \"b\", \"label\": \"B\"}], \"rules\": [{\"kind\": \"required-if\", \"field\": \"a\", \"when\": \"b\"}]}",
    "rules[0].equals", "value" },
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
      g_assert_nonnull (strstr (error->message, bad_schemas[i].problem));
    }
}

/* Loading from a file names the file first. */
static void
test_malformed_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sohoa-schema-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaSchema) schema = NULL;

  g_assert_true (g_file_set_contents (path, HEAD "{\"key\": \"nksHoTen\", \"label\": \"A\", \"type\": \"nom\"}]}", -1, NULL));
  schema = sohoa_schema_new_from_file (file, &error);
  g_assert_null (schema);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA);
  g_assert_true (g_str_has_prefix (error->message, "broken.json: "));
  g_assert_nonnull (strstr (error->message, "“nksHoTen”"));
  g_assert_nonnull (strstr (error->message, "“nom”"));
  g_unlink (path);
  g_rmdir (dir);
}

/* Hints and rules as the loader hands them to auto-fill and the validator. */
static void
test_hints_and_rules (void)
{
  const char *json =
    HEAD "{\"key\": \"ten\", \"label\": \"Tên\", \"type\": \"person-name\","
    "  \"hints\": {\"anchors\": [\"Ho, chữ đệm, tên:\"], \"before\": \"Người mẹ:\", \"multiline\": true}},"
    " {\"key\": \"ngay\", \"label\": \"Ngày\", \"type\": \"date\", \"hints\": {\"zone\": [0.5, 0, 0.5, 0.25], \"pattern\": \"ngày (.*)\"}},"
    " {\"key\": \"dk\", \"label\": \"Ngày ĐK\", \"type\": \"date\"},"
    " {\"key\": \"g\", \"label\": \"Giới tính\", \"type\": \"code\","
    "  \"codes\": [{\"code\": \"1\", \"label\": {\"en\": \"Male\", \"vi\": \"Nam\"}}, {\"code\": \"2\", \"label\": {\"en\": \"Female\", \"vi\": \"Nữ\"}}]}],"
    " \"rules\": [{\"kind\": \"date-order\", \"earlier\": \"ngay\", \"later\": \"dk\", \"message\": {\"en\": \"Wrong order\"}},"
    "   {\"kind\": \"required-if\", \"field\": \"ten\", \"when\": \"g\", \"equals\": \"2\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaSchema) schema = sohoa_schema_new_from_data (json, -1, &error);
  const SohoaSchemaField *field;
  const SohoaSchemaRule *rule;

  g_assert_no_error (error);
  field = sohoa_schema_lookup_field (schema, "ten");
  g_assert_nonnull (field->hint);
  g_assert_cmpuint (g_strv_length (field->hint->anchors), ==, 1);
  g_assert_cmpstr (field->hint->before, ==, "Người mẹ:");
  g_assert_true (field->hint->multiline);
  g_assert_false (field->hint->has_zone);
  field = sohoa_schema_lookup_field (schema, "ngay");
  g_assert_true (field->hint->has_zone);
  g_assert_cmpfloat (field->hint->zone[0], ==, 0.5);
  g_assert_nonnull (field->hint->pattern);
  g_assert_null (sohoa_schema_lookup_field (schema, "dk")->hint);

  field = sohoa_schema_lookup_field (schema, "g");
  g_assert_cmpstr (sohoa_schema_field_lookup_code (field, "2"), ==, "2");
  g_assert_cmpstr (sohoa_schema_field_lookup_code (field, "Nữ"), ==, "2");
  g_assert_cmpstr (sohoa_schema_field_lookup_code (field, "NỮ"), ==, "2");
  g_assert_cmpstr (sohoa_schema_field_lookup_code (field, "Female"), ==, "2");
  g_assert_null (sohoa_schema_field_lookup_code (field, "Nu na"));

  g_assert_cmpuint (sohoa_schema_get_n_rules (schema), ==, 2);
  rule = sohoa_schema_get_rule (schema, 0);
  g_assert_cmpint (rule->kind, ==, SOHOA_RULE_DATE_ORDER);
  g_assert_cmpstr (rule->first, ==, "ngay");
  g_assert_cmpstr (rule->second, ==, "dk");
  g_assert_cmpstr (rule->message, ==, "Wrong order");
  rule = sohoa_schema_get_rule (schema, 1);
  g_assert_cmpint (rule->kind, ==, SOHOA_RULE_REQUIRED_IF);
  g_assert_cmpstr (rule->value, ==, "2");
  g_assert_null (rule->message);
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
  g_test_add_func ("/schema/malformed-file", test_malformed_file);
  g_test_add_func ("/schema/hints-and-rules", test_hints_and_rules);

  return g_test_run ();
}
