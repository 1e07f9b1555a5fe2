/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sohoa-core-private.h"
#include "sohoa-export.h"
#include "sohoa-package-private.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <unistd.h>


typedef struct archive SohoaArchive;

static void
archive_release (SohoaArchive *archive)
{
  archive_write_free (archive);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaArchive, archive_release)

typedef struct
{
  char *path;
  char *sha256;
} ManifestEntry;

static void
manifest_entry_free (gpointer data)
{
  ManifestEntry *entry = data;

  g_free (entry->path);
  g_free (entry->sha256);
  g_free (entry);
}

static gboolean
archive_failed (SohoaArchive  *archive,
                const char    *path,
                GError       **error)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
               _("The export file “%s” could not be written (%s). Check that the disk has free space."),
               path, archive_error_string (archive));
  return FALSE;
}

static gboolean
add_entry (SohoaArchive  *archive,
           GPtrArray     *manifest,
           const char    *name,
           const void    *data,
           gsize          size,
           const char    *out_path,
           GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  struct archive_entry *entry = archive_entry_new ();
  ManifestEntry *item;
  gboolean ok = TRUE;

  archive_entry_set_pathname_utf8 (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, (la_int64_t) size);
  archive_entry_set_mtime (entry, g_date_time_to_unix (now), 0);

  if (archive_write_header (archive, entry) != ARCHIVE_OK ||
      (size > 0 && archive_write_data (archive, data, size) != (la_ssize_t) size))
    ok = archive_failed (archive, out_path, error);
  archive_entry_free (entry);

  if (ok && manifest)
    {
      item = g_new0 (ManifestEntry, 1);
      item->path = g_strdup (name);
      item->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
      g_ptr_array_add (manifest, item);
    }
  return ok;
}

static gboolean
add_json (SohoaArchive  *archive,
          GPtrArray     *manifest,
          const char    *name,
          JsonBuilder   *builder,
          const char    *out_path,
          GError       **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;
  gsize length;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  return add_entry (archive, manifest, name, text, length, out_path, error);
}

static gboolean
fsync_path (const char  *path,
            GError     **error)
{
  int fd = g_open (path, O_RDONLY, 0);
  int saved_errno;

  if (fd >= 0 && fsync (fd) == 0)
    {
      close (fd);
      return TRUE;
    }
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("The export file “%s” could not be saved: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
build_records (SohoaStore   *store,
               gint64        batch_id,
               JsonBuilder  *records,
               GPtrArray    *page_files,
               GError      **error)
{
  sqlite3 *db = _sohoa_store_get_db (store);
  g_autoptr(sqlite3_stmt) docs = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db,
                          "SELECT d.id, d.position, r.id, r.schema_id, r.schema_version FROM documents d "
                          "LEFT JOIN records r ON r.document_id = d.id WHERE d.batch_id = ? ORDER BY d.position",
                          -1, &docs, NULL) != SQLITE_OK)
    goto db_error;
  sqlite3_bind_int64 (docs, 1, batch_id);

  json_builder_begin_array (records);
  while ((rc = sqlite3_step (docs)) == SQLITE_ROW)
    {
      g_autoptr(sqlite3_stmt) pages = NULL;
      g_autoptr(sqlite3_stmt) values = NULL;
      g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GHashTable) field_values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_autoptr(GHashTable) field_states = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      gint64 document_id = sqlite3_column_int64 (docs, 0);
      gint64 record_id = sqlite3_column_int64 (docs, 2);

      json_builder_begin_object (records);
      json_builder_set_member_name (records, "document");
      json_builder_add_int_value (records, sqlite3_column_int64 (docs, 1) + 1);
      json_builder_set_member_name (records, "schema");
      json_builder_add_string_value (records, record_id ? (const char *) sqlite3_column_text (docs, 3) : NULL);
      json_builder_set_member_name (records, "schema_version");
      json_builder_add_int_value (records, sqlite3_column_int64 (docs, 4));

      if (sqlite3_prepare_v2 (db, "SELECT sha256, frame, ext, position FROM pages WHERE document_id = ? ORDER BY position",
                              -1, &pages, NULL) != SQLITE_OK)
        goto db_error;
      sqlite3_bind_int64 (pages, 1, document_id);
      json_builder_set_member_name (records, "pages");
      json_builder_begin_array (records);
      while (sqlite3_step (pages) == SQLITE_ROW)
        {
          const char *sha256 = (const char *) sqlite3_column_text (pages, 0);
          const char *ext = (const char *) sqlite3_column_text (pages, 2);
          int frame = sqlite3_column_int (pages, 1);
          g_autofree char *prefix = g_strndup (sha256, 12);
          g_autofree char *name = g_strdup_printf ("pages/%04d-%s.%s", sqlite3_column_int (pages, 3) + 1, prefix, ext);

          json_builder_begin_object (records);
          json_builder_set_member_name (records, "file");
          json_builder_add_string_value (records, name);
          json_builder_set_member_name (records, "frame");
          json_builder_add_int_value (records, frame);
          json_builder_set_member_name (records, "sha256");
          json_builder_add_string_value (records, sha256);
          json_builder_end_object (records);

          /* A multi-page TIFF is one file holding several pages. */
          if (frame == 0)
            {
              g_ptr_array_add (page_files, g_strdup (name));
              g_ptr_array_add (page_files, g_strdup (sha256));
              g_ptr_array_add (page_files, g_strdup (ext));
            }
        }
      json_builder_end_array (records);

      /* The same writer as a package's records.json. */
      if (record_id)
        {
          if (sqlite3_prepare_v2 (db, "SELECT key, value, state FROM field_values WHERE record_id = ? ORDER BY key",
                                  -1, &values, NULL) != SQLITE_OK)
            goto db_error;
          sqlite3_bind_int64 (values, 1, record_id);
          while (sqlite3_step (values) == SQLITE_ROW)
            {
              char *key = g_strdup ((const char *) sqlite3_column_text (values, 0));

              g_ptr_array_add (keys, key);
              g_hash_table_insert (field_values, key, g_strdup ((const char *) sqlite3_column_text (values, 1)));
              g_hash_table_insert (field_states, key, g_strdup ((const char *) sqlite3_column_text (values, 2)));
            }
        }
      json_builder_set_member_name (records, "fields");
      _sohoa_package_add_json_fields (records, keys, field_values, field_states);
      json_builder_end_object (records);
    }
  if (rc != SQLITE_DONE)
    goto db_error;
  json_builder_end_array (records);
  return TRUE;

