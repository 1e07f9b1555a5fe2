/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-package-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sohoa-package-import.h"

#include "sohoa-core-private.h"
#include "sohoa-import-private.h"
#include "sohoa-schema.h"
#include "sohoa-types.h"
#include "sohoa-verify.h"
#include "sohoa-vntext.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <poppler.h>
#include <string.h>

#define RECORDS_JSON  "metadata/other/records.json"
#define DATA_FOLDER   "representations/rep1/data"
#define RECORDS_FORMAT "sohoa-records/1"
/* records.json is small text; a larger one is not as Sohoa writes it. */
#define MAX_RECORDS_JSON (64 * 1024 * 1024)
/* Each PDF is loaded whole, as an import loads a file. */
#define MAX_PDF_BYTES    (512 * 1024 * 1024)

/* One document of the package: its record and its PDF, once stored. */
typedef struct
{
  guint       ordinal;
  char       *file;          /* the PDF's name in representations/rep1/data */
  guint       n_pages;       /* as records.json says */
  GPtrArray  *keys;          /* field keys, in records.json's order */
  GPtrArray  *values;        /* NFC */
  GPtrArray  *states;

  /* once its files are in the workspace */
  char       *sha256;
  const char *ext;
  gboolean    wrote_original;
  GArray     *pages;         /* SohoaNewPage */
  GPtrArray  *texts;         /* the text layer of each page */
  char       *pdf_target;    /* its copy as the document's searchable PDF */
} Incoming;

typedef struct
{
  SohoaStore  *store;
  SohoaUser   *user;
  char        *unpack_dir;   /* temporary, in the workspace */
  char        *package_dir;  /* the package's folder inside it */
  char        *title;
  char        *schema_id;
  guint        schema_version;
  char        *ward_code;
  gint64       source_batch;
  GPtrArray   *documents;    /* Incoming */
} Receive;

static void
incoming_free (gpointer data)
{
  Incoming *doc = data;

  g_free (doc->file);
  g_clear_pointer (&doc->keys, g_ptr_array_unref);
  g_clear_pointer (&doc->values, g_ptr_array_unref);
  g_clear_pointer (&doc->states, g_ptr_array_unref);
  g_free (doc->sha256);
  g_clear_pointer (&doc->pages, g_array_unref);
  g_clear_pointer (&doc->texts, g_ptr_array_unref);
  g_free (doc->pdf_target);
  g_free (doc);
}

/* A process killed while receiving leaves its unpacked folder behind.  One
 * more than a day old belongs to no import still running: it goes. */
static void
sweep_stale_unpacks (const char *derived)
{
  g_autoptr(GDir) dir = g_dir_open (derived, 0, NULL);
  gint64 day_ago = g_get_real_time () / G_USEC_PER_SEC - 24 * 60 * 60;
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (derived, name, NULL);
      GStatBuf st;

      if (g_str_has_prefix (name, "receive-") && g_lstat (path, &st) == 0 &&
          S_ISDIR (st.st_mode) && st.st_mtime < day_ago)
        _sohoa_remove_tree (path);
    }
}

/* Takes back every file stored for the package, when it was not received. */
static void
receive_undo_files (Receive *receive)
{
  for (guint i = 0; i < receive->documents->len; i++)
    {
      Incoming *doc = g_ptr_array_index (receive->documents, i);

      if (doc->sha256)
        _sohoa_import_remove_prepared (receive->store, doc->sha256, doc->ext,
                                       doc->pages->len, doc->wrote_original);
      if (doc->pdf_target)
        g_unlink (doc->pdf_target);
    }
}

static void
receive_clear (Receive *receive)
{
  if (receive->unpack_dir)
    _sohoa_remove_tree (receive->unpack_dir);
  g_free (receive->unpack_dir);
  g_free (receive->package_dir);
  g_clear_object (&receive->store);
  g_free (receive->title);
  g_free (receive->schema_id);
  g_free (receive->ward_code);
  g_clear_pointer (&receive->documents, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Receive, receive_clear)

static gboolean
not_as_made (GError     **error,
             const char  *what)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
               _("%s in the package is not as Sohoa writes it; the package cannot be imported."), what);
  return FALSE;
}

