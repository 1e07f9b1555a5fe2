/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-outbox"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-core-private.h"
#include "sohoa-outbox-private.h"
#include "sohoa-types.h"

#include <json-glib/json-glib.h>

struct _SohoaOutboxItem
{
  GObject           parent_instance;

  /* owned */
  char             *file;
  char             *sha256;
  char             *error;
  char             *key;
  char             *upload_id;
  char             *message;

  /* state */
  gint64            id;
  gint64            batch_id;
  guint64           size;
  guint64           bytes_done;
  SohoaUploadState  state;
  guint             n_parts_done;
  guint             attempts;
  double            fraction;
  gboolean          busy;
};

G_DEFINE_FINAL_TYPE (SohoaOutboxItem, sohoa_outbox_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_FILE,
  PROP_NAME,
  PROP_SIZE,
  PROP_STATE,
  PROP_STATE_LABEL,
  PROP_ERROR,
  PROP_N_PARTS_DONE,
  PROP_FRACTION,
  PROP_BUSY,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const state_names[] = { "none", "pending", "uploading", "done", "failed" };

#define COLUMNS "id, batch_id, file, sha256, size, upload_state, upload_id, parts_done, " \
                "upload_key, upload_error, upload_attempts"

/* Helpers ---------------------------------------------------------------- */

static gboolean
db_failed (sqlite3  *db,
           GError  **error)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be updated (%s). Nothing was lost; try again."),
               sqlite3_errmsg (db));
  return FALSE;
}

static sqlite3_stmt *
prepare (SohoaStore  *store,
         const char  *sql,
         GError     **error)
{
  sqlite3 *db = _sohoa_store_get_db (store);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    db_failed (db, error);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
count_parts (const char *json,
             guint      *n_parts,
             guint64    *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;

  *n_parts = 0;
  *bytes = 0;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return;
  array = json_node_get_array (json_parser_get_root (parser));
  *n_parts = json_array_get_length (array);
  for (guint i = 0; i < *n_parts; i++)
    {
      JsonObject *part = json_array_get_object_element (array, i);

      if (part && json_object_has_member (part, "size"))
        *bytes += (guint64) json_object_get_int_member (part, "size");
    }
}

static void
set_string (char       **field,
            const char  *value,
            gboolean    *changed)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  *changed = TRUE;
}

/* Fills @self from a row selected with COLUMNS and notifies what changed. */
static void
load_row (SohoaOutboxItem *self,
          sqlite3_stmt    *stmt)
{
  gboolean file_changed = FALSE, state_changed = FALSE, error_changed = FALSE, other = FALSE;
  SohoaUploadState state;
  guint n_parts;
  guint64 bytes;

  self->id = sqlite3_column_int64 (stmt, 0);
  self->batch_id = sqlite3_column_int64 (stmt, 1);
  set_string (&self->file, (const char *) sqlite3_column_text (stmt, 2), &file_changed);
  set_string (&self->sha256, (const char *) sqlite3_column_text (stmt, 3), &other);
  self->size = (guint64) sqlite3_column_int64 (stmt, 4);
  state = sohoa_upload_state_from_string ((const char *) sqlite3_column_text (stmt, 5));
  if (state != self->state)
    {
      self->state = state;
      state_changed = TRUE;
    }
  set_string (&self->upload_id, (const char *) sqlite3_column_text (stmt, 6), &other);
  count_parts ((const char *) sqlite3_column_text (stmt, 7), &n_parts, &bytes);
  set_string (&self->key, (const char *) sqlite3_column_text (stmt, 8), &other);
  set_string (&self->error, (const char *) sqlite3_column_text (stmt, 9), &error_changed);
  self->attempts = (guint) sqlite3_column_int (stmt, 10);
  self->bytes_done = bytes;

  if (file_changed)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }
  if (state_changed)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_LABEL]);
    }
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  if (n_parts != self->n_parts_done)
    {
      self->n_parts_done = n_parts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PARTS_DONE]);
    }
  if (!self->busy)
    sohoa_outbox_item_set_fraction (self, self->state == SOHOA_UPLOAD_DONE ? 1.0 :
                                    self->size > 0 ? (double) bytes / self->size : 0.0);
}