db_error:
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be read (%s)."), sqlite3_errmsg (db));
  return FALSE;
}

static JsonBuilder *
build_batch_info (SohoaStore *store,
                  SohoaBatch *batch,
                  SohoaUser  *user)
{
  JsonBuilder *builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *now_str = g_date_time_format_iso8601 (now);
  g_autofree char *ward_code = NULL;
  g_autofree char *ward_name = NULL;

  sohoa_store_get_ward (store, &ward_code, &ward_name);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "sohoa-batch-export/1");
  json_builder_set_member_name (builder, "batch");
  json_builder_add_int_value (builder, sohoa_batch_get_id (batch));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, sohoa_batch_get_title (batch));
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, sohoa_batch_get_schema_id (batch));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, sohoa_batch_state_to_string (sohoa_batch_get_state (batch)));
  json_builder_set_member_name (builder, "ward_code");
  json_builder_add_string_value (builder, ward_code);
  json_builder_set_member_name (builder, "ward_name");
  json_builder_add_string_value (builder, ward_name);
  json_builder_set_member_name (builder, "exported_at");
  json_builder_add_string_value (builder, now_str);
  json_builder_set_member_name (builder, "exported_by");
  json_builder_add_string_value (builder, user ? sohoa_user_get_name (user) : NULL);
  json_builder_set_member_name (builder, "generator");
  json_builder_add_string_value (builder, PACKAGE_NAME " " PACKAGE_VERSION);
  json_builder_end_object (builder);

  return builder;
}

