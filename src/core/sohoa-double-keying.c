/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-double-keying"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-double-keying.h"
#include "sohoa-core-private.h"
#include "sohoa-double-keying-private.h"
#include "sohoa-keying-policy.h"
#include "sohoa-types.h"
#include "sohoa-vntext.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Double keying of critical fields (names, dates, ID and register numbers).
 *
 * When a schema says "double_keying": true, a second clerk keys its
 * critical fields again without seeing the first values.  The second values
 * live in second_keying (migration 4), never in field_values, so the record
 * as keyed the first time is untouched until someone decides.  The rules:
 *
 *  - the second keyer of a field must not be the user who keyed its value
 *    (field_values.updated_by);
 *  - the second keyer is blind: nothing here gives a keyer the other
 *    keying's value (sohoa_store_get_second_fields() returns the caller's
 *    own second values; sohoa_store_list_mismatches() withholds both values
 *    from either keyer unless they supervise);
 *  - the two values agree when equal after NFC and trimming whitespace;
 *  - a disagreement is settled by a supervisor or a third user, never by one
 *    of the two keyers: the first value, the second, or another typed
 *    value becomes the field's value in field_values, and the audit log
 *    records who chose what (the key and the choice, never the values);
 *  - a batch with a record whose keyings disagree unsettled cannot be
 *    submitted (_sohoa_store_check_double_keying(), called by the store
 *    where submission is decided).
 *
 * If the first value changes after a disagreement was settled, the two are
 * compared again: the settlement held for the value it chose. */

void
sohoa_mismatch_free (SohoaMismatch *mismatch)
{
  if (mismatch == NULL)
    return;
  g_free (mismatch->key);
  g_free (mismatch->first_value);
  g_free (mismatch->second_value);
  g_free (mismatch);
}

static char *
comparable (const char *text)
{
  char *nfc = sohoa_text_normalize (text ? text : "");

  return g_strstrip (nfc);
}

/**
 * sohoa_keyed_values_agree:
 *
 * Returns: whether two keyings of a field say the same, compared in NFC
 *   with whitespace trimmed at both ends
 */
gboolean
sohoa_keyed_values_agree (const char *first,
                          const char *second)
{
  g_autofree char *a = comparable (first);
  g_autofree char *b = comparable (second);

  return g_str_equal (a, b);
}

/**
 * sohoa_double_keying_fields:
 *
 * Returns: (transfer container) (element-type SohoaSchemaField): the
 *   fields a second clerk keys again: the critical ones, when @schema asks
 *   for double keying; empty otherwise
 */
GPtrArray *
sohoa_double_keying_fields (SohoaSchema *schema)
{
  GPtrArray *fields = g_ptr_array_new ();

  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), fields);

  if (!sohoa_schema_get_double_keying (schema))
    return fields;
  for (guint i = 0; i < sohoa_schema_get_n_fields (schema); i++)
    {
      const SohoaSchemaField *field = sohoa_schema_get_field (schema, i);

      if (field->critical)
        g_ptr_array_add (fields, (gpointer) field);
    }
  return fields;
}

static gboolean
db_error (SohoaStore  *self,
          GError     **error)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be updated (%s). Nothing was lost; try again."),
               sqlite3_errmsg (_sohoa_store_get_db (self)));
  return FALSE;
}

static sqlite3_stmt *
prepare (SohoaStore  *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (_sohoa_store_get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      db_error (self, error);
      return NULL;
    }
  return stmt;
}

static gboolean
require_user (SohoaUser  *user,
              GError    **error)
{
  if (user == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION, _("Sign in first."));
      return FALSE;
    }
  return TRUE;
}

/* The record's schema id, when its batch may still change. */
static char *
editable_record_schema (SohoaStore  *self,
                        gint64       record_id,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  SohoaBatchState state;

  if (!(stmt = prepare (self,
                        "SELECT d.batch_id, r.schema_id FROM records r JOIN documents d ON d.id = r.document_id "
                        "WHERE r.id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, record_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("The record no longer exists."));
      return NULL;
    }
  if (!(batch = sohoa_store_get_batch (self, sqlite3_column_int64 (stmt, 0), error)))
    return NULL;
  state = sohoa_batch_get_state (batch);
  if (state != SOHOA_BATCH_OPEN && state != SOHOA_BATCH_REJECTED)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("Batch “%s” has been submitted; its pages and records can no longer be changed."),
                   sohoa_batch_get_title (batch));
      return NULL;
    }
  return g_strdup ((const char *) sqlite3_column_text (stmt, 1));
}

