/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-package"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sohoa-core-private.h"
#include "sohoa-outbox-private.h"
#include "sohoa-package-private.h"
#include "sohoa-package.h"
#include "sohoa-vntext.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* One document of the batch: its entry in the package and its record. */
typedef struct
{
  gint64      id;
  guint       ordinal;      /* 1, 2, … in page order */
  char       *pdf_source;   /* the OCR step's searchable PDF */
  char       *name;         /* <mã hồ sơ>.<ordinal>.pdf */
  char       *sha256;
  gint64      size;
  guint       n_pages;
  gint64      first_import;
  gint64      last_import;
  GPtrArray  *keys;         /* field keys, sorted */
  GHashTable *values;       /* key → value */
  GHashTable *states;       /* key → state */
} Document;

/* A file written to the package, for METS. */
typedef struct
{
  char   *path;             /* relative to the package folder */
  char   *id;
  char   *sha256;
  gint64  size;
  char   *mime;
  char   *use;              /* fileGrp; NULL for metadata */
} PackageFile;

typedef struct
{
  SohoaStore   *store;
  SohoaSchema  *schema;       /* nullable */
  gint64        batch_id;
  char         *batch_title;
  char         *schema_id;
  char         *ward_code;
  char         *ward_name;
  gint64        approved_at;
  char         *approver;
  char         *approver_name;
  char         *approved_iso;   /* +07:00 */
  char         *file_code;      /* mã hồ sơ */
  char         *objid;
  char         *root;           /* folder in the ZIP */
  GPtrArray    *documents;      /* Document */
  GPtrArray    *files;          /* PackageFile */
  GPtrArray    *field_keys;     /* the columns: schema order, then others */

  /* the ZIP being written */
  int                 fd;
  gnutls_hash_hd_t    zip_hash;
  int                 write_errno;
} Build;

static void
document_free (gpointer data)
{
  Document *doc = data;

  g_free (doc->pdf_source);
  g_free (doc->name);
  g_free (doc->sha256);
  g_clear_pointer (&doc->keys, g_ptr_array_unref);
  g_clear_pointer (&doc->values, g_hash_table_unref);
  g_clear_pointer (&doc->states, g_hash_table_unref);
  g_free (doc);
}

static void
package_file_free (gpointer data)
{
  PackageFile *file = data;

  g_free (file->path);
  g_free (file->id);
  g_free (file->sha256);
  g_free (file->mime);
  g_free (file->use);
  g_free (file);
}

static void
build_clear (Build *build)
{
  g_clear_object (&build->store);
  g_clear_object (&build->schema);
  g_free (build->batch_title);
  g_free (build->schema_id);
  g_free (build->ward_code);
  g_free (build->ward_name);
  g_free (build->approver);
  g_free (build->approver_name);
  g_free (build->approved_iso);
  g_free (build->file_code);
  g_free (build->objid);
  g_free (build->root);
  g_clear_pointer (&build->documents, g_ptr_array_unref);
  g_clear_pointer (&build->files, g_ptr_array_unref);
  g_clear_pointer (&build->field_keys, g_ptr_array_unref);
  if (build->zip_hash)
    gnutls_hash_deinit (build->zip_hash, NULL);
  if (build->fd >= 0)
    close (build->fd);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Build, build_clear)

/* The shared ZIP settings ------------------------------------------------- */

SohoaArchiveWriter *
_sohoa_package_zip_new (void)
{
  SohoaArchiveWriter *archive = archive_write_new ();

  archive_write_set_format_zip (archive);
  archive_write_set_options (archive, "zip:compression=store,zip:hdrcharset=UTF-8");
  archive_write_set_bytes_per_block (archive, SOHOA_PACKAGE_BLOCK);
  archive_write_set_bytes_in_last_block (archive, 1);
  return archive;
}

/* No modification time: ZIP keeps it as a local-time DOS date, which would
 * make the bytes depend on the machine's time zone.  Unset, every entry
 * gets the DOS epoch (1980-01-01); the package's own times are in METS. */
struct archive_entry *
_sohoa_package_entry_new (const char *name,
                          gint64      size)
{
  struct archive_entry *entry = archive_entry_new ();

  archive_entry_set_pathname_utf8 (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_uid (entry, 0);
  archive_entry_set_gid (entry, 0);
  archive_entry_set_size (entry, (la_int64_t) size);
  return entry;
}

/* Helpers ----------------------------------------------------------------- */

static char *
hex_digest (const guint8 *digest,
            gsize         length)
{
  GString *out = g_string_sized_new (length * 2);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (out, "%02x", digest[i]);
  return g_string_free (out, FALSE);
}

/* A UUID derived from content (RFC 9562 version 8), upper case as TT 05
 * writes them: the same batch gives the same identifiers. */
static char *
content_uuid (const char *seed)
{
  guint8 d[32];

  gnutls_hash_fast (GNUTLS_DIG_SHA256, seed, strlen (seed), d);
  d[6] = (d[6] & 0x0f) | 0x80;
  d[8] = (d[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
                          d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7],
                          d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]);
}

/* ISO 8601 in Vietnam's time, whatever the machine's zone. */
static char *
format_time (gint64 unix_time)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (7 * 3600);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

/* Letters, digits and . - _ only (Vietnamese letters lose their marks). */
static char *
safe_file_part (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text ? text : "", "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    g_string_append_c (out, g_ascii_isalnum (*p) || *p == '.' || *p == '-' || *p == '_' ? *p : '_');
  while (out->len > 0 && out->str[0] == '.')
    g_string_erase (out, 0, 1);
  if (out->len == 0)
    g_string_append_c (out, '_');
  return g_string_free (out, FALSE);
}

/* For g_ptr_array_sort(), which passes pointers to the elements. */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static const char *
document_value (Document   *doc,
                const char *key)
{
  return doc->values ? g_hash_table_lookup (doc->values, key) : NULL;
}

static gboolean
db_failed (SohoaStore  *store,
           GError     **error)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be read (%s)."),
               sqlite3_errmsg (_sohoa_store_get_db (store)));
  return FALSE;
}

/* Reading the batch --------------------------------------------------------- */

