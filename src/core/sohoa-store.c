/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-core-private.h"
#include "sohoa-double-keying-private.h"
#include "sohoa-models-private.h"
#include "sohoa-search-private.h"
#include "sohoa-store.h"
#include "sohoa-syllable.h"
#include "sohoa-vntext.h"

#include <argon2.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <errno.h>
#include <sys/random.h>

struct _SohoaStore
{
  GObject     parent_instance;

  /* owned */
  sqlite3    *db;
  char       *path;
  char       *workspace_dir;
  GListStore *batches;
  GHashTable *pages;          /* batch id → GListStore of SohoaPage */

  /* state */
  guint       depth;
};

G_DEFINE_FINAL_TYPE (SohoaStore, sohoa_store, G_TYPE_OBJECT)

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Whether a field value row is one the search index holds, and the
 * statements that rebuild its record's row; sohoa_fold() is registered on
 * every connection (sohoa-search.c). */
#define SEARCH_INDEXED(row) \
  "EXISTS (SELECT 1 FROM records r JOIN search_fields f ON f.schema_id = r.schema_id" \
  " WHERE r.id = " row ".record_id AND f.key = " row ".key)"
#define SEARCH_REINDEX(row) \
  "DELETE FROM search_index WHERE rowid = " row ".record_id;" \
  "INSERT INTO search_index (rowid, body)" \
  " SELECT " row ".record_id, sohoa_fold (group_concat (v.value, ' ')) FROM field_values v" \
  " JOIN records r ON r.id = v.record_id" \
  " JOIN search_fields f ON f.schema_id = r.schema_id AND f.key = v.key" \
  " WHERE v.record_id = " row ".record_id AND v.value <> '' HAVING count (*) > 0;"

/* Each migration runs in one transaction and moves user_version by one.
 * Never edit a migration that has shipped: add a new one. */
static const char * const migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE workspace ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  ward_code TEXT NOT NULL,"
  "  ward_name TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  settings TEXT NOT NULL DEFAULT '{}');"
  "CREATE TABLE users ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  full_name TEXT NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'admin')),"
  "  password_hash TEXT NOT NULL,"
  "  disabled INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE batches ("
  "  id INTEGER PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  schema_id TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'open'"
  "    CHECK (state IN ('open', 'submitted', 'approved', 'rejected')),"
  "  note TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  created_by INTEGER REFERENCES users (id),"
  "  submitted_at INTEGER,"
  "  submitted_by INTEGER REFERENCES users (id),"
  "  approved_at INTEGER,"
  "  approved_by INTEGER REFERENCES users (id));"
  "CREATE TABLE documents ("
  "  id INTEGER PRIMARY KEY,"
  "  batch_id INTEGER NOT NULL REFERENCES batches (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL);"
  "CREATE INDEX documents_batch ON documents (batch_id, position);"
  "CREATE TABLE pages ("
  "  id INTEGER PRIMARY KEY,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL CHECK (length (sha256) = 64),"
  "  frame INTEGER NOT NULL DEFAULT 0,"
  "  ext TEXT NOT NULL,"
  "  source_name TEXT,"
  "  size INTEGER NOT NULL,"
  "  width INTEGER NOT NULL,"
  "  height INTEGER NOT NULL,"
  "  dpi INTEGER NOT NULL DEFAULT 0,"
  "  rotation INTEGER NOT NULL DEFAULT 0,"
  "  skew REAL,"
  "  blank INTEGER NOT NULL DEFAULT 0,"
  "  ocr_state TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (ocr_state IN ('pending', 'done', 'failed')),"
  "  ocr_text TEXT,"
  "  ocr_confidence REAL,"
  "  imported_at INTEGER NOT NULL,"
  "  UNIQUE (sha256, frame));"
  "CREATE INDEX pages_document ON pages (document_id, position);"
  "CREATE TABLE ocr_words ("
  "  id INTEGER PRIMARY KEY,"
  "  page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,"
  "  idx INTEGER NOT NULL,"
  "  text TEXT NOT NULL,"
  "  x INTEGER NOT NULL, y INTEGER NOT NULL,"
  "  width INTEGER NOT NULL, height INTEGER NOT NULL,"
  "  confidence REAL NOT NULL,"
  "  block INTEGER NOT NULL,"
  "  line INTEGER NOT NULL);"
  "CREATE INDEX ocr_words_page ON ocr_words (page_id, idx);"
  "CREATE TABLE records ("
  "  id INTEGER PRIMARY KEY,"
  "  document_id INTEGER NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,"
  "  schema_id TEXT NOT NULL,"
  "  schema_version INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'draft',"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE field_values ("
  "  record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,"
  "  key TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('empty', 'filled', 'illegible', 'uncertain')),"
  "  source TEXT NOT NULL DEFAULT 'keyed' CHECK (source IN ('keyed', 'ocr')),"
  "  confidence REAL,"
  "  updated_by INTEGER REFERENCES users (id),"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (record_id, key));"
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  user_id INTEGER,"
  "  user_name TEXT,"
  "  action TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  entity_id INTEGER,"
  "  detail TEXT NOT NULL DEFAULT '{}',"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL);"
  "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TABLE packages ("
  "  id INTEGER PRIMARY KEY,"
  "  batch_id INTEGER NOT NULL REFERENCES batches (id),"
  "  file TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  created_by INTEGER REFERENCES users (id),"
  "  signer TEXT,"
  "  upload_state TEXT NOT NULL DEFAULT 'none',"
  "  upload_id TEXT,"
  "  parts_done TEXT NOT NULL DEFAULT '[]');",

  /* 2: words the operator should look at (impossible syllable or low
   * confidence), and how many each page has */
  "ALTER TABLE ocr_words ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE pages ADD COLUMN n_flagged INTEGER NOT NULL DEFAULT 0;",

  /* 3: a supervisor's verdict on each record, and why it was returned */
  "ALTER TABLE records ADD COLUMN review_state TEXT NOT NULL DEFAULT 'pending'"
  "  CHECK (review_state IN ('pending', 'approved', 'returned'));"
  "ALTER TABLE records ADD COLUMN review_reason TEXT;"
  "ALTER TABLE records ADD COLUMN reviewed_by INTEGER REFERENCES users (id);"
  "ALTER TABLE records ADD COLUMN reviewed_at INTEGER;",

  /* 4: built-in schema ids are namespaced by area
   * (khai-sinh → ho-tich.khai-sinh); keep existing batches and records
   * pointing at their forms */
  "UPDATE batches SET schema_id = 'ho-tich.' || schema_id"
  "  WHERE schema_id IN ('khai-sinh', 'ket-hon', 'khai-tu');"
  "UPDATE records SET schema_id = 'ho-tich.' || schema_id"
  "  WHERE schema_id IN ('khai-sinh', 'ket-hon', 'khai-tu');",

  /* 5: search (sohoa-search.c): one full-text row per record holding the
   * folded values of the fields its schema lets be searched (never the
   * sensitive ones), kept current by triggers on field_values.  Every word
   * of a query is a prefix: a prefix index for each length a Vietnamese
   * syllable can have (1 to 7 letters) answers those without merging the
   * lists of every word that starts alike; no positions (detail = none),
   * since no query asks for a phrase */
  "CREATE TABLE search_fields ("
  "  schema_id TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  title INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (schema_id, key)) WITHOUT ROWID;"
  "CREATE VIRTUAL TABLE search_index USING fts5 ("
  "  body, tokenize = 'unicode61 remove_diacritics 0', detail = none,"
  "  prefix = '1 2 3 4 5 6 7');"
  "CREATE TRIGGER search_value_insert AFTER INSERT ON field_values"
  "  WHEN " SEARCH_INDEXED ("new") " BEGIN " SEARCH_REINDEX ("new") " END;"
  "CREATE TRIGGER search_value_update AFTER UPDATE OF value, key ON field_values"
  "  WHEN " SEARCH_INDEXED ("new") " OR " SEARCH_INDEXED ("old") " BEGIN " SEARCH_REINDEX ("new") " END;"
  "CREATE TRIGGER search_value_delete AFTER DELETE ON field_values"
  "  WHEN " SEARCH_INDEXED ("old") " BEGIN " SEARCH_REINDEX ("old") " END;"
  "CREATE TRIGGER search_record_delete AFTER DELETE ON records"
  "  BEGIN DELETE FROM search_index WHERE rowid = old.id; END;",

  /* 6: page adjustments: a turn the clerk chose (kept by OCR),
   * a page whose orientation OCR could not decide, and a page to be read
   * from its original image without cleanup */
  "ALTER TABLE pages ADD COLUMN rotation_manual INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE pages ADD COLUMN orientation_unsure INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE pages ADD COLUMN no_cleanup INTEGER NOT NULL DEFAULT 0;",

  /* 7: double keying (sohoa-double-keying.c): the second, blind keying of
   * critical fields, apart from field_values, and how a disagreement was
   * settled */
  "CREATE TABLE second_keying ("
  "  record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,"
  "  key TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  keyed_by INTEGER NOT NULL REFERENCES users (id),"
  "  keyed_at INTEGER NOT NULL,"
  "  resolution TEXT CHECK (resolution IN ('first', 'second', 'other')),"
  "  resolved_value TEXT,"
  "  resolved_by INTEGER REFERENCES users (id),"
  "  resolved_at INTEGER,"
  "  PRIMARY KEY (record_id, key));",

  /* 8: upload (issue 5): where a package's upload goes (its object key, fixed
   * at the first attempt so a resumed upload finds its parts), why the last
   * attempt failed, how many attempts failed, and when it was done */
  "ALTER TABLE packages ADD COLUMN upload_key TEXT;"
  "ALTER TABLE packages ADD COLUMN upload_error TEXT;"
  "ALTER TABLE packages ADD COLUMN upload_attempts INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE packages ADD COLUMN uploaded_at INTEGER;",

  /* 9: entry screen: where on which page a field's value was read, from a
   * click or a box on the page or from OCR auto-fill, so the page view can
   * show it again when the field has the focus */
  "ALTER TABLE field_values ADD COLUMN box_page INTEGER REFERENCES pages (id) ON DELETE SET NULL;"
  "ALTER TABLE field_values ADD COLUMN box_x INTEGER;"
  "ALTER TABLE field_values ADD COLUMN box_y INTEGER;"
  "ALTER TABLE field_values ADD COLUMN box_width INTEGER;"
  "ALTER TABLE field_values ADD COLUMN box_height INTEGER;",

  /* 10: packages: the states after approval, 'packaged' (package made),
   * 'uploaded' and 'acknowledged' (for the upload).  Only the CHECK of
   * batches.state changes, so its text is edited in place, as SQLite's
   * ALTER TABLE page allows for changes that leave stored rows valid:
   * rebuilding the table would cascade-delete every document while
   * foreign keys are on (they cannot be turned off inside the migration's
   * transaction), and would drop columns other migrations add.  Creating
   * a view bumps the schema cookie, so other connections re-read it. */
  "PRAGMA writable_schema = ON;"
  "UPDATE sqlite_schema SET sql = replace (sql, '''rejected'')', "
  "  '''rejected'', ''packaged'', ''uploaded'', ''acknowledged'')') "
  "  WHERE type = 'table' AND name = 'batches';"
  "PRAGMA writable_schema = RESET;"
  "CREATE VIEW schema_bump AS SELECT 1;"
  "DROP VIEW schema_bump;",

  /* 11: word boxes (boxes branch): x, y, width, height are now of the page
   * as shown, turned upright; these keep each word's box in the image the
   * OCR read, where lines are straight, for auto-fill.  NULL in rows read
   * before: their boxes are of that image. */
  "ALTER TABLE ocr_words ADD COLUMN read_x INTEGER;"
  "ALTER TABLE ocr_words ADD COLUMN read_y INTEGER;"
  "ALTER TABLE ocr_words ADD COLUMN read_width INTEGER;"
  "ALTER TABLE ocr_words ADD COLUMN read_height INTEGER;",

  /* 12: receiving packages (sohoa-package-import.c): each package imported
   * into this workspace, by its OBJID and the SHA-256 of its file, so the
   * same package is never imported twice */
  "CREATE TABLE received_packages ("
  "  objid TEXT PRIMARY KEY,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  batch_id INTEGER NOT NULL REFERENCES batches (id) ON DELETE CASCADE,"
  "  signer TEXT,"
  "  imported_at INTEGER NOT NULL,"
  "  imported_by INTEGER REFERENCES users (id));",

  /* 13: double-keying policy (prefs branch, sohoa-keying-policy.c): the
   * workspace's rule, form by form, whether critical fields are keyed
   * twice; a schema without a row follows its own "double_keying". */
  "CREATE TABLE double_keying_policy ("
  "  schema_id TEXT PRIMARY KEY,"
  "  required INTEGER NOT NULL CHECK (required IN (0, 1)),"
  "  changed_by INTEGER NOT NULL REFERENCES users (id),"
  "  changed_at INTEGER NOT NULL);",
};