static gboolean
record_export (SohoaStore  *store,
               SohoaUser   *user,
               gint64       batch_id,
               const char  *path,
               GError     **error)
{
  sqlite3 *db = _sohoa_store_get_db (store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  gsize size;

  if (!g_file_get_contents (path, &contents, &size, error))
    return FALSE;
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);

  if (!sohoa_store_begin (store, error))
    return FALSE;
  if (sqlite3_prepare_v2 (db, "INSERT INTO packages (batch_id, file, sha256, size, created_at, created_by) "
                              "VALUES (?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) size);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (user)
    sqlite3_bind_int64 (stmt, 6, sohoa_user_get_id (user));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto failed;

  detail = g_strdup_printf ("{\"file\":\"%s\",\"sha256\":\"%s\"}", basename, sha256);
  if (!sohoa_store_append_audit (store, user, "batch.export", "batch", batch_id, detail, error) ||
      !sohoa_store_commit (store, error))
    {
      sohoa_store_rollback (store);
      return FALSE;
    }
  return TRUE;

failed:
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be updated (%s). Nothing was lost; try again."),
               sqlite3_errmsg (db));
  sohoa_store_rollback (store);
  return FALSE;
}

gboolean
sohoa_export_batch (SohoaContext  *context,
                    gint64         batch_id,
                    const char    *path,
                    SohoaJob      *job,
                    GError       **error)
{
  g_autoptr(SohoaStore) store = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(JsonBuilder) records = json_builder_new ();
  g_autoptr(JsonBuilder) info = NULL;
  g_autoptr(GPtrArray) page_files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) manifest = g_ptr_array_new_with_free_func (manifest_entry_free);
  g_autoptr(SohoaArchive) archive = NULL;
  g_autoptr(GString) manifest_text = g_string_new (NULL);
  g_autofree char *tmp_path = NULL;
  GCancellable *cancellable = job ? sohoa_job_get_cancellable (job) : NULL;
  SohoaUser *user;
  guint n_files;
  int fd;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  user = sohoa_context_get_user (context);
  if (!(store = sohoa_store_dup (sohoa_context_get_store (context), error)) ||
      !(batch = sohoa_store_get_batch (store, batch_id, error)))
    return FALSE;

  if (sohoa_batch_get_state (batch) != SOHOA_BATCH_APPROVED && sohoa_batch_get_state (batch) < SOHOA_BATCH_PACKAGED)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("Batch “%s” is not approved yet; only approved batches can be exported."),
                   sohoa_batch_get_title (batch));
      return FALSE;
    }

  if (!build_records (store, batch_id, records, page_files, error))
    return FALSE;
  info = build_batch_info (store, batch, user);

  tmp_path = g_strdup_printf ("%s.part", path);
  /* The export holds personal data: the file is the user's alone.
   * libarchive would create it with the umask's mode, so it exists first. */
  if ((fd = g_open (tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                   _("The export file “%s” could not be written (%s). Check that the disk has free space."),
                   path, g_strerror (errno));
      return FALSE;
    }
  g_close (fd, NULL);
  archive = archive_write_new ();
  archive_write_set_format_zip (archive);
  archive_write_set_options (archive, "zip:hdrcharset=UTF-8");
  if (archive_write_open_filename (archive, tmp_path) != ARCHIVE_OK)
    return archive_failed (archive, path, error);

  n_files = page_files->len / 3;
  for (guint i = 0; i < n_files; i++)
    {
      const char *name = g_ptr_array_index (page_files, i * 3);
      const char *sha256 = g_ptr_array_index (page_files, i * 3 + 1);
      const char *ext = g_ptr_array_index (page_files, i * 3 + 2);
      g_autofree char *source = _sohoa_workspace_original_path (sohoa_store_get_workspace_dir (store), sha256, ext);
      g_autofree char *data = NULL;
      g_autofree char *message = g_strdup_printf (_("Exporting page %u of %u"), i + 1, n_files);
      g_autofree char *actual = NULL;
      gsize size;

      sohoa_job_report (job, i, n_files + 1, message);
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !g_file_get_contents (source, &data, &size, error))
        goto failed;

      /* The page store is content-addressed: a file that no longer
       * matches its name has been damaged on disk. */
      actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, size);
      if (!g_str_equal (actual, sha256))
        {
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                       _("The stored page image %s is damaged; import the page again before exporting."), name);
          goto failed;
        }
      if (!add_entry (archive, manifest, name, data, size, path, error))
        goto failed;
    }

  if (!add_json (archive, manifest, "records.json", records, path, error) ||
      !add_json (archive, manifest, "batch.json", info, path, error))
    goto failed;

  for (guint i = 0; i < manifest->len; i++)
    {
      ManifestEntry *entry = g_ptr_array_index (manifest, i);
      g_string_append_printf (manifest_text, "%s  %s\n", entry->sha256, entry->path);
    }
  if (!add_entry (archive, NULL, "manifest-sha256.txt", manifest_text->str, manifest_text->len, path, error))
    goto failed;

  if (archive_write_close (archive) != ARCHIVE_OK)
    {
      archive_failed (archive, path, error);
      goto failed;
    }

  if (!fsync_path (tmp_path, error))
    goto failed;
  if (g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The export file “%s” could not be saved: %s"), path, g_strerror (saved_errno));
      goto failed;
    }

  sohoa_job_report (job, 1, 1, NULL);
  return record_export (store, user, batch_id, path, error);

failed:
  g_unlink (tmp_path);
  return FALSE;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SohoaJob *job = g_object_get_data (G_OBJECT (task), "sohoa-job");
  gint64 batch_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "sohoa-batch"));
  GError *error = NULL;

  if (sohoa_export_batch (source_object, batch_id, task_data, job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sohoa_export_batch_async (SohoaContext        *context,
                          gint64               batch_id,
                          const char          *path,
                          SohoaJob            *job,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOHOA_IS_CONTEXT (context));
  g_return_if_fail (path != NULL);

  task = g_task_new (context, job ? sohoa_job_get_cancellable (job) : NULL, callback, user_data);
  g_task_set_source_tag (task, sohoa_export_batch_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (task), "sohoa-batch", GSIZE_TO_POINTER ((gsize) batch_id));
  if (job)
    g_object_set_data_full (G_OBJECT (task), "sohoa-job", g_object_ref (job), g_object_unref);
  g_task_run_in_thread (task, export_thread);
}

gboolean
sohoa_export_batch_finish (SohoaContext  *context,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, context), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