static gboolean
load_batch (Build         *build,
            SohoaContext  *context,
            GError       **error)
{
  sqlite3 *db = _sohoa_store_get_db (build->store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) docs = NULL;
  g_autoptr(GHashTable) seen_keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) other_keys = g_ptr_array_new ();
  SohoaSchema *schema;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT b.title, b.schema_id, b.state, b.approved_at, u.name, u.full_name "
                              "FROM batches b LEFT JOIN users u ON u.id = b.approved_by WHERE b.id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return db_failed (build->store, error);
  sqlite3_bind_int64 (stmt, 1, build->batch_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND,
                   _("There is no batch %lld."), (long long) build->batch_id);
      return FALSE;
    }
  build->batch_title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  build->schema_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  /* Approved, and perhaps packaged or sent already: a package can be
   * made again (it comes out the same). */
  if (!g_strv_contains ((const char * const[]) { "approved", "packaged", "uploaded", "acknowledged", NULL },
                        (const char *) sqlite3_column_text (stmt, 2)) ||
      sqlite3_column_type (stmt, 3) == SQLITE_NULL)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("Batch “%s” is not approved yet; only approved batches can be packaged."),
                   build->batch_title);
      return FALSE;
    }
  build->approved_at = sqlite3_column_int64 (stmt, 3);
  build->approver = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  build->approver_name = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  build->approved_iso = format_time (build->approved_at);
  sohoa_store_get_ward (build->store, &build->ward_code, &build->ward_name);

  if ((schema = sohoa_context_lookup_schema (context, build->schema_id)))
    build->schema = g_object_ref (schema);

  if (sqlite3_prepare_v2 (db,
                          "SELECT d.id, r.id, (SELECT count (*) FROM pages p WHERE p.document_id = d.id), "
                          "(SELECT min (imported_at) FROM pages p WHERE p.document_id = d.id), "
                          "(SELECT max (imported_at) FROM pages p WHERE p.document_id = d.id) "
                          "FROM documents d LEFT JOIN records r ON r.document_id = d.id "
                          "WHERE d.batch_id = ? ORDER BY d.position, d.id",
                          -1, &docs, NULL) != SQLITE_OK)
    return db_failed (build->store, error);
  sqlite3_bind_int64 (docs, 1, build->batch_id);

  while ((rc = sqlite3_step (docs)) == SQLITE_ROW)
    {
      Document *doc = g_new0 (Document, 1);
      gint64 record_id = sqlite3_column_int64 (docs, 1);

      doc->id = sqlite3_column_int64 (docs, 0);
      doc->ordinal = build->documents->len + 1;
      doc->n_pages = (guint) sqlite3_column_int (docs, 2);
      doc->first_import = sqlite3_column_int64 (docs, 3);
      doc->last_import = sqlite3_column_int64 (docs, 4);
      doc->keys = g_ptr_array_new_with_free_func (g_free);
      doc->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      doc->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_ptr_array_add (build->documents, doc);

      if (doc->n_pages == 0)
        continue;
      if (record_id)
        {
          g_autoptr(sqlite3_stmt) values = NULL;

          if (sqlite3_prepare_v2 (db, "SELECT key, value, state FROM field_values WHERE record_id = ? ORDER BY key",
                                  -1, &values, NULL) != SQLITE_OK)
            return db_failed (build->store, error);
          sqlite3_bind_int64 (values, 1, record_id);
          while (sqlite3_step (values) == SQLITE_ROW)
            {
              const char *key = (const char *) sqlite3_column_text (values, 0);

              g_ptr_array_add (doc->keys, g_strdup (key));
              g_hash_table_insert (doc->values, g_strdup (key), g_strdup ((const char *) sqlite3_column_text (values, 1)));
              g_hash_table_insert (doc->states, g_strdup (key), g_strdup ((const char *) sqlite3_column_text (values, 2)));
            }
        }
    }
  if (rc != SQLITE_DONE)
    return db_failed (build->store, error);

  /* Empty documents (every page moved away) are not part of the package. */
  for (guint i = build->documents->len; i > 0; i--)
    if (((Document *) g_ptr_array_index (build->documents, i - 1))->n_pages == 0)
      g_ptr_array_remove_index (build->documents, i - 1);
  for (guint i = 0; i < build->documents->len; i++)
    ((Document *) g_ptr_array_index (build->documents, i))->ordinal = i + 1;

  if (build->documents->len == 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                   _("Batch “%s” has no pages to package."), build->batch_title);
      return FALSE;
    }

  /* Columns: the schema's fields in its order, then any other key seen. */
  if (build->schema)
    for (guint i = 0; i < sohoa_schema_get_n_fields (build->schema); i++)
      {
        const SohoaSchemaField *field = sohoa_schema_get_field (build->schema, i);

        g_ptr_array_add (build->field_keys, g_strdup (field->key));
        g_hash_table_add (seen_keys, field->key);
      }
  for (guint i = 0; i < build->documents->len; i++)
    {
      Document *doc = g_ptr_array_index (build->documents, i);

      for (guint k = 0; k < doc->keys->len; k++)
        if (g_hash_table_add (seen_keys, g_ptr_array_index (doc->keys, k)))
          g_ptr_array_add (other_keys, g_ptr_array_index (doc->keys, k));
    }
  g_ptr_array_sort (other_keys, compare_strings);
  for (guint i = 0; i < other_keys->len; i++)
    g_ptr_array_add (build->field_keys, g_strdup (g_ptr_array_index (other_keys, i)));
  return TRUE;
}

static gboolean
name_files (Build   *build,
            GError **error)
{
  g_autofree char *year = g_strndup (build->approved_iso, 4);
  g_autofree char *seed = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(GString) identity = g_string_new (NULL);
  const char *file_code = NULL;

  /* The mã hồ sơ keyed on a hồ sơ record, else the ward, year and batch. */
  for (guint i = 0; i < build->documents->len && file_code == NULL; i++)
    {
      const char *value = document_value (g_ptr_array_index (build->documents, i), "fileCode");

      if (value && *value)
        file_code = value;
    }
  if (file_code)
    build->file_code = safe_file_part (file_code);
  else
    {
      g_autofree char *raw = g_strdup_printf ("%s.%s.%lld", build->ward_code ? build->ward_code : "00000",
                                              year, (long long) build->batch_id);
      build->file_code = safe_file_part (raw);
    }

  g_string_append_printf (identity, "sohoa-package\n%s\n%lld\n%s\n%s\n%s\n",
                          build->ward_code ? build->ward_code : "", (long long) build->batch_id,
                          build->approved_iso, build->schema_id, build->batch_title);
  for (guint i = 0; i < build->documents->len; i++)
    {
      Document *doc = g_ptr_array_index (build->documents, i);
      struct stat st;

      doc->pdf_source = sohoa_store_dup_document_pdf_path (build->store, doc->id);
      doc->name = g_strdup_printf ("%s.%u.pdf", build->file_code, doc->ordinal);
      if (g_stat (doc->pdf_source, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                       _("Document %u of batch “%s” has no searchable PDF yet. Read the text of the batch (OCR) first."),
                       doc->ordinal, build->batch_title);
          return FALSE;
        }
      doc->size = st.st_size;
      g_string_append_printf (identity, "%u\n", doc->n_pages);
      for (guint k = 0; k < doc->keys->len; k++)
        {
          const char *key = g_ptr_array_index (doc->keys, k);
          g_string_append_printf (identity, "%s=%s\n", key, document_value (doc, key));
        }
    }

  uuid = content_uuid (identity->str);
  build->objid = g_strdup_printf ("urn:uuid:%s", uuid);
  build->root = g_strdup_printf ("urn_uuid_%s", uuid);
  return TRUE;
}