static const char * const ocr_state_names[] = { "pending", "done", "failed" };
static const char * const value_state_names[] = { "empty", "filled", "illegible", "uncertain" };
static const char * const review_state_names[] = { "pending", "approved", "returned" };

/* Whether the last error of the database was the disk filling up (or a
 * file size limit): SQLite reports some as SQLITE_FULL, others as a
 * "disk I/O error" whose system errno tells. */
static gboolean
disk_full (SohoaStore *self)
{
  int system_errno = sqlite3_system_errno (self->db);

  return (sqlite3_errcode (self->db) & 0xff) == SQLITE_FULL ||
         system_errno == ENOSPC || system_errno == EDQUOT || system_errno == EFBIG;
}

static gboolean
set_db_error (SohoaStore  *self,
              GError     **error)
{
  if (disk_full (self))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
                   _("The disk holding the workspace is full (%s). Nothing was lost; free some space and try again."),
                   sqlite3_errmsg (self->db));
      return FALSE;
    }
  /* SQLite's messages are English and technical; keep the detail for the
   * administrator but lead with a sentence a clerk can act on. */
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be updated (%s). Nothing was lost; try again."),
               sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (SohoaStore  *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return NULL;
    }
  return stmt;
}

static gboolean
exec (SohoaStore  *self,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (self, error);
  return TRUE;
}

static gboolean
step_done (SohoaStore    *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_db_error (self, error);
  return TRUE;
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

static const char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  return (const char *) sqlite3_column_text (stmt, index);
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static int
lookup_name (const char * const *names,
             guint               n_names,
             const char         *name)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return (int) i;
  return 0;
}

static SohoaBatchState
parse_batch_state (const char *str)
{
  static const char * const names[] = { "open", "submitted", "approved", "rejected",
                                        "packaged", "uploaded", "acknowledged" };
  return (SohoaBatchState) lookup_name (names, G_N_ELEMENTS (names), str);
}

static char *
hash_password (const char  *password,
               GError     **error)
{
  guint8 salt[16];
  char encoded[256];
  int rc;

  if (getrandom (salt, sizeof salt, 0) != sizeof salt)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                           _("The system could not provide random numbers for the password."));
      return NULL;
    }

  /* OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane. */
  rc = argon2id_hash_encoded (2, 19 * 1024, 1, password, strlen (password),
                              salt, sizeof salt, 32, encoded, sizeof encoded);
  if (rc != ARGON2_OK)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                   _("The password could not be protected (%s)."), argon2_error_message (rc));
      return NULL;
    }
  return g_strdup (encoded);
}

static gboolean
check_password_quality (const char  *password,
                        GError     **error)
{
  if (password == NULL || g_utf8_strlen (password, -1) < 4)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("The password must be at least 4 characters long."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64 || strpbrk (name, " \t\n/\\") != NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("A user name must be one word without spaces or slashes."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_user (SohoaUser  *user,
              GError    **error)
{
  if (user == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("Sign in first."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (SohoaStore          *self,
         const char * const  *steps,
         guint                n_steps,
         GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int version;

  if (!(stmt = prepare (self, "PRAGMA user_version", error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_db_error (self, error);
  version = sqlite3_column_int (stmt, 0);

  if (version > (int) n_steps)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_WORKSPACE,
                   _("This workspace was created by a newer version of Sohoa (format %d; this version knows up to %u). Update Sohoa to open it."),
                   version, n_steps);
      return FALSE;
    }

  for (guint i = (guint) version; i < n_steps; i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, steps[i], error) || !exec (self, bump, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          g_prefix_error (error, _("Upgrading the workspace to format %u failed: "), i + 1);
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
        return FALSE;
      g_debug ("Migrated workspace database to version %u", i + 1);
    }

  return TRUE;
}

static gboolean
open_connection (SohoaStore  *self,
                 GError     **error)
{
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_WORKSPACE,
                   _("The workspace database “%s” could not be opened (%s)."),
                   self->path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return FALSE;
    }

  sqlite3_busy_timeout (self->db, 10000);
  sqlite3_extended_result_codes (self->db, 1);
  _sohoa_search_register_functions (self->db);

  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error))
    {
      if (!disk_full (self))
        g_prefix_error (error, _("“%s” is not a usable workspace database: "), self->path);
      return FALSE;
    }

  return TRUE;
}

static void
sohoa_store_finalize (GObject *object)
{
  SohoaStore *self = (SohoaStore *) object;

  g_clear_object (&self->batches);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->workspace_dir, g_free);

  G_OBJECT_CLASS (sohoa_store_parent_class)->finalize (object);
}

static void
sohoa_store_class_init (SohoaStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sohoa_store_finalize;
}

static void
sohoa_store_init (SohoaStore *self)
{
  self->batches = g_list_store_new (SOHOA_TYPE_BATCH);
  self->pages = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

static SohoaStore *
store_new (const char *path)
{
  SohoaStore *self = g_object_new (SOHOA_TYPE_STORE, NULL);

  self->path = g_strdup (path);
  self->workspace_dir = g_path_get_dirname (path);
  return self;
}

/**
 * sohoa_store_open:
 * @path: the database file, created if missing
 *
 * Opens the workspace database and migrates it to %SOHOA_STORE_VERSION.
 */
SohoaStore *
sohoa_store_open (const char  *path,
                  GError     **error)
{
  g_autoptr(SohoaStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = store_new (path);
  if (!open_connection (self, error) ||
      !migrate (self, migrations, G_N_ELEMENTS (migrations), error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * sohoa_store_dup:
 *
 * Opens a second connection to the same database, for a worker thread.
 */
SohoaStore *
sohoa_store_dup (SohoaStore  *self,
                 GError     **error)
{
  g_autoptr(SohoaStore) copy = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  copy = store_new (self->path);
  if (!open_connection (copy, error))
    return NULL;
  return g_steal_pointer (&copy);
}

gboolean
_sohoa_store_migrate (SohoaStore         *self,
                      const char * const *steps,
                      guint               n_steps,
                      GError            **error)
{
  return migrate (self, steps, n_steps, error);
}

const char * const *
_sohoa_store_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}

sqlite3 *
_sohoa_store_get_db (SohoaStore *self)
{
  return self->db;
}

const char *
sohoa_store_get_path (SohoaStore *self)
{
  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);
  return self->path;
}

const char *
sohoa_store_get_workspace_dir (SohoaStore *self)
{
  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);
  return self->workspace_dir;
}

int
sohoa_store_get_version (SohoaStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), -1);

  if (!(stmt = prepare (self, "PRAGMA user_version", NULL)) || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

/**
 * sohoa_store_begin:
 *
 * Starts a transaction; calls nest, and only the outermost commit writes.
 */
gboolean
sohoa_store_begin (SohoaStore  *self,
                   GError     **error)
{
  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);

  if (!exec (self, self->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT nested", error))
    return FALSE;
  self->depth++;
  return TRUE;
}

gboolean
sohoa_store_commit (SohoaStore  *self,
                    GError     **error)
{
  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (!exec (self, self->depth == 1 ? "COMMIT" : "RELEASE nested", error))
    {
      sohoa_store_rollback (self);
      return FALSE;
    }
  self->depth--;
  return TRUE;
}

void
sohoa_store_rollback (SohoaStore *self)
{
  g_return_if_fail (SOHOA_IS_STORE (self));
  g_return_if_fail (self->depth > 0);

  if (self->depth == 1)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  else
    sqlite3_exec (self->db, "ROLLBACK TO nested; RELEASE nested", NULL, NULL, NULL);
  self->depth--;
}

/* Audit ------------------------------------------------------------------ */

static char *
audit_hash (const char *prev_hash,
            const char *at,
            gint64      user_id,
            const char *action,
            const char *entity,
            gint64      entity_id,
            const char *detail)
{
  g_autofree char *payload = g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT "\n%s\n%s\n%" G_GINT64_FORMAT "\n%s",
                                              prev_hash, at, user_id, action, entity,
                                              entity_id, detail);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, payload, -1);
}

/* A JSON object of string members, from NULL-terminated name, value pairs. */
static char *
audit_detail (const char *first_name,
              ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * sohoa_store_append_audit:
 * @detail_json: (nullable): a JSON object; never personal data
 *
 * Appends one row to the hash-chained audit log.  Call it inside the
 * transaction that makes the change it records.
 */
gboolean
sohoa_store_append_audit (SohoaStore  *self,
                          SohoaUser   *user,
                          const char  *action,
                          const char  *entity,
                          gint64       entity_id,
                          const char  *detail_json,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) last = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  gint64 user_id = user ? sohoa_user_get_id (user) : 0;
  const char *detail = detail_json ? detail_json : "{}";

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL && entity != NULL, FALSE);

  if (!(last = prepare (self, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1", error)))
    return FALSE;
  prev = g_strdup (sqlite3_step (last) == SQLITE_ROW ? column_text (last, 0) : GENESIS_HASH);
  hash = audit_hash (prev, at, user_id, action, entity, entity_id, detail);

  if (!(insert = prepare (self,
                          "INSERT INTO audit (at, user_id, user_name, action, entity, entity_id, detail, prev_hash, hash) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;
  bind_text (insert, 1, at);
  if (user_id)
    sqlite3_bind_int64 (insert, 2, user_id);
  bind_text (insert, 3, user ? sohoa_user_get_name (user) : NULL);
  bind_text (insert, 4, action);
  bind_text (insert, 5, entity);
  sqlite3_bind_int64 (insert, 6, entity_id);
  bind_text (insert, 7, detail);
  bind_text (insert, 8, prev);
  bind_text (insert, 9, hash);
  return step_done (self, insert, error);
}

/**
 * sohoa_store_verify_audit:
 *
 * Walks the audit log and checks that every row's hash covers its content
 * and the previous row's hash: an edited, deleted or reordered row breaks
 * the chain.
 */
gboolean
sohoa_store_verify_audit (SohoaStore  *self,
                          guint       *n_rows,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prev = g_strdup (GENESIS_HASH);
  guint n = 0;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);

  if (!(stmt = prepare (self,
                        "SELECT a.id, a.at, coalesce (a.user_id, 0), a.action, a.entity, a.entity_id, a.detail, "
                        "       a.prev_hash, a.hash, a.user_name IS u.name "
                        "FROM audit a LEFT JOIN users u ON u.id = a.user_id ORDER BY a.id", error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *expected = NULL;
      gint64 id = sqlite3_column_int64 (stmt, 0);

      expected = audit_hash (prev, column_text (stmt, 1), sqlite3_column_int64 (stmt, 2),
                             column_text (stmt, 3), column_text (stmt, 4),
                             sqlite3_column_int64 (stmt, 5), column_text (stmt, 6));
      /* The user's name is a copy kept for reading; the hash covers the
       * user id, and the name must still be that user's. */
      if (g_strcmp0 (column_text (stmt, 7), prev) != 0 ||
          g_strcmp0 (column_text (stmt, 8), expected) != 0 ||
          !sqlite3_column_int (stmt, 9))
        {
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                       _("The audit log has been altered at entry %lld."), (long long) id);
          return FALSE;
        }
      g_free (prev);
      prev = g_strdup (column_text (stmt, 8));
      n++;
    }
  if (rc != SQLITE_DONE)
    return set_db_error (self, error);

  if (n_rows)
    *n_rows = n;
  return TRUE;
}

/* Workspace and users ---------------------------------------------------- */

gboolean
sohoa_store_is_initialized (SohoaStore *self)
{
  return sohoa_store_get_ward (self, NULL, NULL);
}

gboolean
sohoa_store_get_ward (SohoaStore  *self,
                      char       **code,
                      char       **name)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);

  if (!(stmt = prepare (self, "SELECT ward_code, ward_name FROM workspace WHERE id = 1", NULL)) ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  if (code)
    *code = g_strdup (column_text (stmt, 0));
  if (name)
    *name = g_strdup (column_text (stmt, 1));
  return TRUE;
}

static SohoaUser *
insert_user (SohoaStore  *self,
             SohoaUser   *actor,
             const char  *name,
             const char  *full_name,
             SohoaRole    role,
             const char  *password,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *nfc_name = NULL;
  g_autofree char *nfc_full_name = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(SohoaUser) user = NULL;

  if (!check_name (name, error) || !check_password_quality (password, error))
    return NULL;
  if (!(hash = hash_password (password, error)))
    return NULL;

  nfc_name = sohoa_text_normalize (name);
  nfc_full_name = sohoa_text_normalize (full_name && *full_name ? full_name : name);

  if (!(stmt = prepare (self,
                        "INSERT INTO users (name, full_name, role, password_hash, created_at) "
                        "VALUES (?, ?, ?, ?, ?)", error)))
    return NULL;
  bind_text (stmt, 1, nfc_name);
  bind_text (stmt, 2, nfc_full_name);
  bind_text (stmt, 3, sohoa_role_to_string (role));
  bind_text (stmt, 4, hash);
  sqlite3_bind_int64 (stmt, 5, now_unix ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                     _("There is already a user named “%s”."), nfc_name);
      else
        set_db_error (self, error);
      return NULL;
    }

  user = _sohoa_user_new (sqlite3_last_insert_rowid (self->db), nfc_name, nfc_full_name, role);
  detail = g_strdup_printf ("{\"name\":\"%s\",\"role\":\"%s\"}", nfc_name, sohoa_role_to_string (role));
  if (!sohoa_store_append_audit (self, actor ? actor : user, "user.create", "user",
                                 sohoa_user_get_id (user), detail, error))
    return NULL;

  return g_steal_pointer (&user);
}

/**
 * sohoa_store_initialize:
 *
 * Sets up a new workspace: the ward it belongs to and its first
 * administrator.  Fails if the workspace is already set up.
 */
SohoaUser *
sohoa_store_initialize (SohoaStore  *self,
                        const char  *ward_code,
                        const char  *ward_name,
                        const char  *admin_name,
                        const char  *admin_full_name,
                        const char  *admin_password,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SohoaUser) admin = NULL;
  g_autofree char *nfc_ward = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (ward_code == NULL || strlen (ward_code) != 5 || strspn (ward_code, "0123456789") != 5)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("The ward code must be the five-digit code of the ward or commune."));
      return NULL;
    }
  if (ward_name == NULL || *ward_name == '\0')
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Enter the name of the ward or commune."));
      return NULL;
    }
  if (sohoa_store_is_initialized (self))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                           _("This workspace is already set up."));
      return NULL;
    }

  if (!sohoa_store_begin (self, error))
    return NULL;

  nfc_ward = sohoa_text_normalize (ward_name);
  if (!(stmt = prepare (self, "INSERT INTO workspace (id, ward_code, ward_name, created_at) VALUES (1, ?, ?, ?)", error)))
    goto failed;
  bind_text (stmt, 1, ward_code);
  bind_text (stmt, 2, nfc_ward);
  sqlite3_bind_int64 (stmt, 3, now_unix ());
  if (!step_done (self, stmt, error))
    goto failed;

  if (!(admin = insert_user (self, NULL, admin_name, admin_full_name, SOHOA_ROLE_ADMIN, admin_password, error)) ||
      !sohoa_store_append_audit (self, admin, "workspace.create", "workspace", 1, NULL, error) ||
      !sohoa_store_commit (self, error))
    goto failed;

  return g_steal_pointer (&admin);

failed:
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return NULL;
}

/**
 * sohoa_store_add_user:
 * @actor: the administrator creating the account
 */
SohoaUser *
sohoa_store_add_user (SohoaStore  *self,
                      SohoaUser   *actor,
                      const char  *name,
                      const char  *full_name,
                      SohoaRole    role,
                      const char  *password,
                      GError     **error)
{
  g_autoptr(SohoaUser) user = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);
  g_return_val_if_fail (SOHOA_IS_USER (actor), NULL);

  if (sohoa_user_get_role (actor) != SOHOA_ROLE_ADMIN)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("Only an administrator can create accounts."));
      return NULL;
    }

  if (!sohoa_store_begin (self, error))
    return NULL;
  if (!(user = insert_user (self, actor, name, full_name, role, password, error)) ||
      !sohoa_store_commit (self, error))
    {
      if (self->depth > 0)
        sohoa_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&user);
}