static gboolean
db_failed (Receive  *receive,
           GError  **error)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be updated (%s). Nothing was imported; try again."),
               sqlite3_errmsg (_sohoa_store_get_db (receive->store)));
  return FALSE;
}

/* A package already received, or made here, is refused: importing it again
 * would make a second copy of every record. */
static gboolean
check_not_received (Receive           *receive,
                    SohoaPackageInfo  *info,
                    GError           **error)
{
  sqlite3 *db = _sohoa_store_get_db (receive->store);
  g_autoptr(sqlite3_stmt) received = NULL;
  g_autoptr(sqlite3_stmt) made = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT batch_id FROM received_packages WHERE objid = ? OR sha256 = ?",
                          -1, &received, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT batch_id FROM packages WHERE sha256 = ?", -1, &made, NULL) != SQLITE_OK)
    return db_failed (receive, error);
  sqlite3_bind_text (received, 1, info->objid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (received, 2, info->sha256, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (received) == SQLITE_ROW)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("This package was already imported, as batch %lld. It is not imported twice."),
                   (long long) sqlite3_column_int64 (received, 0));
      return FALSE;
    }
  sqlite3_bind_text (made, 1, info->sha256, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (made) == SQLITE_ROW)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("This package was made in this workspace, from batch %lld; it is not imported into it again."),
                   (long long) sqlite3_column_int64 (made, 0));
      return FALSE;
    }
  return TRUE;
}

/* records.json ---------------------------------------------------------- */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64      min,
            gint64      max,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return *out >= min && *out <= max;
}

/* A PDF's name as the builder writes it: one plain name in the data folder. */
static gboolean
is_plain_pdf_name (const char *name)
{
  return name && *name && *name != '.' && strchr (name, '/') == NULL && strchr (name, '\\') == NULL &&
         g_str_has_suffix (name, ".pdf") && g_utf8_validate (name, -1, NULL) && strlen (name) < 256;
}

static gboolean
read_record (Receive     *receive,
             JsonNode    *node,
             guint        ordinal,
             GHashTable  *files,
             GError     **error)
{
  static const char * const value_states[] = { "empty", "filled", "illegible", "uncertain", NULL };
  JsonObject *object;
  JsonObject *fields;
  JsonNode *fields_node;
  g_autoptr(GList) keys = NULL;
  Incoming *doc;
  gint64 number, n_pages;
  const char *file;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return not_as_made (error, RECORDS_JSON);
  object = json_node_get_object (node);
  file = member_string (object, "file");
  fields_node = json_object_get_member (object, "fields");
  if (!member_int (object, "document", ordinal, ordinal, &number) ||
      !member_int (object, "pages", 1, 100000, &n_pages) ||
      !is_plain_pdf_name (file) || fields_node == NULL || !JSON_NODE_HOLDS_OBJECT (fields_node) ||
      !g_hash_table_add (files, g_strdup (file)))
    return not_as_made (error, RECORDS_JSON);

  doc = g_new0 (Incoming, 1);
  g_ptr_array_add (receive->documents, doc);
  doc->ordinal = ordinal;
  doc->file = g_strdup (file);
  doc->n_pages = (guint) n_pages;
  doc->keys = g_ptr_array_new_with_free_func (g_free);
  doc->values = g_ptr_array_new_with_free_func (g_free);
  doc->states = g_ptr_array_new_with_free_func (g_free);
  doc->pages = g_array_new (FALSE, TRUE, sizeof (SohoaNewPage));
  doc->texts = g_ptr_array_new_with_free_func (g_free);

  fields = json_node_get_object (fields_node);
  keys = json_object_get_members (fields);
  for (GList *l = keys; l; l = l->next)
    {
      const char *key = l->data;
      JsonNode *field = json_object_get_member (fields, key);
      const char *value, *state;

      if (*key == '\0' || !g_utf8_validate (key, -1, NULL) || !JSON_NODE_HOLDS_OBJECT (field))
        return not_as_made (error, RECORDS_JSON);
      value = member_string (json_node_get_object (field), "value");
      state = member_string (json_node_get_object (field), "state");
      if (value == NULL || !g_utf8_validate (value, -1, NULL) ||
          state == NULL || !g_strv_contains (value_states, state))
        return not_as_made (error, RECORDS_JSON);
      g_ptr_array_add (doc->keys, g_strdup (key));
      g_ptr_array_add (doc->values, sohoa_text_normalize (value));
      g_ptr_array_add (doc->states, g_strdup (state));
    }
  return TRUE;
}