static char *
audit_detail (const char *key,
              const char *choice)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  if (choice)
    {
      json_builder_set_member_name (builder, "choice");
      json_builder_add_string_value (builder, choice);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * sohoa_store_set_second_field:
 * @schema: the record's schema; the workspace's rule for it must ask for
 *   double keying (sohoa_store_get_double_keying()) and @key must be one
 *   of its critical fields
 *
 * Saves the second, blind keying of one field.  Refused to the user who
 * keyed the field's value.  Keying again replaces the second value and
 * reopens a settled disagreement.
 */
gboolean
sohoa_store_set_second_field (SohoaStore   *self,
                              SohoaUser    *user,
                              SohoaSchema  *schema,
                              gint64        record_id,
                              const char   *key,
                              const char   *value,
                              GError      **error)
{
  g_autoptr(sqlite3_stmt) first = NULL;
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autofree char *schema_id = NULL;
  g_autofree char *nfc = NULL;
  g_autofree char *detail = NULL;
  const SohoaSchemaField *field;
  gboolean required;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!require_user (user, error))
    return FALSE;
  field = sohoa_schema_lookup_field (schema, key);
  if (!sohoa_store_get_double_keying (self, schema, &required, NULL, error))
    return FALSE;
  if (!required || field == NULL || !field->critical)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("“%s” is not a field the form %s has keyed twice."), key, sohoa_schema_get_id (schema));
      return FALSE;
    }

  if (!sohoa_store_begin (self, error))
    return FALSE;
  if (!(schema_id = editable_record_schema (self, record_id, error)))
    goto failed;
  if (!g_str_equal (schema_id, sohoa_schema_get_id (schema)))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("The record is a %s form, not %s."), schema_id, sohoa_schema_get_id (schema));
      goto failed;
    }

  if (!(first = prepare (self, "SELECT updated_by FROM field_values WHERE record_id = ? AND key = ?", error)))
    goto failed;
  sqlite3_bind_int64 (first, 1, record_id);
  sqlite3_bind_text (first, 2, key, -1, SQLITE_STATIC);
  if (sqlite3_step (first) == SQLITE_ROW && sqlite3_column_int64 (first, 0) == sohoa_user_get_id (user))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                   _("You keyed “%s” the first time; a different clerk must key it again."), field->label);
      goto failed;
    }

  nfc = sohoa_text_normalize (value ? value : "");
  if (!(upsert = prepare (self,
                          "INSERT INTO second_keying (record_id, key, value, keyed_by, keyed_at) VALUES (?, ?, ?, ?, ?) "
                          "ON CONFLICT (record_id, key) DO UPDATE SET value = excluded.value, keyed_by = excluded.keyed_by, "
                          "keyed_at = excluded.keyed_at, resolution = NULL, resolved_value = NULL, resolved_by = NULL, "
                          "resolved_at = NULL", error)))
    goto failed;
  sqlite3_bind_int64 (upsert, 1, record_id);
  sqlite3_bind_text (upsert, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 3, nfc, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (upsert, 4, sohoa_user_get_id (user));
  sqlite3_bind_int64 (upsert, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (upsert) != SQLITE_DONE)
    {
      db_error (self, error);
      goto failed;
    }

  detail = audit_detail (key, NULL);
  if (!sohoa_store_append_audit (self, user, "field.key-again", "record", record_id, detail, error) ||
      !sohoa_store_commit (self, error))
    goto failed;
  return TRUE;

failed:
  sohoa_store_rollback (self);
  return FALSE;
}

/**
 * sohoa_store_get_second_fields:
 *
 * The second keyings @user made in a record, to show them again in the
 * blind form.  Never the first values, nor another user's second values.
 *
 * Returns: (transfer full) (element-type utf8 utf8): key → value
 */