SohoaUser *
sohoa_store_authenticate (SohoaStore  *self,
                          const char  *name,
                          const char  *password,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SohoaUser) user = NULL;
  g_autofree char *nfc_name = NULL;
  SohoaRole role = SOHOA_ROLE_OPERATOR;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL && password != NULL, NULL);

  nfc_name = sohoa_text_normalize (name);
  if (!(stmt = prepare (self,
                        "SELECT id, name, full_name, role, password_hash FROM users "
                        "WHERE name = ? AND disabled = 0", error)))
    return NULL;
  bind_text (stmt, 1, nfc_name);

  if (sqlite3_step (stmt) != SQLITE_ROW ||
      argon2id_verify (column_text (stmt, 4), password, strlen (password)) != ARGON2_OK)
    {
      g_autofree char *detail = audit_detail ("name", nfc_name, NULL);

      /* Failed attempts are in the audit log too, by the name tried. */
      sohoa_store_append_audit (self, NULL, "user.login-failed", "user", 0, detail, NULL);
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_AUTH,
                           _("The user name or password is wrong."));
      return NULL;
    }

  sohoa_role_from_string (column_text (stmt, 3), &role);
  user = _sohoa_user_new (sqlite3_column_int64 (stmt, 0), column_text (stmt, 1),
                          column_text (stmt, 2), role);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!sohoa_store_append_audit (self, user, "user.login", "user", sohoa_user_get_id (user), NULL, error))
    return NULL;
  return g_steal_pointer (&user);
}

GListModel *
sohoa_store_list_users (SohoaStore  *self,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GListStore) users = g_list_store_new (SOHOA_TYPE_USER);
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (!(stmt = prepare (self, "SELECT id, name, full_name, role FROM users WHERE disabled = 0 ORDER BY name", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(SohoaUser) user = NULL;
      SohoaRole role = SOHOA_ROLE_OPERATOR;

      sohoa_role_from_string (column_text (stmt, 3), &role);
      user = _sohoa_user_new (sqlite3_column_int64 (stmt, 0), column_text (stmt, 1),
                              column_text (stmt, 2), role);
      g_list_store_append (users, user);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&users));
}

/**
 * sohoa_store_list_accounts:
 * @actor: an administrator
 *
 * Every account, closed ones too, for the administrator's account list.
 */
GListModel *
sohoa_store_list_accounts (SohoaStore  *self,
                           SohoaUser   *actor,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GListStore) users = g_list_store_new (SOHOA_TYPE_USER);
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);
  g_return_val_if_fail (SOHOA_IS_USER (actor), NULL);

  if (sohoa_user_get_role (actor) != SOHOA_ROLE_ADMIN)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("Only an administrator can manage accounts."));
      return NULL;
    }
  if (!(stmt = prepare (self, "SELECT id, name, full_name, role, disabled FROM users ORDER BY disabled, name", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(SohoaUser) user = NULL;
      SohoaRole role = SOHOA_ROLE_OPERATOR;

      sohoa_role_from_string (column_text (stmt, 3), &role);
      user = _sohoa_user_new (sqlite3_column_int64 (stmt, 0), column_text (stmt, 1),
                              column_text (stmt, 2), role);
      _sohoa_user_set_disabled (user, sqlite3_column_int (stmt, 4) != 0);
      g_list_store_append (users, user);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&users));
}

/* The name and password hash of account @user_id, or FALSE with @error. */
static gboolean
lookup_account (SohoaStore  *self,
                gint64       user_id,
                char       **name,
                char       **password_hash,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = prepare (self, "SELECT name, password_hash FROM users WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("This account does not exist."));
      return FALSE;
    }
  *name = g_strdup (column_text (stmt, 0));
  if (password_hash)
    *password_hash = g_strdup (column_text (stmt, 1));
  return TRUE;
}

/**
 * sohoa_store_set_password:
 * @actor: an administrator, or the account's own user
 * @current_password: (nullable): the present password, needed when users
 *   change their own; an administrator resetting another account's
 *   password does not know it
 *
 * Sets a new password.  Slow on purpose (Argon2id): call it from a worker
 * thread.
 */
gboolean
sohoa_store_set_password (SohoaStore  *self,
                          SohoaUser   *actor,
                          gint64       user_id,
                          const char  *current_password,
                          const char  *password,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *old_hash = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *detail = NULL;
  gboolean own = FALSE;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (SOHOA_IS_USER (actor), FALSE);

  own = sohoa_user_get_id (actor) == user_id;
  if (!own && sohoa_user_get_role (actor) != SOHOA_ROLE_ADMIN)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("Only an administrator can set another user’s password."));
      return FALSE;
    }
  if (!lookup_account (self, user_id, &name, &old_hash, error))
    return FALSE;
  if (own && (current_password == NULL ||
              argon2id_verify (old_hash, current_password, strlen (current_password)) != ARGON2_OK))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_AUTH, _("The current password is wrong."));
      return FALSE;
    }
  if (!check_password_quality (password, error) || !(hash = hash_password (password, error)))
    return FALSE;

  if (!sohoa_store_begin (self, error))
    return FALSE;
  detail = audit_detail ("name", name, NULL);
  if (!(stmt = prepare (self, "UPDATE users SET password_hash = ? WHERE id = ?", error)))
    goto failed;
  bind_text (stmt, 1, hash);
  sqlite3_bind_int64 (stmt, 2, user_id);
  if (!step_done (self, stmt, error) ||
      !sohoa_store_append_audit (self, actor, own ? "user.password-change" : "user.password-reset",
                                 "user", user_id, detail, error) ||
      !sohoa_store_commit (self, error))
    goto failed;
  return TRUE;

