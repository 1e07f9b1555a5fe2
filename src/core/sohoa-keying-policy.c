/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-keying-policy"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-keying-policy.h"
#include "sohoa-core-private.h"
#include "sohoa-double-keying.h"
#include "sohoa-types.h"

#include <json-glib/json-glib.h>

/* Which forms are keyed twice in this workspace.
 *
 * A schema says whether its critical fields are keyed twice
 * ("double_keying"); a ward may decide otherwise, form by form.  That is a
 * policy: only a supervisor or an administrator changes it, and the audit
 * log records who did, for which form, and what they chose.  The choice
 * lives in the workspace's database (double_keying_policy, migration 12),
 * so every workstation and the command line read the same rule; a schema
 * without a row follows its own "double_keying". */

static gboolean
db_error (SohoaStore  *self,
          GError     **error)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be updated (%s). Nothing was lost; try again."),
               sqlite3_errmsg (_sohoa_store_get_db (self)));
  return FALSE;
}

/**
 * sohoa_store_get_double_keying:
 * @required: (out): whether the critical fields of @schema's records are
 *   keyed twice in this workspace
 * @overridden: (out) (optional): whether the workspace decided, rather
 *   than the schema
 */
gboolean
sohoa_store_get_double_keying (SohoaStore   *self,
                               SohoaSchema  *schema,
                               gboolean     *required,
                               gboolean     *overridden,
                               GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), FALSE);
  g_return_val_if_fail (required != NULL, FALSE);

  if (sqlite3_prepare_v2 (_sohoa_store_get_db (self),
                          "SELECT required FROM double_keying_policy WHERE schema_id = ?", -1, &stmt, NULL) != SQLITE_OK)
    return db_error (self, error);
  sqlite3_bind_text (stmt, 1, sohoa_schema_get_id (schema), -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *required = sqlite3_column_int (stmt, 0) != 0;
  else if (rc == SQLITE_DONE)
    *required = sohoa_schema_get_double_keying (schema);
  else
    return db_error (self, error);
  if (overridden)
    *overridden = rc == SQLITE_ROW;
  return TRUE;
}

static char *
audit_detail (const char *schema_id,
              gboolean    required)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, schema_id);
  json_builder_set_member_name (builder, "required");
  json_builder_add_boolean_value (builder, required);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * sohoa_store_set_double_keying:
 * @user: who decides; a supervisor or an administrator
 * @required: whether the critical fields of @schema's records are keyed
 *   twice from now on
 *
 * Sets the workspace's rule for one form and records it in the audit log.
 * Refused to operators.  Second keyings already made are kept.
 */
gboolean
sohoa_store_set_double_keying (SohoaStore   *self,
                               SohoaUser    *user,
                               SohoaSchema  *schema,
                               gboolean      required,
                               GError      **error)
{
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autofree char *detail = NULL;
  gboolean current;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), FALSE);

  if (user == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION, _("Sign in first."));
      return FALSE;
    }
  if (!sohoa_user_can_approve (user))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("Only a supervisor or an administrator can decide which forms are keyed twice."));
      return FALSE;
    }

  if (!sohoa_store_begin (self, error))
    return FALSE;
  if (!sohoa_store_get_double_keying (self, schema, &current, NULL, error))
    goto failed;
  if (current == !!required)
    {
      sohoa_store_rollback (self);
      return TRUE;
    }
  if (sqlite3_prepare_v2 (_sohoa_store_get_db (self),
                          "INSERT INTO double_keying_policy (schema_id, required, changed_by, changed_at) "
                          "VALUES (?, ?, ?, ?) ON CONFLICT (schema_id) DO UPDATE SET required = excluded.required, "
                          "changed_by = excluded.changed_by, changed_at = excluded.changed_at",
                          -1, &upsert, NULL) != SQLITE_OK)
    {
      db_error (self, error);
      goto failed;
    }
  sqlite3_bind_text (upsert, 1, sohoa_schema_get_id (schema), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (upsert, 2, required ? 1 : 0);
  sqlite3_bind_int64 (upsert, 3, sohoa_user_get_id (user));
  sqlite3_bind_int64 (upsert, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (upsert) != SQLITE_DONE)
    {
      db_error (self, error);
      goto failed;
    }

  detail = audit_detail (sohoa_schema_get_id (schema), required);
  if (!sohoa_store_append_audit (self, user, "workspace.double-keying", "schema", 0, detail, error) ||
      !sohoa_store_commit (self, error))
    goto failed;
  return TRUE;

failed:
  sohoa_store_rollback (self);
  return FALSE;
}

/**
 * sohoa_store_double_keying_fields:
 *
 * Returns: (transfer container) (element-type SohoaSchemaField): the
 *   fields a second clerk keys again in this workspace: the critical ones,
 *   when the workspace's rule for @schema asks for double keying; empty
 *   otherwise
 */
GPtrArray *
sohoa_store_double_keying_fields (SohoaStore   *self,
                                  SohoaSchema  *schema,
                                  GError      **error)
{
  GPtrArray *fields = g_ptr_array_new ();
  gboolean required;

  g_return_val_if_fail (SOHOA_IS_STORE (self), fields);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), fields);

  if (!sohoa_store_get_double_keying (self, schema, &required, NULL, error))
    {
      g_ptr_array_unref (fields);
      return NULL;
    }
  if (!required)
    return fields;
  for (guint i = 0; i < sohoa_schema_get_n_fields (schema); i++)
    {
      const SohoaSchemaField *field = sohoa_schema_get_field (schema, i);

      if (field->critical)
        g_ptr_array_add (fields, (gpointer) field);
    }
  return fields;
}