static gboolean
update_row (SohoaStore   *store,
            const char   *sql,
            gint64        package_id,
            const char   *text1,
            const char   *text2,
            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!sohoa_store_begin (store, error))
    return FALSE;
  if (!(stmt = prepare (store, sql, error)))
    goto failed;
  bind_text (stmt, 1, text1);
  bind_text (stmt, 2, text2);
  sqlite3_bind_int64 (stmt, 3, package_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      db_failed (_sohoa_store_get_db (store), error);
      goto failed;
    }
  if (sqlite3_changes (_sohoa_store_get_db (store)) == 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("The package no longer exists."));
      goto failed;
    }
  return sohoa_store_commit (store, error);

failed:
  sohoa_store_rollback (store);
  return FALSE;
}

/* Object ----------------------------------------------------------------- */

static void
sohoa_outbox_item_finalize (GObject *object)
{
  SohoaOutboxItem *self = (SohoaOutboxItem *) object;

  g_clear_pointer (&self->file, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->upload_id, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (sohoa_outbox_item_parent_class)->finalize (object);
}

static void
sohoa_outbox_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SohoaOutboxItem *self = SOHOA_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_FILE: g_value_set_string (value, self->file); break;
    case PROP_NAME: g_value_take_string (value, self->file ? g_path_get_basename (self->file) : NULL); break;
    case PROP_SIZE: g_value_set_uint64 (value, self->size); break;
    case PROP_STATE: g_value_set_int (value, self->state); break;
    case PROP_STATE_LABEL: g_value_set_string (value, sohoa_upload_state_get_label (self->state)); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_N_PARTS_DONE: g_value_set_uint (value, self->n_parts_done); break;
    case PROP_FRACTION: g_value_set_double (value, self->fraction); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_outbox_item_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SohoaOutboxItem *self = SOHOA_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_FRACTION: sohoa_outbox_item_set_fraction (self, g_value_get_double (value)); break;
    case PROP_BUSY: sohoa_outbox_item_set_busy (self, g_value_get_boolean (value)); break;
    case PROP_MESSAGE: sohoa_outbox_item_set_message (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_outbox_item_class_init (SohoaOutboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sohoa_outbox_item_finalize;
  object_class->get_property = sohoa_outbox_item_get_property;
  object_class->set_property = sohoa_outbox_item_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, SOHOA_UPLOAD_NONE, SOHOA_UPLOAD_FAILED,
                                             SOHOA_UPLOAD_NONE, ro);
  properties[PROP_STATE_LABEL] = g_param_spec_string ("state-label", NULL, NULL, NULL, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_N_PARTS_DONE] = g_param_spec_uint ("n-parts-done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0, rw);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, rw);
  /* what an upload under way is doing, translated */
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sohoa_outbox_item_init (SohoaOutboxItem *self)
{
}

/* Public API ------------------------------------------------------------- */

const char *
sohoa_upload_state_to_string (SohoaUploadState state)
{
  g_return_val_if_fail (state <= SOHOA_UPLOAD_FAILED, NULL);
  return state_names[state];
}

SohoaUploadState
sohoa_upload_state_from_string (const char *str)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (state_names[i], str) == 0)
      return (SohoaUploadState) i;
  return SOHOA_UPLOAD_NONE;
}

const char *
sohoa_upload_state_get_label (SohoaUploadState state)
{
  switch (state)
    {
    case SOHOA_UPLOAD_NONE: return _("Not sent");
    case SOHOA_UPLOAD_PENDING: return _("Waiting");
    case SOHOA_UPLOAD_UPLOADING: return _("Sending");
    case SOHOA_UPLOAD_DONE: return _("Sent");
    case SOHOA_UPLOAD_FAILED: return _("Failed, will retry");
    default: g_return_val_if_reached (NULL);
    }
}

gint64
sohoa_outbox_item_get_id (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), 0);
  return self->id;
}

gint64
sohoa_outbox_item_get_batch_id (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), 0);
  return self->batch_id;
}

const char *
sohoa_outbox_item_get_file (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), NULL);
  return self->file;
}

const char *
sohoa_outbox_item_get_sha256 (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), NULL);
  return self->sha256;
}

guint64
sohoa_outbox_item_get_size (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), 0);
  return self->size;
}

SohoaUploadState
sohoa_outbox_item_get_state (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), SOHOA_UPLOAD_NONE);
  return self->state;
}

const char *
sohoa_outbox_item_get_error (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), NULL);
  return self->error;
}

const char *
sohoa_outbox_item_get_key (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), NULL);
  return self->key;
}