failed:
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return FALSE;
}

/**
 * sohoa_store_set_user_disabled:
 * @actor: an administrator, who cannot close their own account
 *
 * Closes an account (it can no longer sign in) or opens it again.
 * Accounts are never deleted: the audit log and the records name them.
 */
gboolean
sohoa_store_set_user_disabled (SohoaStore  *self,
                               SohoaUser   *actor,
                               gint64       user_id,
                               gboolean     disabled,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (SOHOA_IS_USER (actor), FALSE);

  if (sohoa_user_get_role (actor) != SOHOA_ROLE_ADMIN)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("Only an administrator can manage accounts."));
      return FALSE;
    }
  if (disabled && sohoa_user_get_id (actor) == user_id)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                           _("You cannot close the account you are signed in with."));
      return FALSE;
    }
  if (!lookup_account (self, user_id, &name, NULL, error))
    return FALSE;

  if (!sohoa_store_begin (self, error))
    return FALSE;
  detail = audit_detail ("name", name, NULL);
  if (!(stmt = prepare (self, "UPDATE users SET disabled = ? WHERE id = ?", error)))
    goto failed;
  sqlite3_bind_int (stmt, 1, disabled ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, user_id);
  if (!step_done (self, stmt, error) ||
      !sohoa_store_append_audit (self, actor, disabled ? "user.disable" : "user.enable",
                                 "user", user_id, detail, error) ||
      !sohoa_store_commit (self, error))
    goto failed;
  return TRUE;

failed:
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return FALSE;
}

/* Batches ---------------------------------------------------------------- */

#define BATCH_COLUMNS \
  "b.id, b.title, b.schema_id, b.state, b.created_at, b.note, " \
  "(SELECT count(*) FROM pages p JOIN documents d ON p.document_id = d.id WHERE d.batch_id = b.id)"

static SohoaBatch *
batch_from_row (sqlite3_stmt *stmt)
{
  return _sohoa_batch_new (sqlite3_column_int64 (stmt, 0),
                           column_text (stmt, 1),
                           column_text (stmt, 2),
                           parse_batch_state (column_text (stmt, 3)),
                           (guint) sqlite3_column_int (stmt, 6),
                           sqlite3_column_int64 (stmt, 4),
                           column_text (stmt, 5));
}

SohoaBatch *
sohoa_store_get_batch (SohoaStore  *self,
                       gint64       batch_id,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (!(stmt = prepare (self, "SELECT " BATCH_COLUMNS " FROM batches b WHERE b.id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return batch_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND,
                 _("There is no batch number %lld."), (long long) batch_id);
  else
    set_db_error (self, error);
  return NULL;
}

SohoaBatch *
sohoa_store_create_batch (SohoaStore  *self,
                          SohoaUser   *user,
                          const char  *schema_id,
                          const char  *title,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *nfc_title = NULL;
  g_autofree char *detail = NULL;
  gint64 id;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);
  g_return_val_if_fail (schema_id != NULL, NULL);

  if (!require_user (user, error) || !sohoa_store_begin (self, error))
    return NULL;

  if (title == NULL || *title == '\0')
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      /* Translators: default batch title; %s is a date like 22/11/2026 */
      g_autofree char *date = g_date_time_format (now, "%d/%m/%Y %H:%M");
      nfc_title = g_strdup_printf (_("Batch of %s"), date);
    }
  else
    nfc_title = sohoa_text_normalize (title);

  if (!(stmt = prepare (self,
                        "INSERT INTO batches (title, schema_id, created_at, created_by) VALUES (?, ?, ?, ?)",
                        error)))
    goto failed;
  bind_text (stmt, 1, nfc_title);
  bind_text (stmt, 2, schema_id);
  sqlite3_bind_int64 (stmt, 3, now_unix ());
  sqlite3_bind_int64 (stmt, 4, sohoa_user_get_id (user));
  if (!step_done (self, stmt, error))
    goto failed;
  id = sqlite3_last_insert_rowid (self->db);

  detail = g_strdup_printf ("{\"schema\":\"%s\"}", schema_id);
  if (!sohoa_store_append_audit (self, user, "batch.create", "batch", id, detail, error) ||
      !sohoa_store_commit (self, error))
    goto failed;

  return sohoa_store_get_batch (self, id, error);

failed:
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return NULL;
}

/**
 * sohoa_store_list_batches:
 *
 * Returns: (transfer full): the store's live list of batches, newest first,
 *   refreshed from the database by each call
 */
GListModel *
sohoa_store_list_batches (SohoaStore  *self,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_old;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (!(stmt = prepare (self, "SELECT " BATCH_COLUMNS " FROM batches b ORDER BY b.id DESC", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (fresh, batch_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }

  /* Keep the objects the UI already holds: update them in place, insert the
   * new ones, so selections and bindings survive a refresh. */
  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->batches));
  for (guint i = 0; i < fresh->len; i++)
    {
      SohoaBatch *batch = g_ptr_array_index (fresh, i);
      gboolean found = FALSE;

      for (guint j = 0; j < n_old && !found; j++)
        {
          g_autoptr(SohoaBatch) old = g_list_model_get_item (G_LIST_MODEL (self->batches), j);

          if (sohoa_batch_get_id (old) == sohoa_batch_get_id (batch))
            {
              _sohoa_batch_update (old, sohoa_batch_get_state (batch),
                                   sohoa_batch_get_n_pages (batch),
                                   sohoa_batch_get_note (batch));
              g_ptr_array_index (fresh, i) = g_object_ref (old);
              g_object_unref (batch);
              found = TRUE;
            }
        }
    }
  g_list_store_splice (self->batches, 0, n_old, fresh->pdata, fresh->len);

  return g_object_ref (G_LIST_MODEL (self->batches));
}

gboolean
sohoa_store_refresh_batch (SohoaStore  *self,
                           SohoaBatch  *batch,
                           GError     **error)
{
  g_autoptr(SohoaBatch) fresh = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (SOHOA_IS_BATCH (batch), FALSE);

  if (!(fresh = sohoa_store_get_batch (self, sohoa_batch_get_id (batch), error)))
    return FALSE;
  _sohoa_batch_update (batch, sohoa_batch_get_state (fresh), sohoa_batch_get_n_pages (fresh),
                       sohoa_batch_get_note (fresh));
  return TRUE;
}

static gboolean
change_batch_state (SohoaStore       *self,
                    SohoaUser        *user,
                    gint64            batch_id,
                    SohoaBatchState   from_a,
                    SohoaBatchState   from_b,
                    SohoaBatchState   to,
                    const char       *action,
                    const char       *note,
                    GError          **error)
{
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SohoaBatchState state;

  if (!require_user (user, error) || !sohoa_store_begin (self, error))
    return FALSE;

  if (!(batch = sohoa_store_get_batch (self, batch_id, error)))
    goto failed;

  state = sohoa_batch_get_state (batch);
  if (state != from_a && state != from_b)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("Batch “%s” is %s; that is not possible now."),
                   sohoa_batch_get_title (batch), sohoa_batch_state_get_label (state));
      goto failed;
    }

  if (to == SOHOA_BATCH_SUBMITTED && sohoa_batch_get_n_pages (batch) == 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                           _("An empty batch cannot be submitted. Import pages first."));
      goto failed;
    }

  /* Fields keyed twice that disagree must be settled first. */
  if (to == SOHOA_BATCH_SUBMITTED && !_sohoa_store_check_double_keying (self, batch_id, error))
    goto failed;

  if (to == SOHOA_BATCH_SUBMITTED)
    stmt = prepare (self, "UPDATE batches SET state = ?, note = ?, submitted_at = ?, submitted_by = ? WHERE id = ?", error);
  else if (to == SOHOA_BATCH_APPROVED)
    stmt = prepare (self, "UPDATE batches SET state = ?, note = ?, approved_at = ?, approved_by = ? WHERE id = ?", error);
  else
    stmt = prepare (self, "UPDATE batches SET state = ?, note = ?, approved_at = NULL, approved_by = NULL, "
                          "submitted_at = coalesce (submitted_at, ?), submitted_by = coalesce (submitted_by, ?) WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;

  bind_text (stmt, 1, sohoa_batch_state_to_string (to));
  bind_text (stmt, 2, note);
  sqlite3_bind_int64 (stmt, 3, now_unix ());
  sqlite3_bind_int64 (stmt, 4, sohoa_user_get_id (user));
  sqlite3_bind_int64 (stmt, 5, batch_id);
  if (!step_done (self, stmt, error))
    goto failed;

  if (!sohoa_store_append_audit (self, user, action, "batch", batch_id, NULL, error) ||
      !sohoa_store_commit (self, error))
    goto failed;

  return TRUE;

failed:
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return FALSE;
}

/**
 * sohoa_store_submit_batch:
 *
 * The operator hands a batch over for review.
 */
gboolean
sohoa_store_submit_batch (SohoaStore  *self,
                          SohoaUser   *user,
                          gint64       batch_id,
                          GError     **error)
{
  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);

  return change_batch_state (self, user, batch_id, SOHOA_BATCH_OPEN, SOHOA_BATCH_REJECTED,
                             SOHOA_BATCH_SUBMITTED, "batch.submit", NULL, error);
}

static gboolean
require_supervisor (SohoaUser  *user,
                    GError    **error)
{
  if (!require_user (user, error))
    return FALSE;
  if (!sohoa_user_can_approve (user))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("Only a supervisor can approve or return a batch."));
      return FALSE;
    }
  return TRUE;
}

gboolean
sohoa_store_approve_batch (SohoaStore  *self,
                           SohoaUser   *user,
                           gint64       batch_id,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) returned = NULL;
  g_autoptr(sqlite3_stmt) approve = NULL;
  int n_returned;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);

  if (!require_supervisor (user, error) || !sohoa_store_begin (self, error))
    return FALSE;

  /* A record the supervisor sent back cannot ride along with the batch. */
  if (!(returned = prepare (self,
                            "SELECT count(*) FROM records r JOIN documents d ON r.document_id = d.id "
                            "WHERE d.batch_id = ? AND r.review_state = 'returned'", error)))
    goto failed;
  sqlite3_bind_int64 (returned, 1, batch_id);
  n_returned = sqlite3_step (returned) == SQLITE_ROW ? sqlite3_column_int (returned, 0) : 0;
  if (n_returned > 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%d record of this batch was returned for correction; return the batch to the operator instead.",
                                "%d records of this batch were returned for correction; return the batch to the operator instead.",
                                n_returned),
                   n_returned);
      goto failed;
    }

  if (!change_batch_state (self, user, batch_id, SOHOA_BATCH_SUBMITTED, SOHOA_BATCH_SUBMITTED,
                           SOHOA_BATCH_APPROVED, "batch.approve", NULL, error))
    goto failed;

  /* Approving the batch approves the records not yet looked at one by one. */
  if (!(approve = prepare (self,
                           "UPDATE records SET review_state = 'approved', reviewed_by = ?, reviewed_at = ? "
                           "WHERE review_state = 'pending' AND document_id IN (SELECT id FROM documents WHERE batch_id = ?)",
                           error)))
    goto failed;
  sqlite3_bind_int64 (approve, 1, sohoa_user_get_id (user));
  sqlite3_bind_int64 (approve, 2, now_unix ());
  sqlite3_bind_int64 (approve, 3, batch_id);
  if (!step_done (self, approve, error) || !sohoa_store_commit (self, error))
    goto failed;
  return TRUE;