/* Writing the ZIP ----------------------------------------------------------- */

static la_ssize_t
zip_write_cb (struct archive *archive,
              void           *user_data,
              const void     *buffer,
              size_t          length)
{
  Build *build = user_data;
  const char *p = buffer;
  size_t left = length;

  gnutls_hash (build->zip_hash, buffer, length);
  while (left > 0)
    {
      ssize_t n = write (build->fd, p, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          build->write_errno = errno;
          archive_set_error (archive, errno, "%s", g_strerror (errno));
          return -1;
        }
      p += n;
      left -= (size_t) n;
    }
  return (la_ssize_t) length;
}

static gboolean
archive_failed (Build               *build,
                SohoaArchiveWriter  *archive,
                const char          *path,
                GError             **error)
{
  g_autofree char *name = g_path_get_basename (path);

  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
               _("The package “%s” could not be written (%s). Check that the disk has free space."),
               name, archive_error_string (archive) ? archive_error_string (archive) : g_strerror (build->write_errno));
  return FALSE;
}

static PackageFile *
add_file_record (Build      *build,
                 const char *path,
                 const char *sha256,
                 gint64      size,
                 const char *mime,
                 const char *use)
{
  PackageFile *file = g_new0 (PackageFile, 1);
  g_autofree char *seed = g_strdup_printf ("%s/%s", build->objid, path);
  g_autofree char *uuid = content_uuid (seed);

  file->path = g_strdup (path);
  file->id = g_strdup_printf ("ID-%s", uuid);
  file->sha256 = g_strdup (sha256);
  file->size = size;
  file->mime = g_strdup (mime);
  file->use = g_strdup (use);
  g_ptr_array_add (build->files, file);
  return file;
}

static gboolean
add_memory (Build               *build,
            SohoaArchiveWriter  *archive,
            const char          *path,
            const void          *data,
            gsize                size,
            const char          *mime,
            const char          *use,
            const char          *out_path,
            GError             **error)
{
  g_autofree char *name = g_strdup_printf ("%s/%s", build->root, path);
  struct archive_entry *entry = _sohoa_package_entry_new (name, (gint64) size);
  guint8 digest[32];
  g_autofree char *sha256 = NULL;
  gboolean ok = TRUE;

  if (archive_write_header (archive, entry) != ARCHIVE_OK ||
      (size > 0 && archive_write_data (archive, data, size) != (la_ssize_t) size))
    ok = archive_failed (build, archive, out_path, error);
  archive_entry_free (entry);
  if (!ok)
    return FALSE;

  gnutls_hash_fast (GNUTLS_DIG_SHA256, data, size, digest);
  sha256 = hex_digest (digest, sizeof digest);
  if (mime)
    add_file_record (build, path, sha256, (gint64) size, mime, use);
  return TRUE;
}

static gboolean
add_pdf (Build               *build,
         SohoaArchiveWriter  *archive,
         Document            *doc,
         guchar              *buffer,
         SohoaJob            *job,
         guint64             *done,
         guint64              total,
         const char          *out_path,
         GError             **error)
{
  GCancellable *cancellable = job ? sohoa_job_get_cancellable (job) : NULL;
  g_autofree char *path = g_strdup_printf ("representations/rep1/data/%s", doc->name);
  g_autofree char *name = g_strdup_printf ("%s/%s", build->root, path);
  g_autofree char *message = g_strdup_printf (_("Packaging document %u of %u"), doc->ordinal, build->documents->len);
  struct archive_entry *entry;
  gnutls_hash_hd_t hash = NULL;
  guint8 digest[32];
  gint64 left = doc->size;
  int fd;
  gboolean ok;

  if ((fd = g_open (doc->pdf_source, O_RDONLY | O_CLOEXEC, 0)) < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The PDF of document %u could not be read: %s"), doc->ordinal, g_strerror (saved_errno));
      return FALSE;
    }
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  entry = _sohoa_package_entry_new (name, doc->size);
  ok = archive_write_header (archive, entry) == ARCHIVE_OK;
  archive_entry_free (entry);
  if (!ok)
    {
      close (fd);
      return archive_failed (build, archive, out_path, error);
    }

  gnutls_hash_init (&hash, GNUTLS_DIG_SHA256);
  while (left > 0)
    {
      ssize_t n = read (fd, buffer, (size_t) MIN (left, SOHOA_PACKAGE_BLOCK));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          /* The file changed size under us. */
          gnutls_hash_deinit (hash, NULL);
          close (fd);
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                       _("The PDF of document %u changed while it was packaged; try again."), doc->ordinal);
          return FALSE;
        }
      gnutls_hash (hash, buffer, (size_t) n);
      if (archive_write_data (archive, buffer, (size_t) n) != n)
        {
          gnutls_hash_deinit (hash, NULL);
          close (fd);
          return archive_failed (build, archive, out_path, error);
        }
      left -= n;
      *done += (guint64) n;
      sohoa_job_report (job, (guint) (*done >> 20), (guint) MAX (total >> 20, 1), message);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          gnutls_hash_deinit (hash, NULL);
          close (fd);
          return FALSE;
        }
    }
  close (fd);
  gnutls_hash_deinit (hash, digest);
  doc->sha256 = hex_digest (digest, sizeof digest);
  add_file_record (build, path, doc->sha256, doc->size, "application/pdf", "Representations/rep1/Data");
  return TRUE;
}

/* The metadata -------------------------------------------------------------- */

static void
append_escaped (GString    *out,
                const char *format,
                ...) G_GNUC_PRINTF (2, 3);

static void
append_escaped (GString    *out,
                const char *format,
                ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);
  g_string_append (out, text);
}

/* What every key and value of records.csv and records.json is written as:
 * valid UTF-8 in NFC, like everything Sohoa stores, whatever the database
 * holds (a workspace from an older version, a value set from the CLI). */
char *
_sohoa_package_clean_text (const char *text)
{
  return text ? sohoa_text_normalize (text) : NULL;
}