const char *
sohoa_outbox_item_get_upload_id (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), NULL);
  return self->upload_id;
}

guint
sohoa_outbox_item_get_n_parts_done (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), 0);
  return self->n_parts_done;
}

guint64
sohoa_outbox_item_get_bytes_done (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), 0);
  return self->bytes_done;
}

guint
sohoa_outbox_item_get_attempts (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), 0);
  return self->attempts;
}

double
sohoa_outbox_item_get_fraction (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), 0);
  return self->fraction;
}

void
sohoa_outbox_item_set_fraction (SohoaOutboxItem *self,
                                double           fraction)
{
  g_return_if_fail (SOHOA_IS_OUTBOX_ITEM (self));

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (self->fraction == fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

gboolean
sohoa_outbox_item_get_busy (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), FALSE);
  return self->busy;
}

void
sohoa_outbox_item_set_busy (SohoaOutboxItem *self,
                            gboolean         busy)
{
  g_return_if_fail (SOHOA_IS_OUTBOX_ITEM (self));

  busy = !!busy;
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

const char *
sohoa_outbox_item_get_message (SohoaOutboxItem *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), NULL);
  return self->message;
}

void
sohoa_outbox_item_set_message (SohoaOutboxItem *self,
                               const char      *message)
{
  g_return_if_fail (SOHOA_IS_OUTBOX_ITEM (self));

  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

/**
 * sohoa_outbox_item_refresh:
 *
 * Reads the packages row again (after an upload attempt) and notifies
 * whatever changed.
 */
gboolean
sohoa_outbox_item_refresh (SohoaOutboxItem  *self,
                           SohoaStore       *store,
                           GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SOHOA_IS_OUTBOX_ITEM (self), FALSE);
  g_return_val_if_fail (SOHOA_IS_STORE (store), FALSE);

  if (!(stmt = prepare (store, "SELECT " COLUMNS " FROM packages WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("The package no longer exists."));
      return FALSE;
    }
  load_row (self, stmt);
  return TRUE;
}

/* The one place a package enters the outbox: a packages row, queued
 * (pending), and its audit row, inside the caller's transaction.  Used by
 * sohoa_outbox_add_package() and by the package writer.  Returns the row's
 * id, or 0 with @error set. */
gint64
_sohoa_outbox_insert (SohoaStore  *store,
                      SohoaUser   *user,
                      gint64       batch_id,
                      const char  *path,
                      const char  *sha256,
                      guint64      size,
                      const char  *signer,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *detail = NULL;
  gint64 id;

  if (!(stmt = prepare (store,
                        "INSERT INTO packages (batch_id, file, sha256, size, created_at, created_by, signer, upload_state) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  bind_text (stmt, 2, path);
  bind_text (stmt, 3, sha256);
  sqlite3_bind_int64 (stmt, 4, (gint64) size);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (user)
    sqlite3_bind_int64 (stmt, 6, sohoa_user_get_id (user));
  bind_text (stmt, 7, signer);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (_sohoa_store_get_db (store)) == SQLITE_CONSTRAINT_FOREIGNKEY)
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("The batch no longer exists."));
      else
        db_failed (_sohoa_store_get_db (store), error);
      return 0;
    }
  id = sqlite3_last_insert_rowid (_sohoa_store_get_db (store));
  detail = g_strdup_printf ("{\"sha256\":\"%s\",\"size\":%" G_GUINT64_FORMAT "}", sha256, size);
  if (!sohoa_store_append_audit (store, user, "package.queue", "package", id, detail, error))
    return 0;
  return id;
}

gint64
sohoa_outbox_add_package (SohoaStore  *store,
                          SohoaUser   *user,
                          gint64       batch_id,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autofree char *absolute = NULL;
  g_autofree guint8 *buffer = NULL;
  guint64 size = 0;
  gssize n;
  gint64 id;

  g_return_val_if_fail (SOHOA_IS_STORE (store), 0);
  g_return_val_if_fail (path != NULL, 0);

  file = g_file_new_for_path (path);
  absolute = g_file_get_path (file);
  if (!(input = g_file_read (file, NULL, error)))
    return 0;
  buffer = g_malloc (1 << 20);
  while ((n = g_input_stream_read (G_INPUT_STREAM (input), buffer, 1 << 20, NULL, error)) > 0)
    {
      g_checksum_update (checksum, buffer, n);
      size += (guint64) n;
    }
  if (n < 0)
    return 0;

  if (!sohoa_store_begin (store, error))
    return 0;
  if (!(id = _sohoa_outbox_insert (store, user, batch_id, absolute, g_checksum_get_string (checksum),
                                   size, NULL, error)))
    goto failed;
  /* A failed commit has rolled back already. */
  return sohoa_store_commit (store, error) ? id : 0;

failed:
  sohoa_store_rollback (store);
  return 0;
}

GListModel *
sohoa_outbox_list (SohoaStore  *store,
                   GError     **error)
{
  g_autoptr(GListStore) items = g_list_store_new (SOHOA_TYPE_OUTBOX_ITEM);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (store), NULL);

  if (!(stmt = prepare (store, "SELECT " COLUMNS " FROM packages ORDER BY id DESC", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(SohoaOutboxItem) item = g_object_new (SOHOA_TYPE_OUTBOX_ITEM, NULL);

      load_row (item, stmt);
      g_list_store_append (items, item);
    }
  if (rc != SQLITE_DONE)
    {
      db_failed (_sohoa_store_get_db (store), error);
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&items));
}

SohoaOutboxItem *
sohoa_outbox_get (SohoaStore  *store,
                  gint64       package_id,
                  GError     **error)
{
  g_autoptr(SohoaOutboxItem) item = g_object_new (SOHOA_TYPE_OUTBOX_ITEM, NULL);

  g_return_val_if_fail (SOHOA_IS_STORE (store), NULL);

  item->id = package_id;
  if (!sohoa_outbox_item_refresh (item, store, error))
    return NULL;
  return g_steal_pointer (&item);
}

/**
 * sohoa_outbox_list_waiting:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the packages
 *   not yet uploaded, oldest first
 */
GArray *
sohoa_outbox_list_waiting (SohoaStore  *store,
                           GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (store), NULL);

  if (!(stmt = prepare (store, "SELECT id FROM packages WHERE upload_state <> 'done' ORDER BY id", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      db_failed (_sohoa_store_get_db (store), error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* For the uploader ------------------------------------------------------- */

gboolean
_sohoa_outbox_start (SohoaStore  *store,
                     gint64       package_id,
                     const char  *key,
                     GError     **error)
{
  return update_row (store,
                     "UPDATE packages SET upload_state = 'uploading', upload_key = coalesce (upload_key, ?), "
                     "upload_error = ?2 WHERE id = ?3",
                     package_id, key, NULL, error);
}

gboolean
_sohoa_outbox_set_upload (SohoaStore  *store,
                          gint64       package_id,
                          const char  *upload_id,
                          const char  *parts_json,
                          GError     **error)
{
  return update_row (store, "UPDATE packages SET upload_id = ?, parts_done = ? WHERE id = ?",
                     package_id, upload_id, parts_json ? parts_json : "[]", error);
}

gboolean
_sohoa_outbox_stop (SohoaStore        *store,
                    gint64             package_id,
                    SohoaUploadState   state,
                    const char        *message,
                    GError           **error)
{
  return update_row (store,
                     state == SOHOA_UPLOAD_FAILED
                     ? "UPDATE packages SET upload_state = ?, upload_error = ?, "
                       "upload_attempts = upload_attempts + 1 WHERE id = ?"
                     : "UPDATE packages SET upload_state = ?, upload_error = ? WHERE id = ?",
                     package_id, sohoa_upload_state_to_string (state), message, error);
}

gboolean
_sohoa_outbox_finish (SohoaStore  *store,
                      SohoaUser   *user,
                      gint64       package_id,
                      const char  *detail_json,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!sohoa_store_begin (store, error))
    return FALSE;
  if (!(stmt = prepare (store,
                        "UPDATE packages SET upload_state = 'done', upload_error = NULL, uploaded_at = ? "
                        "WHERE id = ?", error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 2, package_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      db_failed (_sohoa_store_get_db (store), error);
      goto failed;
    }
  if (!sohoa_store_append_audit (store, user, "package.upload", "package", package_id, detail_json, error))
    goto failed;
  return sohoa_store_commit (store, error);

failed:
  sohoa_store_rollback (store);
  return FALSE;
}

char *
_sohoa_outbox_dup_parts (SohoaStore *store,
                         gint64      package_id)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (store, "SELECT parts_done FROM packages WHERE id = ?", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, package_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}