failed:
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return FALSE;
}

gboolean
sohoa_store_reject_batch (SohoaStore  *self,
                          SohoaUser   *user,
                          gint64       batch_id,
                          const char  *reason,
                          GError     **error)
{
  g_autofree char *nfc_reason = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);

  if (!require_supervisor (user, error))
    return FALSE;
  nfc_reason = sohoa_text_normalize (reason ? reason : "");
  if (*g_strstrip (nfc_reason) == '\0')
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Say why the batch is returned, so the operator can correct it."));
      return FALSE;
    }
  return change_batch_state (self, user, batch_id, SOHOA_BATCH_SUBMITTED, SOHOA_BATCH_SUBMITTED,
                             SOHOA_BATCH_REJECTED, "batch.reject", nfc_reason, error);
}

/* Pages ------------------------------------------------------------------ */

gint64
sohoa_store_find_page (SohoaStore  *self,
                       const char  *sha256,
                       gint64      *batch_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), 0);
  g_return_val_if_fail (sha256 != NULL, 0);

  if (!(stmt = prepare (self,
                        "SELECT p.id, d.batch_id FROM pages p JOIN documents d ON p.document_id = d.id "
                        "WHERE p.sha256 = ? ORDER BY p.frame LIMIT 1", NULL)))
    return 0;
  bind_text (stmt, 1, sha256);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  if (batch_id)
    *batch_id = sqlite3_column_int64 (stmt, 1);
  return sqlite3_column_int64 (stmt, 0);
}

static gint64
next_position (SohoaStore *self,
               const char *sql,
               gint64      batch_id)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* Adds one page as a document of its own, or, for the later frames of a
 * multi-page file, to the document of its first frame. */
gint64
_sohoa_store_add_page (SohoaStore         *self,
                       SohoaUser          *user,
                       const SohoaNewPage *page,
                       GError            **error)
{
  g_autoptr(sqlite3_stmt) doc = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *detail = NULL;
  gint64 document_id = 0;
  gint64 page_id;

  if (page->frame > 0)
    {
      g_autoptr(sqlite3_stmt) first = prepare (self, "SELECT document_id FROM pages WHERE sha256 = ? AND frame = 0", error);

      if (first == NULL)
        return 0;
      bind_text (first, 1, page->sha256);
      if (sqlite3_step (first) == SQLITE_ROW)
        document_id = sqlite3_column_int64 (first, 0);
    }

  if (document_id == 0)
    {
      if (!(doc = prepare (self, "INSERT INTO documents (batch_id, position) VALUES (?, ?)", error)))
        return 0;
      sqlite3_bind_int64 (doc, 1, page->batch_id);
      sqlite3_bind_int64 (doc, 2, next_position (self, "SELECT coalesce (max (position) + 1, 0) FROM documents WHERE batch_id = ?", page->batch_id));
      if (!step_done (self, doc, error))
        return 0;
      document_id = sqlite3_last_insert_rowid (self->db);
    }

  if (!(stmt = prepare (self,
                        "INSERT INTO pages (document_id, position, sha256, frame, ext, source_name, size, width, height, dpi, imported_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, next_position (self,
                                              "SELECT coalesce (max (p.position) + 1, 0) FROM pages p "
                                              "JOIN documents d ON p.document_id = d.id WHERE d.batch_id = ?",
                                              page->batch_id));
  bind_text (stmt, 3, page->sha256);
  sqlite3_bind_int (stmt, 4, (int) page->frame);
  bind_text (stmt, 5, page->ext);
  bind_text (stmt, 6, page->source_name);
  sqlite3_bind_int64 (stmt, 7, page->size);
  sqlite3_bind_int (stmt, 8, (int) page->width);
  sqlite3_bind_int (stmt, 9, (int) page->height);
  sqlite3_bind_int (stmt, 10, (int) page->dpi);
  sqlite3_bind_int64 (stmt, 11, now_unix ());
  if (!step_done (self, stmt, error))
    return 0;
  page_id = sqlite3_last_insert_rowid (self->db);

  detail = g_strdup_printf ("{\"batch\":%" G_GINT64_FORMAT ",\"sha256\":\"%s\",\"frame\":%u}",
                            page->batch_id, page->sha256, page->frame);
  if (!sohoa_store_append_audit (self, user, "page.import", "page", page_id, detail, error))
    return 0;

  return page_id;
}

/* Page order ------------------------------------------------------------- */

static gboolean
batch_is_editable (SohoaStore  *self,
                   gint64       batch_id,
                   GError     **error)
{
  g_autoptr(SohoaBatch) batch = sohoa_store_get_batch (self, batch_id, error);

  if (batch == NULL)
    return FALSE;
  switch (sohoa_batch_get_state (batch))
    {
    case SOHOA_BATCH_OPEN:
    case SOHOA_BATCH_REJECTED:
      return TRUE;
    default:
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("Batch “%s” has been submitted; its pages and records can no longer be changed."),
                   sohoa_batch_get_title (batch));
      return FALSE;
    }
}