GHashTable *
sohoa_store_get_second_fields (SohoaStore  *self,
                               SohoaUser   *user,
                               gint64       record_id,
                               GError     **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (!require_user (user, error))
    return NULL;
  if (!(stmt = prepare (self, "SELECT key, value FROM second_keying WHERE record_id = ? AND keyed_by = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, record_id);
  sqlite3_bind_int64 (stmt, 2, sohoa_user_get_id (user));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (values, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&values);
}

/* The unsettled disagreements of a batch, or of one record when
 * @record_id is not 0; values withheld unless @show_values says. */
static GPtrArray *
find_mismatches (SohoaStore  *self,
                 gint64       batch_id,
                 gint64       record_id,
                 SohoaUser   *user,
                 GError     **error)
{
  g_autoptr(GPtrArray) mismatches = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_mismatch_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 user_id = user ? sohoa_user_get_id (user) : 0;
  gboolean supervises = user != NULL && sohoa_user_can_approve (user);
  int rc;

  if (!(stmt = prepare (self,
                        "SELECT s.record_id, d.id, "
                        "  (SELECT count (*) FROM documents e WHERE e.batch_id = d.batch_id AND e.position <= d.position), "
                        "  s.key, coalesce (f.value, ''), s.value, s.resolved_value, coalesce (f.updated_by, 0), s.keyed_by "
                        "FROM second_keying s JOIN records r ON r.id = s.record_id JOIN documents d ON d.id = r.document_id "
                        "LEFT JOIN field_values f ON f.record_id = s.record_id AND f.key = s.key "
                        "WHERE (?1 = 0 OR d.batch_id = ?1) AND (?2 = 0 OR s.record_id = ?2) "
                        "ORDER BY d.position, s.key", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  sqlite3_bind_int64 (stmt, 2, record_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *first = (const char *) sqlite3_column_text (stmt, 4);
      const char *second = (const char *) sqlite3_column_text (stmt, 5);
      const char *resolved = (const char *) sqlite3_column_text (stmt, 6);
      SohoaMismatch *mismatch;
      gboolean keyer;

      if (sohoa_keyed_values_agree (first, second) ||
          (resolved != NULL && sohoa_keyed_values_agree (first, resolved)))
        continue;

      mismatch = g_new0 (SohoaMismatch, 1);
      mismatch->record_id = sqlite3_column_int64 (stmt, 0);
      mismatch->document_id = sqlite3_column_int64 (stmt, 1);
      mismatch->document_number = (guint) sqlite3_column_int (stmt, 2);
      mismatch->key = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      mismatch->first_by = sqlite3_column_int64 (stmt, 7);
      mismatch->second_by = sqlite3_column_int64 (stmt, 8);
      keyer = user_id != 0 && (user_id == mismatch->first_by || user_id == mismatch->second_by);
      if (user != NULL && (supervises || !keyer))
        {
          mismatch->first_value = g_strdup (first);
          mismatch->second_value = g_strdup (second);
        }
      g_ptr_array_add (mismatches, mismatch);
    }
  if (rc != SQLITE_DONE)
    {
      db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&mismatches);
}

/**
 * sohoa_store_list_mismatches:
 * @user: who asks; the values are withheld from the two keyers of a
 *   field (unless they supervise), so that neither learns the other's
 *
 * Returns: (transfer container) (element-type SohoaMismatch): the critical
 *   fields of the batch whose two keyings disagree and are not settled, in
 *   document order
 */
GPtrArray *
sohoa_store_list_mismatches (SohoaStore  *self,
                             SohoaUser   *user,
                             gint64       batch_id,
                             GError     **error)
{
  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (!require_user (user, error))
    return NULL;
  return find_mismatches (self, batch_id, 0, user, error);
}

gboolean
_sohoa_store_check_double_keying (SohoaStore  *self,
                                  gint64       batch_id,
                                  GError     **error)
{
  g_autoptr(GPtrArray) mismatches = find_mismatches (self, batch_id, 0, NULL, error);
  guint n_records = 0;
  gint64 last = 0;

  if (mismatches == NULL)
    return FALSE;
  if (mismatches->len == 0)
    return TRUE;

  for (guint i = 0; i < mismatches->len; i++)
    {
      SohoaMismatch *mismatch = g_ptr_array_index (mismatches, i);

      if (mismatch->record_id != last)
        n_records++;
      last = mismatch->record_id;
    }
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
               g_dngettext (GETTEXT_PACKAGE,
                            "In %u record the two keyings of a field disagree. A supervisor or a third clerk must choose the right value before the batch is submitted.",
                            "In %u records the two keyings of a field disagree. A supervisor or a third clerk must choose the right values before the batch is submitted.",
                            n_records),
               n_records);
  return FALSE;
}

/**
 * sohoa_store_arbitrate:
 * @choice: which keying is right, or %SOHOA_ARBITRATE_OTHER for @value
 * @value: (nullable): the right value, for %SOHOA_ARBITRATE_OTHER
 *
 * Settles a disagreement between the two keyings of a field: the chosen
 * value becomes the field's value and the audit log records who chose
 * which.  Only a user who keyed neither value may decide.
 */
gboolean
sohoa_store_arbitrate (SohoaStore        *self,
                       SohoaUser         *user,
                       gint64             record_id,
                       const char        *key,
                       SohoaArbitration   choice,
                       const char        *value,
                       GError           **error)
{
  static const char * const choice_names[] = { "first", "second", "other" };
  g_autoptr(GPtrArray) mismatches = NULL;
  g_autoptr(sqlite3_stmt) write = NULL;
  g_autoptr(sqlite3_stmt) settle = NULL;
  g_autoptr(sqlite3_stmt) touch = NULL;
  g_autofree char *schema_id = NULL;
  g_autofree char *final = NULL;
  g_autofree char *detail = NULL;
  SohoaMismatch *mismatch = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (choice <= SOHOA_ARBITRATE_OTHER, FALSE);

  if (!require_user (user, error) || !sohoa_store_begin (self, error))
    return FALSE;
  if (!(schema_id = editable_record_schema (self, record_id, error)) ||
      !(mismatches = find_mismatches (self, 0, record_id, user, error)))
    goto failed;

  for (guint i = 0; i < mismatches->len && mismatch == NULL; i++)
    if (g_str_equal (((SohoaMismatch *) g_ptr_array_index (mismatches, i))->key, key))
      mismatch = g_ptr_array_index (mismatches, i);
  if (mismatch == NULL)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("The two keyings of “%s” do not disagree; there is nothing to decide."), key);
      goto failed;
    }
  if (sohoa_user_get_id (user) == mismatch->first_by || sohoa_user_get_id (user) == mismatch->second_by)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("You keyed this field; a supervisor or a clerk who did not key it must decide."));
      goto failed;
    }

  switch (choice)
    {
    case SOHOA_ARBITRATE_FIRST: final = comparable (mismatch->first_value); break;
    case SOHOA_ARBITRATE_SECOND: final = comparable (mismatch->second_value); break;
    default: final = comparable (value); break;
    }

  if (!(write = prepare (self,
                         "INSERT INTO field_values (record_id, key, value, state, source, updated_by, updated_at) "
                         "VALUES (?, ?, ?, ?, 'keyed', ?, ?) "
                         "ON CONFLICT (record_id, key) DO UPDATE SET value = excluded.value, state = excluded.state, "
                         "source = 'keyed', confidence = NULL, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                         error)) ||
      !(settle = prepare (self,
                          "UPDATE second_keying SET resolution = ?, resolved_value = ?, resolved_by = ?, resolved_at = ? "
                          "WHERE record_id = ? AND key = ?", error)) ||
      !(touch = prepare (self, "UPDATE records SET updated_at = ? WHERE id = ?", error)))
    goto failed;

  sqlite3_bind_int64 (write, 1, record_id);
  sqlite3_bind_text (write, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (write, 3, final, -1, SQLITE_STATIC);
  sqlite3_bind_text (write, 4, *final ? "filled" : "empty", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (write, 5, sohoa_user_get_id (user));
  sqlite3_bind_int64 (write, 6, now);
  sqlite3_bind_text (settle, 1, choice_names[choice], -1, SQLITE_STATIC);
  sqlite3_bind_text (settle, 2, final, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (settle, 3, sohoa_user_get_id (user));
  sqlite3_bind_int64 (settle, 4, now);
  sqlite3_bind_int64 (settle, 5, record_id);
  sqlite3_bind_text (settle, 6, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (touch, 1, now);
  sqlite3_bind_int64 (touch, 2, record_id);
  if (sqlite3_step (write) != SQLITE_DONE || sqlite3_step (settle) != SQLITE_DONE || sqlite3_step (touch) != SQLITE_DONE)
    {
      db_error (self, error);
      goto failed;
    }

  detail = audit_detail (key, choice_names[choice]);
  if (!sohoa_store_append_audit (self, user, "field.arbitrate", "record", record_id, detail, error) ||
      !sohoa_store_commit (self, error))
    goto failed;
  return TRUE;

failed:
  sohoa_store_rollback (self);
  return FALSE;
}
