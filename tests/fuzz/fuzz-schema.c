/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The schema loader: every schema file is data a ward office may be sent. */
#include "sohoa-fuzz.h"
#include "sohoa-schema.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SohoaSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  sohoa_fuzz_init ();
  schema = sohoa_schema_new_from_data ((const char *) data, (gssize) size, &error);
  if (schema == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      return 0;
    }

  g_assert (sohoa_schema_get_id (schema) != NULL);
  (void) sohoa_schema_get_title (schema);
  (void) sohoa_schema_get_version (schema);
  (void) sohoa_schema_get_double_keying (schema);
  for (guint i = 0; i < sohoa_schema_get_n_fields (schema); i++)
    {
      const SohoaSchemaField *field = sohoa_schema_get_field (schema, i);

      g_assert (sohoa_schema_lookup_field (schema, field->key) != NULL);
      (void) sohoa_field_type_to_string (field->type);
      (void) sohoa_schema_field_lookup_code (field, "01");
    }
  for (guint i = 0; i < sohoa_schema_get_n_rules (schema); i++)
    (void) sohoa_schema_get_rule (schema, i);
  return 0;
}