/* The pages of a batch in order, as (page id, document id) pairs. */
static GArray *
batch_page_order (SohoaStore  *self,
                  gint64       batch_id,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (!(stmt = prepare (self,
                        "SELECT p.id, p.document_id FROM pages p JOIN documents d ON p.document_id = d.id "
                        "WHERE d.batch_id = ? ORDER BY p.position", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };
      g_array_append_vals (order, pair, 2);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&order);
}

/* Writes @order (pairs of page id, document id) as the batch's page order,
 * moves pages between documents as the pairs say, numbers the documents
 * by their first page and removes documents left without pages. */
static gboolean
write_page_order (SohoaStore  *self,
                  gint64       batch_id,
                  GArray      *order,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) page = NULL;
  g_autoptr(sqlite3_stmt) docs = NULL;
  g_autoptr(sqlite3_stmt) empty = NULL;

  if (!(page = prepare (self, "UPDATE pages SET position = ?, document_id = ? WHERE id = ?", error)))
    return FALSE;
  for (guint i = 0; i < order->len / 2; i++)
    {
      sqlite3_reset (page);
      sqlite3_bind_int (page, 1, (int) i);
      sqlite3_bind_int64 (page, 2, g_array_index (order, gint64, 2 * i + 1));
      sqlite3_bind_int64 (page, 3, g_array_index (order, gint64, 2 * i));
      if (!step_done (self, page, error))
        return FALSE;
    }

  if (!(empty = prepare (self,
                         "DELETE FROM documents WHERE batch_id = ? AND NOT EXISTS "
                         "(SELECT 1 FROM pages p WHERE p.document_id = documents.id)", error)))
    return FALSE;
  sqlite3_bind_int64 (empty, 1, batch_id);
  if (!step_done (self, empty, error))
    return FALSE;

  if (!(docs = prepare (self,
                        "UPDATE documents SET position = (SELECT min (p.position) FROM pages p "
                        "WHERE p.document_id = documents.id) WHERE batch_id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (docs, 1, batch_id);
  return step_done (self, docs, error);
}

static gint64
page_batch (SohoaStore  *self,
            gint64       page_id,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = prepare (self, "SELECT d.batch_id FROM pages p JOIN documents d ON p.document_id = d.id WHERE p.id = ?", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, page_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("The page no longer exists."));
      return 0;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* The first steps of every page-order change: who, which batch, may it
 * change, a transaction, and the current order. */
static GArray *
begin_page_change (SohoaStore  *self,
                   SohoaUser   *user,
                   gint64       batch_id,
                   GError     **error)
{
  GArray *order;

  if (!require_user (user, error) || !sohoa_store_begin (self, error))
    return NULL;
  if (!batch_is_editable (self, batch_id, error) ||
      !(order = batch_page_order (self, batch_id, error)))
    {
      sohoa_store_rollback (self);
      return NULL;
    }
  return order;
}

static gboolean
finish_page_change (SohoaStore  *self,
                    SohoaUser   *user,
                    gint64       batch_id,
                    GArray      *order,
                    const char  *action,
                    gint64       page_id,
                    const char  *detail,
                    GError     **error)
{
  if (!write_page_order (self, batch_id, order, error) ||
      !sohoa_store_append_audit (self, user, action, page_id ? "page" : "batch",
                                 page_id ? page_id : batch_id, detail, error) ||
      !sohoa_store_commit (self, error))
    {
      if (self->depth > 0)
        sohoa_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * sohoa_store_move_page:
 * @to_position: where the page goes, counting from 0
 *
 * Moves a page within its batch; it stays in its document.
 */
gboolean
sohoa_store_move_page (SohoaStore  *self,
                       SohoaUser   *user,
                       gint64       page_id,
                       guint        to_position,
                       GError     **error)
{
  g_autoptr(GArray) order = NULL;
  g_autofree char *detail = NULL;
  gint64 batch_id;
  gint64 pair[2];
  guint from = G_MAXUINT;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);

  if (!(batch_id = page_batch (self, page_id, error)) ||
      !(order = begin_page_change (self, user, batch_id, error)))
    return FALSE;

  for (guint i = 0; i < order->len / 2; i++)
    if (g_array_index (order, gint64, 2 * i) == page_id)
      from = i;
  g_assert (from != G_MAXUINT);

  pair[0] = g_array_index (order, gint64, 2 * from);
  pair[1] = g_array_index (order, gint64, 2 * from + 1);
  g_array_remove_range (order, 2 * from, 2);
  to_position = MIN (to_position, order->len / 2);
  g_array_insert_vals (order, 2 * to_position, pair, 2);

  detail = g_strdup_printf ("{\"from\":%u,\"to\":%u}", from, to_position);
  return finish_page_change (self, user, batch_id, order, "page.move", page_id, detail, error);
}

/**
 * sohoa_store_delete_page:
 *
 * Takes a page out of its batch (a bad scan to be scanned again).  The
 * image stays in the page store; the audit log keeps its hash.  A document
 * left without pages goes too, with its record.
 */
gboolean
sohoa_store_delete_page (SohoaStore  *self,
                         SohoaUser   *user,
                         gint64       page_id,
                         GError     **error)
{
  g_autoptr(GArray) order = NULL;
  g_autoptr(sqlite3_stmt) info = NULL;
  g_autoptr(sqlite3_stmt) del = NULL;
  g_autofree char *detail = NULL;
  gint64 batch_id;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);

  if (!(batch_id = page_batch (self, page_id, error)) ||
      !(order = begin_page_change (self, user, batch_id, error)))
    return FALSE;

  if (!(info = prepare (self, "SELECT sha256, frame FROM pages WHERE id = ?", error)))
    goto failed;
  sqlite3_bind_int64 (info, 1, page_id);
  if (sqlite3_step (info) != SQLITE_ROW)
    goto failed;
  detail = g_strdup_printf ("{\"batch\":%" G_GINT64_FORMAT ",\"sha256\":\"%s\",\"frame\":%d}",
                            batch_id, column_text (info, 0), sqlite3_column_int (info, 1));

  if (!(del = prepare (self, "DELETE FROM pages WHERE id = ?", error)))
    goto failed;
  sqlite3_bind_int64 (del, 1, page_id);
  if (!step_done (self, del, error))
    goto failed;

  for (guint i = 0; i < order->len / 2; i++)
    if (g_array_index (order, gint64, 2 * i) == page_id)
      {
        g_array_remove_range (order, 2 * i, 2);
        break;
      }

  return finish_page_change (self, user, batch_id, order, "page.delete", page_id, detail, error);

failed:
  sohoa_store_rollback (self);
  return FALSE;
}

/**
 * sohoa_store_merge_duplex:
 *
 * Puts together a two-sided stack scanned on a one-sided feeder: the
 * fronts first, then the stack turned over, so the backs come in reverse
 * order.  Page i and page n − 1 − i become the front and back of one
 * sheet, one document.  Refused when a document that would disappear
 * already has keyed values, so no typing is lost.
 */
gboolean
sohoa_store_merge_duplex (SohoaStore  *self,
                          SohoaUser   *user,
                          gint64       batch_id,
                          GError     **error)
{
  g_autoptr(GArray) order = NULL;
  g_autoptr(GArray) merged = NULL;
  g_autoptr(sqlite3_stmt) keyed = NULL;
  guint n;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);

  if (!(order = begin_page_change (self, user, batch_id, error)))
    return FALSE;

  n = order->len / 2;
  if (n < 2 || n % 2 != 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Merging fronts and backs needs an even number of pages: all the fronts, then all the backs."));
      goto failed;
    }

  if (!(keyed = prepare (self,
                         "SELECT count (*) FROM field_values v JOIN records r ON v.record_id = r.id "
                         "JOIN documents d ON r.document_id = d.id WHERE d.batch_id = ? AND v.value != ''", error)))
    goto failed;
  sqlite3_bind_int64 (keyed, 1, batch_id);
  if (sqlite3_step (keyed) != SQLITE_ROW || sqlite3_column_int (keyed, 0) > 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                           _("Records of this batch have already been keyed; merge fronts and backs before keying."));
      goto failed;
    }

  merged = g_array_sized_new (FALSE, FALSE, sizeof (gint64), order->len);
  for (guint i = 0; i < n / 2; i++)
    {
      gint64 front_page = g_array_index (order, gint64, 2 * i);
      gint64 front_doc = g_array_index (order, gint64, 2 * i + 1);
      gint64 back_page = g_array_index (order, gint64, 2 * (n - 1 - i));
      gint64 pairs[4] = { front_page, front_doc, back_page, front_doc };

      g_array_append_vals (merged, pairs, 4);
    }

  return finish_page_change (self, user, batch_id, merged, "batch.merge-duplex", 0, NULL, error);

failed:
  sohoa_store_rollback (self);
  return FALSE;
}

/**
 * sohoa_store_list_pages:
 *
 * Returns: (transfer full): the store's live list of the pages of
 *   @batch_id in order, refreshed from the database by each call
 */
GListModel *
sohoa_store_list_pages (SohoaStore  *self,
                        gint64       batch_id,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  GListStore *pages;
  guint n_old;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (!(stmt = prepare (self,
                        "SELECT p.id, d.batch_id, p.document_id, p.position, p.sha256, p.frame, p.ext, "
                        "p.source_name, p.width, p.height, p.dpi, p.ocr_state, coalesce (p.ocr_confidence, -1), p.n_flagged, "
                        "p.rotation, p.rotation_manual, p.orientation_unsure, p.no_cleanup "
                        "FROM pages p JOIN documents d ON p.document_id = d.id "
                        "WHERE d.batch_id = ? ORDER BY p.position", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);

  if (!(pages = g_hash_table_lookup (self->pages, &batch_id)))
    {
      pages = g_list_store_new (SOHOA_TYPE_PAGE);
      g_hash_table_insert (self->pages, g_memdup2 (&batch_id, sizeof batch_id), pages);
    }
  n_old = g_list_model_get_n_items (G_LIST_MODEL (pages));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *image = NULL;
      g_autofree char *original = NULL;
      g_autofree char *thumb = NULL;
      SohoaPageRow row = { 0 };
      SohoaPage *found = NULL;

      row.id = sqlite3_column_int64 (stmt, 0);
      row.ocr_state = (SohoaOcrState) lookup_name (ocr_state_names, G_N_ELEMENTS (ocr_state_names),
                                                   column_text (stmt, 11));
      row.ocr_confidence = sqlite3_column_double (stmt, 12);
      row.n_flagged = (guint) sqlite3_column_int (stmt, 13);
      row.rotation = _sohoa_rotation_normalize (sqlite3_column_int (stmt, 14));
      row.rotation_manual = sqlite3_column_int (stmt, 15) != 0;
      row.orientation_unsure = sqlite3_column_int (stmt, 16) != 0;
      row.no_cleanup = sqlite3_column_int (stmt, 17) != 0;

      for (guint j = 0; j < n_old && found == NULL; j++)
        {
          g_autoptr(SohoaPage) old = g_list_model_get_item (G_LIST_MODEL (pages), j);

          if (sohoa_page_get_id (old) == row.id &&
              sohoa_page_get_position (old) == (guint) sqlite3_column_int (stmt, 3) &&
              sohoa_page_get_document_id (old) == sqlite3_column_int64 (stmt, 2) &&
              sohoa_page_get_rotation (old) == row.rotation)
            found = g_steal_pointer (&old);
        }
      if (found)
        {
          _sohoa_page_set_ocr (found, row.ocr_state, row.ocr_confidence, row.n_flagged);
          _sohoa_page_set_adjustments (found, row.rotation_manual, row.orientation_unsure, row.no_cleanup);
          g_ptr_array_add (fresh, found);
          continue;
        }

      original = _sohoa_workspace_display_path (self->workspace_dir, column_text (stmt, 4),
                                                (guint) sqlite3_column_int (stmt, 5), column_text (stmt, 6));
      /* A turned page is shown by an upright copy (see sohoa-page-adjust.c). */
      image = row.rotation ? _sohoa_workspace_upright_path (self->workspace_dir, column_text (stmt, 4),
                                                            (guint) sqlite3_column_int (stmt, 5), row.rotation)
                           : g_strdup (original);
      thumb = _sohoa_workspace_thumbnail_path (self->workspace_dir, column_text (stmt, 4),
                                               (guint) sqlite3_column_int (stmt, 5));
      if (row.rotation)
        {
          g_autofree char *plain = g_steal_pointer (&thumb);

          thumb = _sohoa_workspace_upright_thumbnail_path (plain, row.rotation);
        }
      row.batch_id = sqlite3_column_int64 (stmt, 1);
      row.document_id = sqlite3_column_int64 (stmt, 2);
      row.position = (guint) sqlite3_column_int (stmt, 3);
      row.sha256 = column_text (stmt, 4);
      row.source_name = column_text (stmt, 7);
      row.image_path = image;
      row.original_path = original;
      row.thumbnail_path = thumb;
      row.width = (guint) sqlite3_column_int (stmt, 8);
      row.height = (guint) sqlite3_column_int (stmt, 9);
      row.dpi = (guint) sqlite3_column_int (stmt, 10);
      g_ptr_array_add (fresh, _sohoa_page_new (&row));
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }

  g_list_store_splice (pages, 0, n_old, fresh->pdata, fresh->len);
  return g_object_ref (G_LIST_MODEL (pages));
}

/**
 * sohoa_store_save_ocr:
 * @words: (element-type SohoaOcrWord): the recognized words
 *
 * Replaces the OCR result of a page in one transaction, with what
 * preparing it found: the turn that made it upright, the skew corrected,
 * and whether it is blank (flagged, never deleted).  Word boxes are in the
 * coordinates of the original turned upright (sohoa_page_get_image_path()),
 * not of the straightened image the OCR read.
 */
gboolean
sohoa_store_save_ocr (SohoaStore  *self,
                      gint64       page_id,
                      GPtrArray   *words,
                      const char  *text,
                      int          rotation,
                      double       skew,
                      gboolean     blank,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) del = NULL;
  g_autoptr(sqlite3_stmt) ins = NULL;
  g_autoptr(sqlite3_stmt) upd = NULL;
  g_autofree char *nfc_text = NULL;
  double sum = 0;
  guint n_flagged = 0;
  gboolean flagged;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (words != NULL, FALSE);

  if (!sohoa_store_begin (self, error))
    return FALSE;

  if (!(del = prepare (self, "DELETE FROM ocr_words WHERE page_id = ?", error)))
    goto failed;
  sqlite3_bind_int64 (del, 1, page_id);
  if (!step_done (self, del, error))
    goto failed;

  if (!(ins = prepare (self,
                       "INSERT INTO ocr_words (page_id, idx, text, x, y, width, height, confidence, block, line, flagged, "
                       "read_x, read_y, read_width, read_height) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
    goto failed;
  for (guint i = 0; i < words->len; i++)
    {
      const SohoaOcrWord *word = g_ptr_array_index (words, i);
      g_autofree char *nfc = sohoa_text_normalize (word->text);

      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, page_id);
      sqlite3_bind_int (ins, 2, (int) i);
      bind_text (ins, 3, nfc);
      sqlite3_bind_int (ins, 4, word->x);
      sqlite3_bind_int (ins, 5, word->y);
      sqlite3_bind_int (ins, 6, word->width);
      sqlite3_bind_int (ins, 7, word->height);
      sqlite3_bind_double (ins, 8, word->confidence);
      sqlite3_bind_int (ins, 9, word->block);
      sqlite3_bind_int (ins, 10, word->line);
      flagged = sohoa_word_is_suspicious (nfc, word->confidence);
      sqlite3_bind_int (ins, 11, flagged);
      sqlite3_bind_int (ins, 12, word->read_x);
      sqlite3_bind_int (ins, 13, word->read_y);
      sqlite3_bind_int (ins, 14, word->read_width);
      sqlite3_bind_int (ins, 15, word->read_height);
      if (!step_done (self, ins, error))
        goto failed;
      sum += word->confidence;
      n_flagged += flagged;
    }

  nfc_text = sohoa_text_normalize (text ? text : "");
  if (!(upd = prepare (self, "UPDATE pages SET ocr_state = 'done', ocr_text = ?, ocr_confidence = ?, "
                            "rotation = CASE WHEN rotation_manual THEN rotation ELSE ? END, "
                            "skew = ?, blank = ?, n_flagged = ? WHERE id = ?", error)))
    goto failed;
  bind_text (upd, 1, nfc_text);
  if (words->len > 0)
    sqlite3_bind_double (upd, 2, sum / words->len);
  else
    sqlite3_bind_null (upd, 2);
  sqlite3_bind_int (upd, 3, rotation);
  sqlite3_bind_double (upd, 4, skew);
  sqlite3_bind_int (upd, 5, blank ? 1 : 0);
  sqlite3_bind_int (upd, 6, (int) n_flagged);
  sqlite3_bind_int64 (upd, 7, page_id);
  if (!step_done (self, upd, error) || !sohoa_store_commit (self, error))
    goto failed;

  return TRUE;

failed:
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return FALSE;
}

char *
sohoa_store_get_page_text (SohoaStore  *self,
                           gint64       page_id,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (!(stmt = prepare (self, "SELECT coalesce (ocr_text, '') FROM pages WHERE id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, page_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("The page no longer exists."));
      return NULL;
    }
  return g_strdup (column_text (stmt, 0));
}

SohoaOcrWord *
sohoa_ocr_word_new (const char *text,
                    int         x,
                    int         y,
                    int         width,
                    int         height,
                    float       confidence,
                    int         block,
                    int         line)
{
  SohoaOcrWord *word = g_new0 (SohoaOcrWord, 1);

  word->text = g_strdup (text);
  word->x = x;
  word->y = y;
  word->width = width;
  word->height = height;
  word->confidence = confidence;
  word->block = block;
  word->line = line;
  word->read_x = x;
  word->read_y = y;
  word->read_width = width;
  word->read_height = height;
  return word;
}

void
sohoa_ocr_word_free (SohoaOcrWord *word)
{
  if (word == NULL)
    return;
  g_free (word->text);
  g_free (word);
}

GPtrArray *
sohoa_store_get_page_words (SohoaStore  *self,
                            gint64       page_id,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_ocr_word_free);
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (!(stmt = prepare (self,
                        "SELECT text, x, y, width, height, confidence, block, line, flagged, "
                        "coalesce (read_x, x), coalesce (read_y, y), coalesce (read_width, width), "
                        "coalesce (read_height, height) FROM ocr_words "
                        "WHERE page_id = ? ORDER BY idx", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, page_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SohoaOcrWord *word = sohoa_ocr_word_new (column_text (stmt, 0),
                                               sqlite3_column_int (stmt, 1),
                                               sqlite3_column_int (stmt, 2),
                                               sqlite3_column_int (stmt, 3),
                                               sqlite3_column_int (stmt, 4),
                                               (float) sqlite3_column_double (stmt, 5),
                                               sqlite3_column_int (stmt, 6),
                                               sqlite3_column_int (stmt, 7));
      word->flagged = sqlite3_column_int (stmt, 8) != 0;
      word->read_x = sqlite3_column_int (stmt, 9);
      word->read_y = sqlite3_column_int (stmt, 10);
      word->read_width = sqlite3_column_int (stmt, 11);
      word->read_height = sqlite3_column_int (stmt, 12);
      g_ptr_array_add (words, word);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&words);
}

/* Records ---------------------------------------------------------------- */

gint64
sohoa_store_ensure_record (SohoaStore  *self,
                           gint64       document_id,
                           const char  *schema_id,
                           guint        schema_version,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) ins = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), 0);
  g_return_val_if_fail (schema_id != NULL, 0);

  if (!(find = prepare (self, "SELECT id FROM records WHERE document_id = ?", error)))
    return 0;
  sqlite3_bind_int64 (find, 1, document_id);
  if (sqlite3_step (find) == SQLITE_ROW)
    return sqlite3_column_int64 (find, 0);

  if (!(ins = prepare (self,
                       "INSERT INTO records (document_id, schema_id, schema_version, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (ins, 1, document_id);
  bind_text (ins, 2, schema_id);
  sqlite3_bind_int (ins, 3, (int) schema_version);
  sqlite3_bind_int64 (ins, 4, now_unix ());
  sqlite3_bind_int64 (ins, 5, now_unix ());
  if (sqlite3_step (ins) != SQLITE_DONE)
    {
      /* Another connection (the entry form's auto-fill ahead) made it
       * between the look-up and the insert. */
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        {
          sqlite3_reset (find);
          if (sqlite3_step (find) == SQLITE_ROW)
            return sqlite3_column_int64 (find, 0);
        }
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("The document no longer exists."));
      else
        set_db_error (self, error);
      return 0;
    }
  return sqlite3_last_insert_rowid (self->db);
}

/* The batch a record belongs to. */
static SohoaBatch *
get_record_batch (SohoaStore  *self,
                  gint64       record_id,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = prepare (self,
                        "SELECT d.batch_id FROM records r JOIN documents d ON r.document_id = d.id WHERE r.id = ?",
                        error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, record_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND, _("The record no longer exists."));
      return NULL;
    }
  return sohoa_store_get_batch (self, sqlite3_column_int64 (stmt, 0), error);
}

static gboolean
record_is_editable (SohoaStore  *self,
                    gint64       record_id,
                    GError     **error)
{
  g_autoptr(SohoaBatch) batch = get_record_batch (self, record_id, error);

  return batch != NULL && batch_is_editable (self, sohoa_batch_get_id (batch), error);
}

/**
 * sohoa_store_set_field:
 *
 * Saves one field value as typed (normalized to NFC), with its state and who
 * keyed it, and records the edit in the audit log (the key, never the value).
 */
gboolean
sohoa_store_set_field (SohoaStore       *self,
                       SohoaUser        *user,
                       gint64            record_id,
                       const char       *key,
                       const char       *value,
                       SohoaValueState   state,
                       GError          **error)
{
  g_autoptr(sqlite3_stmt) old = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) touch = NULL;
  g_autofree char *nfc = NULL;
  g_autofree char *old_value = NULL;
  g_autofree char *old_state = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (state <= SOHOA_VALUE_UNCERTAIN, FALSE);

  if (!require_user (user, error) || !sohoa_store_begin (self, error))
    return FALSE;
  if (!record_is_editable (self, record_id, error))
    goto failed;

  nfc = sohoa_text_normalize (value ? value : "");
  if (*nfc == '\0' && state == SOHOA_VALUE_FILLED)
    state = SOHOA_VALUE_EMPTY;

  if (!(old = prepare (self, "SELECT value, state FROM field_values WHERE record_id = ? AND key = ?", error)))
    goto failed;
  sqlite3_bind_int64 (old, 1, record_id);
  bind_text (old, 2, key);
  if (sqlite3_step (old) == SQLITE_ROW)
    {
      old_value = g_strdup (column_text (old, 0));
      old_state = g_strdup (column_text (old, 1));
    }

  if (!(stmt = prepare (self,
                        "INSERT INTO field_values (record_id, key, value, state, source, updated_by, updated_at) "
                        "VALUES (?, ?, ?, ?, 'keyed', ?, ?) "
                        "ON CONFLICT (record_id, key) DO UPDATE SET value = excluded.value, state = excluded.state, "
                        "source = 'keyed', confidence = NULL, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                        error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, record_id);
  bind_text (stmt, 2, key);
  bind_text (stmt, 3, nfc);
  bind_text (stmt, 4, value_state_names[state]);
  sqlite3_bind_int64 (stmt, 5, sohoa_user_get_id (user));
  sqlite3_bind_int64 (stmt, 6, now_unix ());
  if (!step_done (self, stmt, error))
    goto failed;

  /* A changed record needs the supervisor's eyes again. */
  if (!(touch = prepare (self, "UPDATE records SET updated_at = ?, review_state = 'pending' WHERE id = ?", error)))
    goto failed;
  sqlite3_bind_int64 (touch, 1, now_unix ());
  sqlite3_bind_int64 (touch, 2, record_id);
  if (!step_done (self, touch, error))
    goto failed;

  /* The audit log stays in the workspace database, which holds the values
   * anyway; it is never written to the system log. */
  detail = audit_detail ("key", key,
                         "old", old_value ? old_value : "",
                         "old_state", old_state ? old_state : value_state_names[SOHOA_VALUE_EMPTY],
                         "new", nfc,
                         "state", value_state_names[state],
                         NULL);
  if (!sohoa_store_append_audit (self, user, "field.edit", "record", record_id, detail, error) ||
      !sohoa_store_commit (self, error))
    goto failed;

  return TRUE;

failed:
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return FALSE;
}

/* Review ------------------------------------------------------------------ */

void
sohoa_record_review_free (SohoaRecordReview *review)
{
  if (review == NULL)
    return;
  g_free (review->reason);
  g_free (review);
}

/**
 * sohoa_store_list_reviews:
 *
 * Every document of a batch in page order, with its record's review state.
 *
 * Returns: (transfer full) (element-type SohoaRecordReview): the documents
 */
GPtrArray *
sohoa_store_list_reviews (SohoaStore  *self,
                          gint64       batch_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) reviews = g_ptr_array_new_with_free_func ((GDestroyNotify) sohoa_record_review_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (!(stmt = prepare (self,
                        "SELECT d.id, coalesce (r.id, 0), coalesce (r.review_state, 'pending'), r.review_reason "
                        "FROM documents d LEFT JOIN records r ON r.document_id = d.id "
                        "WHERE d.batch_id = ? "
                        "ORDER BY (SELECT min (p.position) FROM pages p WHERE p.document_id = d.id), d.position",
                        error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SohoaRecordReview *review = g_new0 (SohoaRecordReview, 1);
      const char *state = column_text (stmt, 2);

      review->document_id = sqlite3_column_int64 (stmt, 0);
      review->position = reviews->len + 1;
      review->record_id = sqlite3_column_int64 (stmt, 1);
      for (guint i = 0; i < G_N_ELEMENTS (review_state_names); i++)
        if (g_strcmp0 (state, review_state_names[i]) == 0)
          review->state = (SohoaReviewState) i;
      review->reason = g_strdup (column_text (stmt, 3));
      g_ptr_array_add (reviews, review);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&reviews);
}

/**
 * sohoa_store_review_record:
 * @verdict: %SOHOA_REVIEW_APPROVED or %SOHOA_REVIEW_RETURNED
 * @reason: (nullable): why the record goes back; required to return it
 *
 * A supervisor's verdict on one record of a submitted batch.  The batch is
 * approved once no record is returned (sohoa_store_approve_batch()); a
 * returned record goes back to the operator with the batch.
 */
gboolean
sohoa_store_review_record (SohoaStore        *self,
                           SohoaUser         *user,
                           gint64             record_id,
                           SohoaReviewState   verdict,
                           const char        *reason,
                           GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  g_autofree char *nfc_reason = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (verdict == SOHOA_REVIEW_APPROVED || verdict == SOHOA_REVIEW_RETURNED, FALSE);

  if (!require_supervisor (user, error))
    return FALSE;

  nfc_reason = sohoa_text_normalize (reason ? reason : "");
  g_strstrip (nfc_reason);
  if (verdict == SOHOA_REVIEW_RETURNED && *nfc_reason == '\0')
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Say why the record is returned, so the operator can correct it."));
      return FALSE;
    }

  if (!sohoa_store_begin (self, error))
    return FALSE;

  if (!(batch = get_record_batch (self, record_id, error)))
    goto failed;
  if (sohoa_batch_get_state (batch) != SOHOA_BATCH_SUBMITTED)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("Batch “%s” is %s; its records can be reviewed only while it waits for approval."),
                   sohoa_batch_get_title (batch), sohoa_batch_state_get_label (sohoa_batch_get_state (batch)));
      goto failed;
    }

  if (!(stmt = prepare (self,
                        "UPDATE records SET review_state = ?1, "
                        "  review_reason = CASE WHEN ?1 = 'returned' THEN ?2 ELSE review_reason END, "
                        "  reviewed_by = ?3, reviewed_at = ?4 WHERE id = ?5",
                        error)))
    goto failed;
  bind_text (stmt, 1, review_state_names[verdict]);
  bind_text (stmt, 2, nfc_reason);
  sqlite3_bind_int64 (stmt, 3, sohoa_user_get_id (user));
  sqlite3_bind_int64 (stmt, 4, now_unix ());
  sqlite3_bind_int64 (stmt, 5, record_id);
  if (!step_done (self, stmt, error))
    goto failed;

  detail = verdict == SOHOA_REVIEW_RETURNED ? audit_detail ("reason", nfc_reason, NULL) : NULL;
  if (!sohoa_store_append_audit (self, user,
                                 verdict == SOHOA_REVIEW_APPROVED ? "record.approve" : "record.return",
                                 "record", record_id, detail, error) ||
      !sohoa_store_commit (self, error))
    goto failed;
  return TRUE;

failed:
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return FALSE;
}

/**
 * sohoa_store_fill_ocr_fields:
 * @values: (array length=n_values): what auto-fill read; each one's
 *   @stored is set
 *
 * Fills the fields of @record_id that are still empty (never keyed, or
 * keyed as empty without a state) with values read from the page, marked
 * as coming from OCR with their confidence; a field the clerk has touched
 * is left alone.  One transaction and one audit row (the keys, never the
 * values).  A record that can no longer change (its batch submitted or
 * approved) is left as it is, without an error.
 */
gboolean
sohoa_store_fill_ocr_fields (SohoaStore          *self,
                             SohoaUser           *user,
                             gint64               record_id,
                             SohoaOcrFieldValue  *values,
                             guint                n_values,
                             GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) detail = g_string_new ("{\"keys\":[");
  guint n_stored = 0;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);

  for (guint i = 0; i < n_values; i++)
    values[i].stored = FALSE;
  if (n_values == 0)
    return TRUE;
  if (!require_user (user, error) || !sohoa_store_begin (self, error))
    return FALSE;
  if (!record_is_editable (self, record_id, &local_error))
    {
      sohoa_store_rollback (self);
      if (g_error_matches (local_error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND) ||
          g_error_matches (local_error, SOHOA_ERROR, SOHOA_ERROR_DATABASE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  if (!(stmt = prepare (self,
                        "INSERT INTO field_values (record_id, key, value, state, source, confidence, updated_by, updated_at) "
                        "VALUES (?, ?, ?, 'filled', 'ocr', ?, ?, ?) "
                        "ON CONFLICT (record_id, key) DO UPDATE SET value = excluded.value, state = 'filled', "
                        "source = 'ocr', confidence = excluded.confidence, updated_by = excluded.updated_by, "
                        "updated_at = excluded.updated_at "
                        "WHERE field_values.state = 'empty' AND field_values.value = ''",
                        error)))
    goto failed;

  for (guint i = 0; i < n_values; i++)
    {
      g_autofree char *nfc = sohoa_text_normalize (values[i].value ? values[i].value : "");

      if (values[i].key == NULL || *nfc == '\0')
        continue;
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, record_id);
      bind_text (stmt, 2, values[i].key);
      bind_text (stmt, 3, nfc);
      sqlite3_bind_double (stmt, 4, CLAMP (values[i].confidence, 0, 100));
      sqlite3_bind_int64 (stmt, 5, sohoa_user_get_id (user));
      sqlite3_bind_int64 (stmt, 6, now_unix ());
      if (!step_done (self, stmt, error))
        goto failed;
      if (sqlite3_changes (self->db) > 0)
        {
          values[i].stored = TRUE;
          g_string_append_printf (detail, "%s\"%s\"", n_stored++ ? "," : "", values[i].key);
        }
    }
  g_string_append (detail, "]}");

  if (n_stored > 0)
    {
      g_autoptr(sqlite3_stmt) touch = NULL;

      if (!(touch = prepare (self, "UPDATE records SET updated_at = ? WHERE id = ?", error)))
        goto failed;
      sqlite3_bind_int64 (touch, 1, now_unix ());
      sqlite3_bind_int64 (touch, 2, record_id);
      if (!step_done (self, touch, error) ||
          !sohoa_store_append_audit (self, user, "field.autofill", "record", record_id, detail->str, error))
        goto failed;
    }
  if (!sohoa_store_commit (self, error))
    goto failed;
  return TRUE;

failed:
  for (guint i = 0; i < n_values; i++)
    values[i].stored = FALSE;
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return FALSE;
}

/**
 * sohoa_store_log_view:
 * @keys: the sensitive fields (ethnicity, cause of death…) that were shown
 *
 * Records in the audit log that @user saw sensitive fields of a record, as
 * the personal-data rules ask.  The keys are logged, never the values.
 */
gboolean
sohoa_store_log_view (SohoaStore          *self,
                      SohoaUser           *user,
                      gint64               record_id,
                      const char * const  *keys,
                      GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (keys != NULL, FALSE);

  if (keys[0] == NULL)
    return TRUE;
  if (!require_user (user, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "keys");
  json_builder_begin_array (builder);
  for (guint i = 0; keys[i]; i++)
    json_builder_add_string_value (builder, keys[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  detail = json_generator_to_data (generator, NULL);

  if (!sohoa_store_begin (self, error))
    return FALSE;
  if (!sohoa_store_append_audit (self, user, "record.view-sensitive", "record", record_id, detail, error) ||
      !sohoa_store_commit (self, error))
    {
      if (self->depth > 0)
        sohoa_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * sohoa_store_get_fields:
 *
 * Returns: (transfer full) (element-type utf8 utf8): key → value
 */
GHashTable *
sohoa_store_get_fields (SohoaStore  *self,
                        gint64       record_id,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  if (!(stmt = prepare (self, "SELECT key, value FROM field_values WHERE record_id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, record_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (fields, g_strdup (column_text (stmt, 0)), g_strdup (column_text (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&fields);
}

void
sohoa_field_value_free (SohoaFieldValue *value)
{
  if (value == NULL)
    return;

  g_free (value->value);
  g_free (value);
}

/**
 * sohoa_store_get_field_values:
 *
 * Every stored field of a record with its state, where it came from and
 * the region of the page it was read from.
 *
 * Returns: (transfer full) (element-type utf8 SohoaFieldValue): key → value
 */
GHashTable *
sohoa_store_get_field_values (SohoaStore  *self,
                              gint64       record_id,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) fields = NULL;
  int rc;

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);

  fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sohoa_field_value_free);

  if (!(stmt = prepare (self,
                        "SELECT key, value, state, source, confidence, box_page, box_x, box_y, box_width, box_height "
                        "FROM field_values WHERE record_id = ?",
                        error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, record_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SohoaFieldValue *value = g_new0 (SohoaFieldValue, 1);
      const char *state = column_text (stmt, 2);

      value->value = g_strdup (column_text (stmt, 1));
      value->state = SOHOA_VALUE_EMPTY;
      for (guint i = 0; i < G_N_ELEMENTS (value_state_names); i++)
        if (g_strcmp0 (state, value_state_names[i]) == 0)
          value->state = i;
      value->from_ocr = g_strcmp0 (column_text (stmt, 3), "ocr") == 0;
      value->confidence = sqlite3_column_type (stmt, 4) == SQLITE_NULL ? -1 : sqlite3_column_double (stmt, 4);
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        {
          value->box_page = sqlite3_column_int64 (stmt, 5);
          value->box_x = sqlite3_column_int (stmt, 6);
          value->box_y = sqlite3_column_int (stmt, 7);
          value->box_width = sqlite3_column_int (stmt, 8);
          value->box_height = sqlite3_column_int (stmt, 9);
        }
      g_hash_table_insert (fields, g_strdup (column_text (stmt, 0)), value);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&fields);
}

/**
 * sohoa_store_set_field_source:
 * @page_id: the page the value was read from, or 0 to forget the region
 *
 * Remembers the region of a page (in image pixels) a field's value was read
 * from.  The value itself is not touched; a field not stored yet is stored
 * empty.
 */
gboolean
sohoa_store_set_field_source (SohoaStore  *self,
                              gint64       record_id,
                              const char  *key,
                              gint64       page_id,
                              int          x,
                              int          y,
                              int          width,
                              int          height,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SOHOA_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!sohoa_store_begin (self, error))
    return FALSE;
  if (!record_is_editable (self, record_id, error))
    goto failed;

  if (!(stmt = prepare (self,
                        "INSERT INTO field_values (record_id, key, value, state, updated_at, "
                        "box_page, box_x, box_y, box_width, box_height) "
                        "VALUES (?, ?, '', 'empty', ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (record_id, key) DO UPDATE SET box_page = excluded.box_page, "
                        "box_x = excluded.box_x, box_y = excluded.box_y, "
                        "box_width = excluded.box_width, box_height = excluded.box_height",
                        error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, record_id);
  bind_text (stmt, 2, key);
  sqlite3_bind_int64 (stmt, 3, now_unix ());
  if (page_id > 0)
    {
      sqlite3_bind_int64 (stmt, 4, page_id);
      sqlite3_bind_int (stmt, 5, x);
      sqlite3_bind_int (stmt, 6, y);
      sqlite3_bind_int (stmt, 7, width);
      sqlite3_bind_int (stmt, 8, height);
    }
  if (!step_done (self, stmt, error) || !sohoa_store_commit (self, error))
    goto failed;

  return TRUE;

failed:
  if (self->depth > 0)
    sohoa_store_rollback (self);
  return FALSE;
}

/* Workspace paths -------------------------------------------------------- */

char *
_sohoa_workspace_original_path (const char *workspace_dir,
                                const char *sha256,
                                const char *ext)
{
  g_autofree char *prefix = g_strndup (sha256, 2);
  g_autofree char *name = g_strdup_printf ("%s.%s", sha256, ext);

  return g_build_filename (workspace_dir, "pages", prefix, name, NULL);
}

/* Single-frame formats are shown as stored; the frames of a TIFF get a PNG
 * each in derived/, since a texture loader sees only a TIFF's first frame. */
char *
_sohoa_workspace_display_path (const char *workspace_dir,
                               const char *sha256,
                               guint       frame,
                               const char *ext)
{
  g_autofree char *name = NULL;

  if (g_strcmp0 (ext, "png") == 0 || g_strcmp0 (ext, "jpg") == 0)
    return _sohoa_workspace_original_path (workspace_dir, sha256, ext);

  name = g_strdup_printf ("%s-%u.png", sha256, frame);
  return g_build_filename (workspace_dir, "derived", "display", name, NULL);
}

char *
_sohoa_workspace_hocr_path (const char *workspace_dir,
                            gint64      page_id)
{
  g_autofree char *name = g_strdup_printf ("page-%" G_GINT64_FORMAT ".hocr", page_id);

  return g_build_filename (workspace_dir, "derived", "hocr", name, NULL);
}

/**
 * sohoa_store_dup_document_pdf_path:
 *
 * Returns: (transfer full): where the searchable PDF of a document is
 *   written when its pages are recognized (it may not exist yet)
 */
char *
sohoa_store_dup_document_pdf_path (SohoaStore *self,
                                   gint64      document_id)
{
  g_autofree char *name = g_strdup_printf ("document-%" G_GINT64_FORMAT ".pdf", document_id);

  g_return_val_if_fail (SOHOA_IS_STORE (self), NULL);
  return g_build_filename (self->workspace_dir, "derived", "pdf", name, NULL);
}

char *
_sohoa_workspace_thumbnail_path (const char *workspace_dir,
                                 const char *sha256,
                                 guint       frame)
{
  g_autofree char *name = g_strdup_printf ("%s-%u.png", sha256, frame);

  return g_build_filename (workspace_dir, "derived", "thumbnails", name, NULL);
}