static void
add_json_string (JsonBuilder *builder,
                 const char  *text)
{
  g_autofree char *clean = _sohoa_package_clean_text (text);

  if (clean)
    json_builder_add_string_value (builder, clean);
  else
    json_builder_add_null_value (builder);
}

void
_sohoa_package_add_json_fields (JsonBuilder *builder,
                                GPtrArray   *keys,
                                GHashTable  *values,
                                GHashTable  *states)
{
  json_builder_begin_object (builder);
  for (guint k = 0; k < keys->len; k++)
    {
      const char *key = g_ptr_array_index (keys, k);
      g_autofree char *clean_key = _sohoa_package_clean_text (key);

      json_builder_set_member_name (builder, clean_key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      add_json_string (builder, values ? g_hash_table_lookup (values, key) : NULL);
      json_builder_set_member_name (builder, "state");
      add_json_string (builder, states ? g_hash_table_lookup (states, key) : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static char *
build_records_json (Build *build,
                    gsize *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "sohoa-records/1");
  json_builder_set_member_name (builder, "objid");
  json_builder_add_string_value (builder, build->objid);
  json_builder_set_member_name (builder, "fileCode");
  json_builder_add_string_value (builder, build->file_code);
  json_builder_set_member_name (builder, "ward_code");
  json_builder_add_string_value (builder, build->ward_code);
  json_builder_set_member_name (builder, "ward_name");
  json_builder_add_string_value (builder, build->ward_name);
  json_builder_set_member_name (builder, "batch");
  json_builder_add_int_value (builder, build->batch_id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, build->batch_title);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, build->schema_id);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, build->schema ? sohoa_schema_get_version (build->schema) : 0);
  json_builder_set_member_name (builder, "approved_at");
  json_builder_add_string_value (builder, build->approved_iso);
  json_builder_set_member_name (builder, "approved_by");
  json_builder_add_string_value (builder, build->approver);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (guint i = 0; i < build->documents->len; i++)
    {
      Document *doc = g_ptr_array_index (build->documents, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "document");
      json_builder_add_int_value (builder, doc->ordinal);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, doc->name);
      json_builder_set_member_name (builder, "pages");
      json_builder_add_int_value (builder, doc->n_pages);
      json_builder_set_member_name (builder, "fields");
      _sohoa_package_add_json_fields (builder, doc->keys, doc->values, doc->states);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

static void
append_csv_cell (GString    *out,
                 const char *value)
{
  g_autofree char *clean = _sohoa_package_clean_text (value ? value : "");

  if (strpbrk (clean, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = clean; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, clean);
}

void
_sohoa_package_append_csv_row (GString           *out,
                               const char * const *cells,
                               guint               n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_csv_cell (out, cells[i]);
    }
  g_string_append (out, "\r\n");
}

/* RFC 4180 with a byte-order mark, so Excel reads it as UTF-8. */
static GString *
build_records_csv (Build *build)
{
  GString *out = g_string_new (SOHOA_PACKAGE_CSV_BOM);
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  g_ptr_array_add (cells, "document");
  g_ptr_array_add (cells, "file");
  for (guint k = 0; k < build->field_keys->len; k++)
    g_ptr_array_add (cells, g_ptr_array_index (build->field_keys, k));
  _sohoa_package_append_csv_row (out, (const char * const *) cells->pdata, cells->len);

  for (guint i = 0; i < build->documents->len; i++)
    {
      Document *doc = g_ptr_array_index (build->documents, i);
      g_autofree char *ordinal = g_strdup_printf ("%u", doc->ordinal);

      g_ptr_array_set_size (cells, 0);
      g_ptr_array_add (cells, ordinal);
      g_ptr_array_add (cells, doc->name);
      for (guint k = 0; k < build->field_keys->len; k++)
        g_ptr_array_add (cells, (gpointer) document_value (doc, g_ptr_array_index (build->field_keys, k)));
      _sohoa_package_append_csv_row (out, (const char * const *) cells->pdata, cells->len);
    }
  return out;
}

static GString *
build_ead (Build *build)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

  append_escaped (out,
                  "<ead xmlns=\"urn:isbn:1-931666-22-9\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
                  "  <eadheader>\n"
                  "    <eadid countrycode=\"VN\" identifier=\"%s\">%s</eadid>\n"
                  "    <filedesc><titlestmt><titleproper>%s</titleproper></titlestmt></filedesc>\n"
                  "    <profiledesc><creation>%s<date normal=\"%s\">%s</date></creation>"
                  "<langusage><language langcode=\"vie\">Tiếng Việt</language></langusage></profiledesc>\n"
                  "  </eadheader>\n"
                  "  <archdesc level=\"file\">\n"
                  "    <did>\n"
                  "      <unitid>%s</unitid>\n"
                  "      <unittitle>%s</unittitle>\n"
                  "      <repository><corpname>%s</corpname></repository>\n"
                  "      <physdesc><extent>%u</extent></physdesc>\n"
                  "    </did>\n"
                  "    <controlaccess><genreform source=\"sohoa-schema\">%s</genreform></controlaccess>\n"
                  "    <dsc>\n",
                  build->objid, build->objid, build->batch_title,
                  PACKAGE_NAME " " PACKAGE_VERSION, build->approved_iso, build->approved_iso,
                  build->file_code, build->batch_title,
                  build->ward_name ? build->ward_name : "", build->documents->len,
                  build->schema_id);

  for (guint i = 0; i < build->documents->len; i++)
    {
      Document *doc = g_ptr_array_index (build->documents, i);

      append_escaped (out,
                      "      <c level=\"item\" id=\"doc-%u\">\n"
                      "        <did>\n"
                      "          <unitid>%s.%07u</unitid>\n"
                      "          <unittitle>%s %u</unittitle>\n"
                      "          <physdesc><extent>%u</extent></physdesc>\n"
                      "          <dao xlink:type=\"simple\" xlink:href=\"representations/rep1/data/%s\"/>\n"
                      "        </did>\n"
                      "        <odd><list>\n",
                      doc->ordinal, build->file_code, doc->ordinal, build->schema_id, doc->ordinal,
                      doc->n_pages, doc->name);
      for (guint k = 0; k < doc->keys->len; k++)
        {
          const char *key = g_ptr_array_index (doc->keys, k);

          append_escaped (out, "          <defitem><label>%s</label><item>%s</item></defitem>\n",
                          key, document_value (doc, key) ? document_value (doc, key) : "");
        }
      g_string_append (out, "        </list></odd>\n      </c>\n");
    }
  g_string_append (out, "    </dsc>\n  </archdesc>\n</ead>\n");
  return out;
}

static GString *
build_premis (Build *build)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_autofree char *ward_agent = content_uuid (build->ward_code ? build->ward_code : "");
  g_autofree char *software_agent = content_uuid (PACKAGE_NAME " " PACKAGE_VERSION);
  g_autofree char *approver_seed = g_strdup_printf ("%s/%s", build->ward_code, build->approver);
  g_autofree char *approver_agent = content_uuid (approver_seed);
  g_autofree char *digitized_seed = g_strdup_printf ("%s/digitization", build->objid);
  g_autofree char *approved_seed = g_strdup_printf ("%s/approval", build->objid);
  g_autofree char *digitized_id = content_uuid (digitized_seed);
  g_autofree char *approved_id = content_uuid (approved_seed);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  gint64 first_import = G_MAXINT64, last_import = 0;
  guint n_pages = 0;

  for (guint i = 0; i < build->documents->len; i++)
    {
      Document *doc = g_ptr_array_index (build->documents, i);

      first_import = MIN (first_import, doc->first_import);
      last_import = MAX (last_import, doc->last_import);
      n_pages += doc->n_pages;
    }
  first = format_time (first_import);
  last = format_time (last_import);

  g_string_append (out,
                   "<premis xmlns=\"http://www.loc.gov/premis/v3\" "
                   "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"3.0\">\n");
  for (guint i = 0; i < build->documents->len; i++)
    {
      Document *doc = g_ptr_array_index (build->documents, i);
      g_autofree char *seed = g_strdup_printf ("%s/representations/rep1/data/%s", build->objid, doc->name);
      g_autofree char *uuid = content_uuid (seed);

      append_escaped (out,
                      "  <object xsi:type=\"file\">\n"
                      "    <objectIdentifier><objectIdentifierType>UUID</objectIdentifierType>"
                      "<objectIdentifierValue>uuid-%s</objectIdentifierValue></objectIdentifier>\n"
                      "    <objectCharacteristics>\n"
                      "      <compositionLevel>0</compositionLevel>\n"
                      "      <fixity><messageDigestAlgorithm>SHA-256</messageDigestAlgorithm>"
                      "<messageDigest>%s</messageDigest></fixity>\n"
                      "      <size>%" G_GINT64_FORMAT "</size>\n"
                      "      <format><formatDesignation><formatName>application/pdf</formatName></formatDesignation></format>\n"
                      "    </objectCharacteristics>\n"
                      "    <originalName>representations/rep1/data/%s</originalName>\n"
                      "  </object>\n",
                      uuid, doc->sha256, doc->size, doc->name);
    }
  append_escaped (out,
                  "  <event>\n"
                  "    <eventIdentifier><eventIdentifierType>UUID</eventIdentifierType>"
                  "<eventIdentifierValue>uuid-%s</eventIdentifierValue></eventIdentifier>\n"
                  "    <eventType>transfer</eventType>\n"
                  "    <eventDateTime>%s/%s</eventDateTime>\n"
                  "    <eventDetailInformation><eventDetail>digitization: %u pages scanned or imported, "
                  "text recognized (Tesseract, vie), records keyed</eventDetail></eventDetailInformation>\n"
                  "    <eventOutcomeInformation><eventOutcome>success</eventOutcome></eventOutcomeInformation>\n"
                  "    <linkingAgentIdentifier><linkingAgentIdentifierType>UUID</linkingAgentIdentifierType>"
                  "<linkingAgentIdentifierValue>uuid-%s</linkingAgentIdentifierValue></linkingAgentIdentifier>\n"
                  "    <linkingAgentIdentifier><linkingAgentIdentifierType>UUID</linkingAgentIdentifierType>"
                  "<linkingAgentIdentifierValue>uuid-%s</linkingAgentIdentifierValue></linkingAgentIdentifier>\n"
                  "  </event>\n"
                  "  <event>\n"
                  "    <eventIdentifier><eventIdentifierType>UUID</eventIdentifierType>"
                  "<eventIdentifierValue>uuid-%s</eventIdentifierValue></eventIdentifier>\n"
                  "    <eventType>approval</eventType>\n"
                  "    <eventDateTime>%s</eventDateTime>\n"
                  "    <eventDetailInformation><eventDetail>batch approved by the supervisor</eventDetail></eventDetailInformation>\n"
                  "    <eventOutcomeInformation><eventOutcome>success</eventOutcome></eventOutcomeInformation>\n"
                  "    <linkingAgentIdentifier><linkingAgentIdentifierType>UUID</linkingAgentIdentifierType>"
                  "<linkingAgentIdentifierValue>uuid-%s</linkingAgentIdentifierValue></linkingAgentIdentifier>\n"
                  "  </event>\n",
                  digitized_id, first, last, n_pages, ward_agent, software_agent,
                  approved_id, build->approved_iso, approver_agent);
  append_escaped (out,
                  "  <agent><agentIdentifier><agentIdentifierType>UUID</agentIdentifierType>"
                  "<agentIdentifierValue>uuid-%s</agentIdentifierValue></agentIdentifier>"
                  "<agentName>%s (%s)</agentName><agentType>organization</agentType></agent>\n"
                  "  <agent><agentIdentifier><agentIdentifierType>UUID</agentIdentifierType>"
                  "<agentIdentifierValue>uuid-%s</agentIdentifierValue></agentIdentifier>"
                  "<agentName>%s</agentName><agentType>software</agentType></agent>\n"
                  "  <agent><agentIdentifier><agentIdentifierType>UUID</agentIdentifierType>"
                  "<agentIdentifierValue>uuid-%s</agentIdentifierValue></agentIdentifier>"
                  "<agentName>%s</agentName><agentType>person</agentType></agent>\n"
                  "</premis>\n",
                  ward_agent, build->ward_name ? build->ward_name : "", build->ward_code ? build->ward_code : "",
                  software_agent, PACKAGE_NAME " " PACKAGE_VERSION,
                  approver_agent, build->approver_name && *build->approver_name ? build->approver_name
                                                                                 : (build->approver ? build->approver : ""));
  return out;
}