static gboolean
read_records (Receive           *receive,
              SohoaContext      *context,
              SohoaPackageInfo  *info,
              GError           **error)
{
  g_autofree char *path = g_build_filename (receive->package_dir, RECORDS_JSON, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *data_dir = g_build_filename (receive->package_dir, DATA_FOLDER, NULL);
  g_autoptr(GDir) dir = NULL;
  JsonObject *root;
  JsonNode *records;
  JsonArray *array;
  SohoaSchema *schema;
  const char *text;
  const char *name;
  gint64 number;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL) || length > MAX_RECORDS_JSON ||
      !json_parser_load_from_data (parser, contents, (gssize) length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return not_as_made (error, RECORDS_JSON);
  root = json_node_get_object (json_parser_get_root (parser));

  if (g_strcmp0 (member_string (root, "format"), RECORDS_FORMAT) != 0 ||
      g_strcmp0 (member_string (root, "objid"), info->objid) != 0 ||
      !(text = member_string (root, "schema")) || !member_int (root, "schema_version", 0, G_MAXINT, &number))
    return not_as_made (error, RECORDS_JSON);
  receive->schema_id = g_strdup (text);
  receive->schema_version = (guint) number;

  /* The form must be one this workspace has, or nobody here could review it. */
  schema = sohoa_context_lookup_schema (context, receive->schema_id);
  if (schema == NULL)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_SCHEMA,
                   _("The package holds records of the form “%s”, which this workspace does not have. "
                     "Install that form schema first, then import the package again."),
                   receive->schema_id);
      return FALSE;
    }
  if (receive->schema_version == 0)
    receive->schema_version = sohoa_schema_get_version (schema);

  text = member_string (root, "title");
  receive->title = sohoa_text_normalize (text && *text ? text : info->objid);
  text = member_string (root, "ward_code");
  receive->ward_code = g_strdup (text ? text : "");
  if (!member_int (root, "batch", 1, G_MAXINT64, &receive->source_batch))
    return not_as_made (error, RECORDS_JSON);

  records = json_object_get_member (root, "records");
  if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records) ||
      json_array_get_length (array = json_node_get_array (records)) == 0)
    return not_as_made (error, RECORDS_JSON);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!read_record (receive, json_array_get_element (array, i), i + 1, files, error))
      return FALSE;

  /* Every PDF of the package belongs to one record, and the other way round. */
  if (!(dir = g_dir_open (data_dir, 0, NULL)))
    return not_as_made (error, DATA_FOLDER);
  while ((name = g_dir_read_name (dir)))
    if (!g_hash_table_remove (files, name))
      return not_as_made (error, DATA_FOLDER);
  if (g_hash_table_size (files) != 0)
    return not_as_made (error, DATA_FOLDER);
  return TRUE;
}

/* Files ----------------------------------------------------------------- */

/* The PDF's pages go where an import puts them; its text layer becomes
 * the pages' text, so nothing needs to be read again. */
static gboolean
store_pdf (Receive      *receive,
           Incoming     *doc,
           GCancellable *cancellable,
           GError      **error)
{
  g_autofree char *path = g_build_filename (receive->package_dir, DATA_FOLDER, doc->file, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *pdf;
  char *contents = NULL;
  gsize size = 0;
  GStatBuf st;

  if (g_stat (path, &st) == 0 && st.st_size > MAX_PDF_BYTES)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_TOO_LARGE,
                   _("“%s” is larger than %d MB; it cannot be imported."), doc->file, MAX_PDF_BYTES / (1024 * 1024));
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &size, error))
    return FALSE;
  bytes = g_bytes_new_take (contents, size);

  {
    g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
    gint64 batch_id = 0;

    if (sohoa_store_find_page (receive->store, sha256, &batch_id) != 0)
      {
        g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                     _("The pages of “%s” are already in batch %lld of this workspace; the package was imported before."),
                     doc->file, (long long) batch_id);
        return FALSE;
      }
  }

  if (!_sohoa_import_prepare_file (receive->store, 0, bytes, doc->file, doc->file, cancellable,
                                   doc->pages, &doc->sha256, &doc->ext, &doc->wrote_original, error))
    return FALSE;
  if (!g_str_equal (doc->ext, "pdf") || doc->pages->len != doc->n_pages)
    return not_as_made (error, doc->file);

  pdf = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  if (pdf == NULL)
    return not_as_made (error, doc->file);
  for (guint i = 0; i < doc->pages->len; i++)
    {
      PopplerPage *page = poppler_document_get_page (pdf, (int) i);
      char *text = page ? poppler_page_get_text (page) : NULL;

      g_ptr_array_add (doc->texts, sohoa_text_normalize (text ? text : ""));
      g_free (text);
      g_clear_object (&page);
    }
  g_object_unref (pdf);
  return TRUE;
}