static PackageFile *
find_file (Build      *build,
           const char *path)
{
  for (guint i = 0; i < build->files->len; i++)
    {
      PackageFile *file = g_ptr_array_index (build->files, i);

      if (g_str_equal (file->path, path))
        return file;
    }
  return NULL;
}

static GString *
build_mets (Build *build)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  static const char * const groups[] = { "Representations/rep1/Data", "Other", "Documentation", "Schemas" };
  static const char * const metadata[][3] = {
    { "metadata/descriptive/EAD.xml", "dmdSec", "EAD" },
    { "metadata/preservation/PREMIS.xml", "digiprovMD", "PREMIS" },
  };
  g_autofree char *dmd_seed = g_strdup_printf ("%s/dmd", build->objid);
  g_autofree char *dmd_id = content_uuid (dmd_seed);
  g_autofree char *amd_seed = g_strdup_printf ("%s/amd", build->objid);
  g_autofree char *amd_id = content_uuid (amd_seed);
  g_autofree char *prov_seed = g_strdup_printf ("%s/digiprov", build->objid);
  g_autofree char *prov_id = content_uuid (prov_seed);
  PackageFile *ead = find_file (build, metadata[0][0]);
  PackageFile *premis = find_file (build, metadata[1][0]);

  append_escaped (out,
                  "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                  "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                  "xsi:schemaLocation=\"http://www.loc.gov/METS/ schemas/mets.xsd http://www.w3.org/1999/xlink schemas/xlink.xsd\" "
                  "OBJID=\"%s\" LABEL=\"%s\" TYPE=\"SIP_hoso\" "
                  "PROFILE=\"https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml\">\n"
                  "  <mets:metsHdr CREATEDATE=\"%s\" RECORDSTATUS=\"NEW\">\n"
                  "    <mets:agent ROLE=\"CREATOR\" TYPE=\"ORGANIZATION\"><mets:name>%s</mets:name><mets:note>%s</mets:note></mets:agent>\n"
                  "    <mets:agent ROLE=\"CREATOR\" TYPE=\"OTHER\" OTHERTYPE=\"SOFTWARE\"><mets:name>%s</mets:name></mets:agent>\n"
                  "  </mets:metsHdr>\n",
                  build->objid, build->batch_title, build->approved_iso,
                  build->ward_name ? build->ward_name : "", build->ward_code ? build->ward_code : "",
                  PACKAGE_NAME " " PACKAGE_VERSION);
  append_escaped (out,
                  "  <mets:dmdSec ID=\"uuid-%s\" CREATED=\"%s\">\n"
                  "    <mets:mdRef LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"%s\" MDTYPE=\"EAD\" "
                  "MIMETYPE=\"text/xml\" SIZE=\"%" G_GINT64_FORMAT "\" CREATED=\"%s\" CHECKSUM=\"%s\" CHECKSUMTYPE=\"SHA-256\"/>\n"
                  "  </mets:dmdSec>\n"
                  "  <mets:amdSec ID=\"uuid-%s\">\n"
                  "    <mets:digiprovMD ID=\"uuid-%s\" CREATED=\"%s\">\n"
                  "      <mets:mdRef LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"%s\" MDTYPE=\"PREMIS\" "
                  "MIMETYPE=\"text/xml\" SIZE=\"%" G_GINT64_FORMAT "\" CREATED=\"%s\" CHECKSUM=\"%s\" CHECKSUMTYPE=\"SHA-256\"/>\n"
                  "    </mets:digiprovMD>\n"
                  "  </mets:amdSec>\n",
                  dmd_id, build->approved_iso, ead->path, ead->size, build->approved_iso, ead->sha256,
                  amd_id, prov_id, build->approved_iso, premis->path, premis->size, build->approved_iso, premis->sha256);

  g_string_append (out, "  <mets:fileSec>\n");
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      g_autofree char *seed = g_strdup_printf ("%s/fileGrp/%s", build->objid, groups[g]);
      g_autofree char *uuid = content_uuid (seed);
      gboolean any = FALSE;

      for (guint i = 0; i < build->files->len; i++)
        {
          PackageFile *file = g_ptr_array_index (build->files, i);

          if (g_strcmp0 (file->use, groups[g]) != 0)
            continue;
          if (!any)
            append_escaped (out, "    <mets:fileGrp ID=\"uuid-%s\" USE=\"%s\">\n", uuid, groups[g]);
          any = TRUE;
          append_escaped (out,
                          "      <mets:file ID=\"%s\" MIMETYPE=\"%s\" SIZE=\"%" G_GINT64_FORMAT "\" CREATED=\"%s\" "
                          "CHECKSUM=\"%s\" CHECKSUMTYPE=\"SHA-256\">\n"
                          "        <mets:FLocat LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"%s\"/>\n"
                          "      </mets:file>\n",
                          file->id, file->mime, file->size, build->approved_iso, file->sha256, file->path);
        }
      if (any)
        g_string_append (out, "    </mets:fileGrp>\n");
    }
  g_string_append (out, "  </mets:fileSec>\n");

  append_escaped (out,
                  "  <mets:structMap TYPE=\"PHYSICAL\" LABEL=\"CSIP\">\n"
                  "    <mets:div LABEL=\"%s\">\n"
                  "      <mets:div LABEL=\"Metadata\" DMDID=\"uuid-%s\" ADMID=\"uuid-%s\"/>\n",
                  build->objid, dmd_id, prov_id);
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      gboolean any = FALSE;

      for (guint i = 0; i < build->files->len; i++)
        {
          PackageFile *file = g_ptr_array_index (build->files, i);

          if (g_strcmp0 (file->use, groups[g]) != 0)
            continue;
          if (!any)
            append_escaped (out, "      <mets:div LABEL=\"%s\">\n", groups[g]);
          any = TRUE;
          append_escaped (out, "        <mets:fptr FILEID=\"%s\"/>\n", file->id);
        }
      if (any)
        g_string_append (out, "      </mets:div>\n");
    }
  g_string_append (out, "    </mets:div>\n  </mets:structMap>\n</mets:mets>\n");
  return out;
}

/* The Ministry of Justice sheet: one per book (quyển số), one row per
 * entry, the Ministry's column keys on the first row, and the PDF of each
 * entry in the last column. */
static gboolean
add_moj_sheets (Build               *build,
                SohoaArchiveWriter  *archive,
                const char          *out_path,
                const char          *dir,
                GError             **error)
{
  g_autoptr(GHashTable) books = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) book_names = g_ptr_array_new_with_free_func (g_free);

  if (build->schema == NULL || sohoa_schema_lookup_field (build->schema, "quyenSo") == NULL)
    return TRUE;
  if (g_mkdir (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The package “%s” could not be created: %s"), out_path, g_strerror (saved_errno));
      return FALSE;
    }

  for (guint i = 0; i < build->documents->len; i++)
    {
      Document *doc = g_ptr_array_index (build->documents, i);
      const char *book = document_value (doc, "quyenSo");
      g_autofree char *name = safe_file_part (book && *book ? book : "_");
      GPtrArray *rows = g_hash_table_lookup (books, name);

      if (rows == NULL)
        {
          rows = g_ptr_array_new ();
          g_hash_table_insert (books, g_strdup (name), rows);
          g_ptr_array_add (book_names, g_strdup (name));
        }
      g_ptr_array_add (rows, doc);
    }
  g_ptr_array_sort (book_names, compare_strings);

  for (guint b = 0; b < book_names->len; b++)
    {
      const char *book = g_ptr_array_index (book_names, b);
      GPtrArray *rows = g_hash_table_lookup (books, book);
      g_autofree char *tmp_name = g_strdup_printf ("moj-%u.xlsx", b);
      g_autofree char *tmp = g_build_filename (dir, tmp_name, NULL);
      g_autofree char *path = g_strdup_printf ("documentation/moj/%s.xlsx", book);
      g_autofree char *contents = NULL;
      lxw_doc_properties properties = { 0 };
      lxw_workbook_options options = { 0 };
      lxw_workbook *workbook;
      lxw_worksheet *sheet;
      lxw_error rc;
      gsize size;
      gboolean ok;
      guint n_columns = build->field_keys->len;

      options.tmpdir = (char *) dir;
      workbook = workbook_new_opt (tmp, &options);
      if (workbook == NULL)
        {
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                       _("The Ministry of Justice sheet for book %s could not be written."), book);
          return FALSE;
        }
      properties.title = (char *) book;
      properties.company = build->ward_name;
      properties.created = (time_t) build->approved_at;
      workbook_set_properties (workbook, &properties);
      sheet = workbook_add_worksheet (workbook, NULL);
      for (guint k = 0; k < n_columns; k++)
        worksheet_write_string (sheet, 0, (lxw_col_t) k, g_ptr_array_index (build->field_keys, k), NULL);
      worksheet_write_string (sheet, 0, (lxw_col_t) n_columns, "tepDinhKem", NULL);
      for (guint r = 0; r < rows->len; r++)
        {
          Document *doc = g_ptr_array_index (rows, r);

          for (guint k = 0; k < n_columns; k++)
            {
              const char *value = document_value (doc, g_ptr_array_index (build->field_keys, k));

              if (value && *value)
                worksheet_write_string (sheet, (lxw_row_t) r + 1, (lxw_col_t) k, value, NULL);
            }
          worksheet_write_string (sheet, (lxw_row_t) r + 1, (lxw_col_t) n_columns, doc->name, NULL);
        }
      rc = workbook_close (workbook);
      if (rc != LXW_NO_ERROR || !g_file_get_contents (tmp, &contents, &size, NULL))
        {
          g_unlink (tmp);
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                       _("The Ministry of Justice sheet for book %s could not be written (%s)."),
                       book, lxw_strerror (rc));
          return FALSE;
        }
      g_unlink (tmp);
      ok = add_memory (build, archive, path, contents, size,
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       "Documentation", out_path, error);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_schemas (Build               *build,
             SohoaArchiveWriter  *archive,
             const char          *out_path,
             GError             **error)
{
  static const char * const names[] = { "mets.xsd", "xlink.xsd" };
  g_autofree char *data_dir = sohoa_context_find_data_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *source = g_build_filename (data_dir, "standards", names[i], NULL);
      g_autofree char *path = g_strdup_printf ("schemas/%s", names[i]);
      g_autofree char *contents = NULL;
      gsize size;

      if (!g_file_get_contents (source, &contents, &size, error))
        {
          g_prefix_error (error, _("Sohoa's installed files are incomplete: "));
          return FALSE;
        }
      if (!add_memory (build, archive, path, contents, size, "text/xml", "Schemas", out_path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
sync_parent_dir (const char  *path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
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
               _("The package “%s” could not be saved: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* The store ------------------------------------------------------------------ */

static gboolean
record_package (Build        *build,
                SohoaUser    *user,
                const char   *path,
                const char   *sha256,
                gint64        size,
                const char   *signer,
                GError      **error)
{
  sqlite3 *db = _sohoa_store_get_db (build->store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) detail = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *detail_text = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);

  json_builder_begin_object (detail);
  json_builder_set_member_name (detail, "file");
  json_builder_add_string_value (detail, basename);
  json_builder_set_member_name (detail, "objid");
  json_builder_add_string_value (detail, build->objid);
  json_builder_set_member_name (detail, "sha256");
  json_builder_add_string_value (detail, sha256);
  json_builder_set_member_name (detail, "signed");
  json_builder_add_boolean_value (detail, signer != NULL);
  json_builder_end_object (detail);
  root = json_builder_get_root (detail);
  json_generator_set_root (generator, root);
  detail_text = json_generator_to_data (generator, NULL);

  if (!sohoa_store_begin (build->store, error))
    return FALSE;
  /* Queued for upload at once: the outbox sends it when it can. */
  if (!_sohoa_outbox_insert (build->store, user, build->batch_id, absolute, sha256, (guint64) size, signer, error))
    {
      sohoa_store_rollback (build->store);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (db, "UPDATE batches SET state = 'packaged' WHERE id = ? AND state = 'approved'",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, build->batch_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto failed;

  if (!sohoa_store_append_audit (build->store, user, "batch.package", "batch", build->batch_id, detail_text, error) ||
      !sohoa_store_commit (build->store, error))
    {
      sohoa_store_rollback (build->store);
      return FALSE;
    }
  return TRUE;

failed:
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_DATABASE,
               _("The workspace database could not be updated (%s). Nothing was lost; try again."),
               sqlite3_errmsg (db));
  sohoa_store_rollback (build->store);
  return FALSE;
}

/* Public API ----------------------------------------------------------------- */

/**
 * sohoa_package_build:
 * @signer: (nullable): signs METS.xml; without it the package is unsigned
 * @job: (nullable): progress and cancellation
 *
 * Builds the package of an approved batch at @path (see the header).
 * The signed-in user must be a supervisor.
 */
gboolean
sohoa_package_build (SohoaContext  *context,
                     gint64         batch_id,
                     const char    *path,
                     SohoaSigner   *signer,
                     SohoaJob      *job,
                     GError       **error)
{
  g_auto(Build) build = { 0 };
  g_autoptr(SohoaArchiveWriter) archive = NULL;
  g_autofree guchar *buffer = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *records_json = NULL;
  g_autofree char *zip_sha256 = NULL;
  g_autoptr(GString) csv = NULL;
  g_autoptr(GString) ead = NULL;
  g_autoptr(GString) premis = NULL;
  g_autoptr(GString) mets = NULL;
  g_autoptr(GBytes) signature = NULL;
  SohoaUser *user;
  guint64 total = 0, done = 0;
  guint8 digest[32];
  gsize json_length;
  struct stat st;
  int saved_errno;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (signer == NULL || SOHOA_IS_SIGNER (signer), FALSE);

  build.fd = -1;
  build.batch_id = batch_id;
  build.documents = g_ptr_array_new_with_free_func (document_free);
  build.files = g_ptr_array_new_with_free_func (package_file_free);
  build.field_keys = g_ptr_array_new_with_free_func (g_free);

  user = sohoa_context_get_user (context);
  if (user == NULL || !sohoa_user_can_approve (user))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                           _("Only a supervisor can make the package of a batch."));
      return FALSE;
    }
  if (!(build.store = sohoa_store_dup (sohoa_context_get_store (context), error)) ||
      !load_batch (&build, context, error) ||
      !name_files (&build, error))
    return FALSE;

  for (guint i = 0; i < build.documents->len; i++)
    total += (guint64) ((Document *) g_ptr_array_index (build.documents, i))->size;

  tmp_path = g_strdup_printf ("%s.part", path);
  /* The sheets, and libxlsxwriter's temporary files (it unlinks each as
   * soon as it is made, but a kill can fall in between), are written in a
   * folder of their own beside the package, named after it and ending in
   * .part like the package being written: the end of the build removes
   * it, and so does the next build of the same package if this one was
   * killed. */
  tmp_dir = g_strdup_printf ("%s.tmp.part", path);
  _sohoa_remove_tree (tmp_dir);
  /* Holds personal data until it is signed and sent: the user's alone. */
  build.fd = g_open (tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (build.fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The package “%s” could not be created: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  gnutls_hash_init (&build.zip_hash, GNUTLS_DIG_SHA256);
  archive = _sohoa_package_zip_new ();
  if (archive_write_open2 (archive, &build, NULL, zip_write_cb, NULL, NULL) != ARCHIVE_OK)
    {
      archive_failed (&build, archive, path, error);
      goto failed;
    }

  buffer = g_malloc (SOHOA_PACKAGE_BLOCK);
  for (guint i = 0; i < build.documents->len; i++)
    if (!add_pdf (&build, archive, g_ptr_array_index (build.documents, i), buffer, job, &done, total, path, error))
      goto failed;

  ead = build_ead (&build);
  premis = build_premis (&build);
  records_json = build_records_json (&build, &json_length);
  csv = build_records_csv (&build);
  if (!add_memory (&build, archive, "metadata/descriptive/EAD.xml", ead->str, ead->len, "text/xml", NULL, path, error) ||
      !add_memory (&build, archive, "metadata/preservation/PREMIS.xml", premis->str, premis->len, "text/xml", NULL, path, error) ||
      !add_memory (&build, archive, "metadata/other/records.json", records_json, json_length, "application/json", "Other", path, error) ||
      !add_memory (&build, archive, "metadata/other/records.csv", csv->str, csv->len, "text/csv", "Other", path, error) ||
      !add_moj_sheets (&build, archive, path, tmp_dir, error) ||
      !add_schemas (&build, archive, path, error))
    goto failed;

  mets = build_mets (&build);
  if (!add_memory (&build, archive, SOHOA_PACKAGE_METS, mets->str, mets->len, NULL, NULL, path, error))
    goto failed;
  if (signer)
    {
      g_autoptr(GBytes) mets_bytes = g_bytes_new_static (mets->str, mets->len);
      gsize size;
      gconstpointer data;

      sohoa_job_report (job, 1, 1, _("Signing the package"));
      if (!(signature = sohoa_signer_sign_detached (signer, mets_bytes, error)))
        goto failed;
      data = g_bytes_get_data (signature, &size);
      if (!add_memory (&build, archive, SOHOA_PACKAGE_SIGNATURE, data, size, NULL, NULL, path, error))
        goto failed;
    }

  _sohoa_remove_tree (tmp_dir);
  if (archive_write_close (archive) != ARCHIVE_OK)
    {
      archive_failed (&build, archive, path, error);
      goto failed;
    }
  if (fsync (build.fd) != 0 || fstat (build.fd, &st) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The package “%s” could not be saved: %s"), path, g_strerror (saved_errno));
      goto failed;
    }
  close (build.fd);
  build.fd = -1;
  gnutls_hash_deinit (build.zip_hash, digest);
  build.zip_hash = NULL;
  zip_sha256 = hex_digest (digest, sizeof digest);

  if (g_rename (tmp_path, path) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The package “%s” could not be saved: %s"), path, g_strerror (saved_errno));
      goto failed;
    }
  /* The new name on disk before the outbox lists it: after a power cut
   * the outbox must not point at a file that is not there. */
  if (!sync_parent_dir (path, error))
    return FALSE;

  sohoa_job_report (job, 1, 1, NULL);
  return record_package (&build, user, path, zip_sha256, st.st_size,
                         signer ? sohoa_signer_get_subject (signer) : NULL, error);

failed:
  _sohoa_remove_tree (tmp_dir);
  g_unlink (tmp_path);
  return FALSE;
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SohoaJob *job = g_object_get_data (G_OBJECT (task), "sohoa-job");
  SohoaSigner *signer = g_object_get_data (G_OBJECT (task), "sohoa-signer");
  gint64 batch_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "sohoa-batch"));
  GError *error = NULL;

  if (sohoa_package_build (source_object, batch_id, task_data, signer, job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * sohoa_package_build_async:
 *
 * Builds the package in a worker thread.  A PKCS#11 signer's PIN function,
 * if it has to ask, is called in that thread: a window should ask for the
 * PIN first and give it to sohoa_signer_new_pkcs11().
 */
void
sohoa_package_build_async (SohoaContext        *context,
                           gint64               batch_id,
                           const char          *path,
                           SohoaSigner         *signer,
                           SohoaJob            *job,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOHOA_IS_CONTEXT (context));
  g_return_if_fail (path != NULL);

  task = g_task_new (context, job ? sohoa_job_get_cancellable (job) : NULL, callback, user_data);
  g_task_set_source_tag (task, sohoa_package_build_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (task), "sohoa-batch", GSIZE_TO_POINTER ((gsize) batch_id));
  if (job)
    g_object_set_data_full (G_OBJECT (task), "sohoa-job", g_object_ref (job), g_object_unref);
  if (signer)
    g_object_set_data_full (G_OBJECT (task), "sohoa-signer", g_object_ref (signer), g_object_unref);
  g_task_run_in_thread (task, build_thread);
}

gboolean
sohoa_package_build_finish (SohoaContext  *context,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, context), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