/* The database ----------------------------------------------------------- */

static gint64
insert_batch (Receive  *receive,
              GError  **error)
{
  sqlite3 *db = _sohoa_store_get_db (receive->store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Submitted: the batch waits for this workspace's supervisor, as a batch
   * an operator of this ward hands over does. */
  if (sqlite3_prepare_v2 (db, "INSERT INTO batches (title, schema_id, state, created_at, created_by, submitted_at) "
                              "VALUES (?, ?, 'submitted', ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    return db_failed (receive, error);
  sqlite3_bind_text (stmt, 1, receive->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, receive->schema_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, sohoa_user_get_id (receive->user));
  sqlite3_bind_int64 (stmt, 5, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return db_failed (receive, error);
  return sqlite3_last_insert_rowid (db);
}

static gboolean
insert_document (Receive   *receive,
                 Incoming  *doc,
                 gint64     batch_id,
                 GError   **error)
{
  sqlite3 *db = _sohoa_store_get_db (receive->store);
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) value = NULL;
  g_autoptr(GPtrArray) no_words = g_ptr_array_new ();
  g_autofree char *source = NULL;
  gint64 document_id = 0;
  gint64 record_id;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < doc->pages->len; i++)
    {
      SohoaNewPage *page = &g_array_index (doc->pages, SohoaNewPage, i);
      gint64 page_id;

      page->batch_id = batch_id;
      if ((page_id = _sohoa_store_add_page (receive->store, receive->user, page, error)) == 0 ||
          !sohoa_store_save_ocr (receive->store, page_id, no_words, g_ptr_array_index (doc->texts, i),
                                 0, 0.0, FALSE, error))
        return FALSE;
      if (i == 0)
        {
          if (sqlite3_prepare_v2 (db, "SELECT document_id FROM pages WHERE id = ?", -1, &find, NULL) != SQLITE_OK)
            return db_failed (receive, error);
          sqlite3_bind_int64 (find, 1, page_id);
          if (sqlite3_step (find) != SQLITE_ROW)
            return db_failed (receive, error);
          document_id = sqlite3_column_int64 (find, 0);
        }
    }

  /* The searchable PDF as the OCR step would have written it, so the
   * batch can be packaged again here without reading it again. */
  doc->pdf_target = sohoa_store_dup_document_pdf_path (receive->store, document_id);
  source = g_build_filename (receive->package_dir, DATA_FOLDER, doc->file, NULL);
  {
    g_autofree char *folder = g_path_get_dirname (doc->pdf_target);

    if (g_mkdir_with_parents (folder, 0700) != 0 || g_rename (source, doc->pdf_target) != 0)
      {
        int saved_errno = errno;
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("The PDF “%s” could not be stored: %s"), doc->file, g_strerror (saved_errno));
        return FALSE;
      }
  }

  if (doc->keys->len == 0)
    return TRUE;
  if ((record_id = sohoa_store_ensure_record (receive->store, document_id, receive->schema_id,
                                              receive->schema_version, error)) == 0)
    return FALSE;
  /* Values as keyed in the other workspace; whoever keyed them is not a
   * user here, so updated_by stays empty. */
  if (sqlite3_prepare_v2 (db, "INSERT INTO field_values (record_id, key, value, state, source, updated_at) "
                              "VALUES (?, ?, ?, ?, 'keyed', ?)", -1, &value, NULL) != SQLITE_OK)
    return db_failed (receive, error);
  for (guint k = 0; k < doc->keys->len; k++)
    {
      sqlite3_reset (value);
      sqlite3_bind_int64 (value, 1, record_id);
      sqlite3_bind_text (value, 2, g_ptr_array_index (doc->keys, k), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (value, 3, g_ptr_array_index (doc->values, k), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (value, 4, g_ptr_array_index (doc->states, k), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (value, 5, now);
      if (sqlite3_step (value) != SQLITE_DONE)
        return db_failed (receive, error);
    }
  return TRUE;
}

static char *
audit_detail (Receive           *receive,
              const char        *path,
              SohoaPackageInfo  *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n_pages = 0;

  for (guint i = 0; i < receive->documents->len; i++)
    n_pages += ((Incoming *) g_ptr_array_index (receive->documents, i))->pages->len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  {
    g_autofree char *name = g_path_get_basename (path);
    json_builder_add_string_value (builder, name);
  }
  json_builder_set_member_name (builder, "objid");
  json_builder_add_string_value (builder, info->objid);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, info->sha256);
  json_builder_set_member_name (builder, "signer");
  json_builder_add_string_value (builder, info->signer);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, receive->schema_id);
  json_builder_set_member_name (builder, "from_ward");
  json_builder_add_string_value (builder, receive->ward_code);
  json_builder_set_member_name (builder, "from_batch");
  json_builder_add_int_value (builder, receive->source_batch);
  json_builder_set_member_name (builder, "documents");
  json_builder_add_int_value (builder, receive->documents->len);
  json_builder_set_member_name (builder, "pages");
  json_builder_add_int_value (builder, n_pages);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Everything in one transaction: all of the package, or nothing. */
static gint64
insert_all (Receive           *receive,
            const char        *path,
            SohoaPackageInfo  *info,
            GCancellable      *cancellable,
            GError           **error)
{
  sqlite3 *db = _sohoa_store_get_db (receive->store);
  g_autoptr(sqlite3_stmt) mark = NULL;
  g_autofree char *detail = NULL;
  gint64 batch_id;

  if (!sohoa_store_begin (receive->store, error))
    return 0;
  /* Another import of the same package may have finished meanwhile. */
  if (!check_not_received (receive, info, error) ||
      (batch_id = insert_batch (receive, error)) == 0)
    goto failed;
  for (guint i = 0; i < receive->documents->len; i++)
    if (!insert_document (receive, g_ptr_array_index (receive->documents, i), batch_id, error))
      goto failed;

  if (sqlite3_prepare_v2 (db, "INSERT INTO received_packages (objid, sha256, batch_id, signer, imported_at, imported_by) "
                              "VALUES (?, ?, ?, ?, ?, ?)", -1, &mark, NULL) != SQLITE_OK)
    {
      db_failed (receive, error);
      goto failed;
    }
  sqlite3_bind_text (mark, 1, info->objid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (mark, 2, info->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (mark, 3, batch_id);
  sqlite3_bind_text (mark, 4, info->signer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (mark, 5, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (mark, 6, sohoa_user_get_id (receive->user));
  if (sqlite3_step (mark) != SQLITE_DONE)
    {
      db_failed (receive, error);
      goto failed;
    }

  detail = audit_detail (receive, path, info);
  if (!sohoa_store_append_audit (receive->store, receive->user, "batch.import-package", "batch", batch_id,
                                 detail, error))
    goto failed;
  /* The last moment to change one's mind. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto failed;
  if (!sohoa_store_commit (receive->store, error))
    return 0;
  return batch_id;

failed:
  sohoa_store_rollback (receive->store);
  return 0;
}

/* Public API ------------------------------------------------------------- */

/**
 * sohoa_workspace_import_package:
 * @job: (nullable): progress and cancellation
 *
 * See the header.  Runs in the calling thread.
 */
gint64
sohoa_workspace_import_package (SohoaContext  *context,
                                const char    *path,
                                const char    *ca_file,
                                SohoaJob      *job,
                                GError       **error)
{
  g_auto(Receive) receive = { 0 };
  g_autoptr(SohoaPackageInfo) info = NULL;
  g_autofree char *template = NULL;
  g_autofree char *unpacked = NULL;
  GCancellable *cancellable = job ? sohoa_job_get_cancellable (job) : NULL;
  gint64 batch_id;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), 0);
  g_return_val_if_fail (path != NULL, 0);

  receive.user = sohoa_context_get_user (context);
  if (receive.user == NULL || !sohoa_user_can_approve (receive.user))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("Only a supervisor can import a package."));
      return 0;
    }
  if (ca_file == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Choose the certificate authorities to trust, to check the package’s signature."));
      return 0;
    }
  if (!(receive.store = sohoa_store_dup (sohoa_context_get_store (context), error)))
    return 0;
  receive.documents = g_ptr_array_new_with_free_func (incoming_free);

  /* Unpacked inside the workspace (derived/ holds nothing precious), so
   * the PDFs reach their place by a rename. */
  template = g_build_filename (sohoa_store_get_workspace_dir (receive.store), "derived", "receive-XXXXXX", NULL);
  {
    g_autofree char *derived = g_path_get_dirname (template);

    g_mkdir_with_parents (derived, 0700);
    sweep_stale_unpacks (derived);
  }
  if (!(receive.unpack_dir = g_mkdtemp (g_steal_pointer (&template))))
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The package could not be unpacked in the workspace: %s"), g_strerror (saved_errno));
      return 0;
    }
  unpacked = g_build_filename (receive.unpack_dir, "package", NULL);

  /* The same checks as sohoa-cli verify, before anything is taken in. */
  if (!(info = sohoa_package_verify (path, ca_file, unpacked, 0, job, error)))
    return 0;
  receive.package_dir = g_build_filename (unpacked, info->root, NULL);

  if (!check_not_received (&receive, info, error) ||
      !read_records (&receive, context, info, error))
    return 0;

  for (guint i = 0; i < receive.documents->len; i++)
    {
      g_autofree char *message = g_strdup_printf (_("Importing document %u of %u"), i + 1, receive.documents->len);

      sohoa_job_report (job, i, receive.documents->len + 1, message);
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !store_pdf (&receive, g_ptr_array_index (receive.documents, i), cancellable, error))
        {
          receive_undo_files (&receive);
          return 0;
        }
    }

  sohoa_job_report (job, receive.documents->len, receive.documents->len + 1, _("Saving the batch"));
  if ((batch_id = insert_all (&receive, path, info, cancellable, error)) == 0)
    {
      receive_undo_files (&receive);
      return 0;
    }
  sohoa_job_report (job, 1, 1, NULL);
  g_debug ("package %s received as batch %" G_GINT64_FORMAT, info->objid, batch_id);
  return batch_id;
}

static void
import_package_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  SohoaJob *job = g_object_get_data (G_OBJECT (task), "sohoa-job");
  const char *ca_file = g_object_get_data (G_OBJECT (task), "sohoa-ca");
  GError *error = NULL;
  gint64 batch_id;

  batch_id = sohoa_workspace_import_package (source_object, task_data, ca_file, job, &error);
  if (batch_id != 0)
    g_task_return_int (task, (gssize) batch_id);
  else
    g_task_return_error (task, error);
}

void
sohoa_workspace_import_package_async (SohoaContext        *context,
                                      const char          *path,
                                      const char          *ca_file,
                                      SohoaJob            *job,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOHOA_IS_CONTEXT (context));
  g_return_if_fail (path != NULL);

  task = g_task_new (context, job ? sohoa_job_get_cancellable (job) : NULL, callback, user_data);
  g_task_set_source_tag (task, sohoa_workspace_import_package_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_object_set_data_full (G_OBJECT (task), "sohoa-ca", g_strdup (ca_file), g_free);
  if (job)
    g_object_set_data_full (G_OBJECT (task), "sohoa-job", g_object_ref (job), g_object_unref);
  g_task_run_in_thread (task, import_package_thread);
}

gint64
sohoa_workspace_import_package_finish (SohoaContext  *context,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  gssize batch_id;

  g_return_val_if_fail (g_task_is_valid (result, context), 0);

  batch_id = g_task_propagate_int (G_TASK (result), error);
  return batch_id > 0 ? (gint64) batch_id : 0;
}
