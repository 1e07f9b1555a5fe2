/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-verify"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sohoa-core-private.h"
#include "sohoa-package-private.h"
#include "sohoa-sign.h"
#include "sohoa-types.h"
#include "sohoa-verify.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define METS_NS   "http://www.loc.gov/METS/"
#define XLINK_NS  "http://www.w3.org/1999/xlink"
#define MAX_ENTRIES     100000
#define MAX_IN_MEMORY   (64 * 1024 * 1024)

typedef struct
{
  char    *sha256;
  guint64  size;
} Digest;

/* The verifier's own copy of the ZIP, compared with the file as it is
 * made: anything Sohoa would not have written shows as a difference. */
typedef struct
{
  int      fd;
  guint64  offset;
  guint64  file_size;
  guchar  *buffer;
  gboolean differs;
  guint64  differs_at;
  gnutls_hash_hd_t hash;   /* of the bytes compared equal, so of the whole file when it is as made */
} Compare;

typedef struct
{
  guint64  position;
  char    *name;
} EntryStart;

static void
digest_free (gpointer data)
{
  Digest *digest = data;

  g_free (digest->sha256);
  g_free (digest);
}

static void
entry_start_clear (gpointer data)
{
  g_free (((EntryStart *) data)->name);
}

void
sohoa_package_info_free (SohoaPackageInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->objid);
  g_free (info->root);
  g_free (info->signer);
  g_free (info->sha256);
  g_free (info);
}

static gboolean
problem (GError     **error,
         const char  *file,
         const char  *format,
         ...) G_GNUC_PRINTF (3, 4);

/* Every message starts with the file of the package it is about. */
static gboolean
problem (GError     **error,
         const char  *file,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID, "%s: %s", file, message);
  return FALSE;
}

static char *
hex_digest (const guint8 *digest,
            gsize         length)
{
  GString *out = g_string_sized_new (length * 2);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (out, "%02x", digest[i]);
  return g_string_free (out, FALSE);
}

/* A name that stays inside the folder it is unpacked into. */
static gboolean
check_name (const char  *name,
            GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) || strlen (name) > 1024)
    return problem (error, name && g_utf8_validate (name, -1, NULL) ? name : "?",
                    _("the name of this file is not valid"));
  if (name[0] == '/' || strchr (name, '\\') != NULL || (g_ascii_isalpha (name[0]) && name[1] == ':'))
    return problem (error, name, _("absolute paths are refused"));
  for (const char *p = name; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return problem (error, name, _("the name of this file is not valid"));
  parts = g_strsplit (name, "/", -1);
  for (guint i = 0; parts[i]; i++)
    {
      if (g_str_equal (parts[i], ".."))
        return problem (error, name, _("paths with “..” are refused"));
      if (*parts[i] == '\0' || g_str_equal (parts[i], "."))
        return problem (error, name, _("the name of this file is not valid"));
    }
  return TRUE;
}

static la_ssize_t
compare_write_cb (struct archive *archive,
                  void           *user_data,
                  const void     *buffer,
                  size_t          length)
{
  Compare *cmp = user_data;
  const guchar *expected = buffer;
  size_t done = 0;

  while (done < length && !cmp->differs)
    {
      size_t chunk = MIN (length - done, (size_t) SOHOA_PACKAGE_BLOCK);
      ssize_t n;

      if (cmp->offset + chunk > cmp->file_size)
        {
          cmp->differs = TRUE;
          cmp->differs_at = cmp->file_size;
          break;
        }
      do
        n = pread (cmp->fd, cmp->buffer, chunk, (off_t) cmp->offset);
      while (n < 0 && errno == EINTR);
      if (n != (ssize_t) chunk || memcmp (cmp->buffer, expected + done, chunk) != 0)
        {
          size_t at = 0;

          while (n > 0 && at < (size_t) n && cmp->buffer[at] == expected[done + at])
            at++;
          cmp->differs = TRUE;
          cmp->differs_at = cmp->offset + at;
          break;
        }
      gnutls_hash (cmp->hash, cmp->buffer, chunk);
      cmp->offset += chunk;
      done += chunk;
    }
  return (la_ssize_t) length;
}

/**
 * _sohoa_remove_tree:
 *
 * Removes a folder of the workspace's own making and all it holds, without
 * following links.  Returns whether the folder is gone.
 */
gboolean
_sohoa_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir)
    while ((name = g_dir_read_name (dir)))
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          _sohoa_remove_tree (child);
        else
          g_unlink (child);
      }
  return g_rmdir (path) == 0;
}

static int
create_output (const char  *tmp_dir,
               const char  *name,
               GError     **error)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (parent, 0755) != 0 ||
      (fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", name, g_strerror (saved_errno));
      return -1;
    }
  return fd;
}

static gboolean
write_all (int           fd,
           const guchar *data,
           gsize         size)
{
  while (size > 0)
    {
      ssize_t n = write (fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      data += n;
      size -= (gsize) n;
    }
  return TRUE;
}

/* METS.xml ------------------------------------------------------------------ */

static gboolean
is_mets (xmlNode    *node,
         const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns &&
         g_strcmp0 ((const char *) node->ns->href, METS_NS) == 0 &&
         g_strcmp0 ((const char *) node->name, name) == 0;
}

static gboolean
add_listed (GHashTable  *listed,
            xmlNode     *node,
            xmlNode     *location,
            GError     **error)
{
  g_autofree xmlChar *href = location ? xmlGetNsProp (location, (const xmlChar *) "href", (const xmlChar *) XLINK_NS) : NULL;
  g_autofree xmlChar *checksum = xmlGetProp (node, (const xmlChar *) "CHECKSUM");
  g_autofree xmlChar *type = xmlGetProp (node, (const xmlChar *) "CHECKSUMTYPE");
  g_autofree xmlChar *size = xmlGetProp (node, (const xmlChar *) "SIZE");
  Digest *digest;
  guint64 n;

  if (href == NULL || checksum == NULL || size == NULL ||
      g_strcmp0 ((const char *) type, "SHA-256") != 0 ||
      strlen ((const char *) checksum) != 64 ||
      !g_ascii_string_to_unsigned ((const char *) size, 10, 0, G_MAXUINT64, &n, NULL))
    return problem (error, SOHOA_PACKAGE_METS, _("a file is listed without its location, size and SHA-256"));
  if (!check_name ((const char *) href, error))
    return FALSE;
  if (g_hash_table_contains (listed, href))
    return problem (error, SOHOA_PACKAGE_METS, _("%s is listed twice"), (const char *) href);

  digest = g_new0 (Digest, 1);
  digest->sha256 = g_ascii_strdown ((const char *) checksum, -1);
  digest->size = n;
  g_hash_table_insert (listed, g_strdup ((const char *) href), digest);
  return TRUE;
}

static gboolean
collect_listed (xmlNode     *node,
                GHashTable  *listed,
                GError     **error)
{
  for (; node; node = node->next)
    {
      if (is_mets (node, "mdRef") && !add_listed (listed, node, node, error))
        return FALSE;
      if (is_mets (node, "file"))
        {
          xmlNode *location = NULL;

          for (xmlNode *child = node->children; child && !location; child = child->next)
            if (is_mets (child, "FLocat"))
              location = child;
          if (!add_listed (listed, node, location, error))
            return FALSE;
        }
      if (node->children && !collect_listed (node->children, listed, error))
        return FALSE;
    }
  return TRUE;
}

static GHashTable *
parse_mets (GBytes  *mets,
            char   **objid,
            GError **error)
{
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, digest_free);
  gsize size;
  const char *data = g_bytes_get_data (mets, &size);
  xmlDoc *doc;
  xmlNode *root;
  xmlChar *id;
  gboolean ok;

  /* No network, no DTD, no entity expansion. */
  doc = xmlReadMemory (data, (int) size, SOHOA_PACKAGE_METS, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL)
    {
      problem (error, SOHOA_PACKAGE_METS, _("this is not well-formed XML"));
      return NULL;
    }
  root = xmlDocGetRootElement (doc);
  if (root == NULL || !is_mets (root, "mets") || doc->intSubset != NULL ||
      (id = xmlGetProp (root, (const xmlChar *) "OBJID")) == NULL)
    {
      xmlFreeDoc (doc);
      problem (error, SOHOA_PACKAGE_METS, _("this is not a METS document with an OBJID"));
      return NULL;
    }
  *objid = g_strdup ((const char *) id);
  xmlFree (id);
  ok = collect_listed (root->children, listed, error);
  xmlFreeDoc (doc);
  return ok ? g_steal_pointer (&listed) : NULL;
}

/* The pass over the ZIP --------------------------------------------------------- */

static const char *
entry_at (GArray  *starts,
          guint64  offset)
{
  const char *name = NULL;

  for (guint i = 0; i < starts->len; i++)
    {
      EntryStart *start = &g_array_index (starts, EntryStart, i);

      if (start->position <= offset)
        name = start->name;
    }
  return name;
}

SohoaPackageInfo *
sohoa_package_verify (const char  *path,
                      const char  *ca_file,
                      const char  *dest_dir,
                      guint64      max_entry_size,
                      SohoaJob    *job,
                      GError     **error)
{
  g_autoptr(SohoaArchiveReader) reader = NULL;
  g_autoptr(SohoaArchiveWriter) writer = NULL;
  g_autoptr(GHashTable) actual = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, digest_free);
  g_autoptr(GHashTable) folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) listed = NULL;
  g_autoptr(GArray) starts = g_array_new (FALSE, TRUE, sizeof (EntryStart));
  g_autoptr(GBytes) mets = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(SohoaPackageInfo) info = g_new0 (SohoaPackageInfo, 1);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *tmp_dir = NULL;
  g_autofree char *objid = NULL;
  g_autofree guchar *buffer = NULL;
  g_autofree char *root_folder = NULL;
  GCancellable *cancellable = job ? sohoa_job_get_cancellable (job) : NULL;
  Compare cmp = { -1, 0, 0, NULL, FALSE, 0, NULL };
  struct archive_entry *entry;
  struct stat st;
  GHashTableIter iter;
  gpointer key, value;
  gboolean ok = FALSE;
  gboolean has_data = FALSE;
  guint64 directory_at = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (max_entry_size == 0)
    max_entry_size = SOHOA_PACKAGE_MAX_ENTRY_SIZE;
  g_array_set_clear_func (starts, entry_start_clear);

  if ((cmp.fd = g_open (path, O_RDONLY | O_CLOEXEC, 0)) < 0 || fstat (cmp.fd, &st) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The package “%s” could not be opened: %s"), basename, g_strerror (saved_errno));
      if (cmp.fd >= 0)
        close (cmp.fd);
      return NULL;
    }
  cmp.file_size = (guint64) st.st_size;
  cmp.buffer = g_malloc (SOHOA_PACKAGE_BLOCK);
  gnutls_hash_init (&cmp.hash, GNUTLS_DIG_SHA256);
  buffer = g_malloc (SOHOA_PACKAGE_BLOCK);

  if (dest_dir)
    {
      g_autofree char *template = g_strdup_printf ("%s.part-XXXXXX", dest_dir);

      if (g_file_test (dest_dir, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("“%s” already exists; choose a new folder to import the package into."), dest_dir);
          goto out;
        }
      if (!(tmp_dir = g_mkdtemp (g_steal_pointer (&template))))
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("The folder “%s” could not be created: %s"), dest_dir, g_strerror (saved_errno));
          goto out;
        }
    }

  reader = archive_read_new ();
  archive_read_support_format_zip_seekable (reader);
  if (archive_read_open_filename (reader, path, SOHOA_PACKAGE_BLOCK) != ARCHIVE_OK)
    {
      problem (error, basename, _("this is not a Sohoa package (%s)"), archive_error_string (reader));
      goto out;
    }
  writer = _sohoa_package_zip_new ();
  archive_write_open2 (writer, &cmp, NULL, compare_write_cb, NULL, NULL);

  while ((rc = archive_read_next_header (reader, &entry)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname_utf8 (entry);
      g_autofree char *casefolded = NULL;
      g_autofree char *relative = NULL;
      struct archive_entry *copy;
      gnutls_hash_hd_t hash = NULL;
      guint8 digest[32];
      GByteArray *kept = NULL;
      Digest *item;
      guint64 size, read_bytes = 0;
      int out_fd = -1;
      la_ssize_t n;
      /* Where our copy of this entry starts, to name it if it differs. */
      EntryStart start = { (guint64) archive_filter_bytes (writer, 0), g_strdup (name) };

      g_array_append_val (starts, start);
      if (!check_name (name, error))
        goto out;
      if (archive_entry_filetype (entry) != AE_IFREG || archive_entry_hardlink (entry) != NULL ||
          archive_entry_symlink (entry) != NULL)
        {
          problem (error, name, _("links and folders are refused; a package holds only files"));
          goto out;
        }
      casefolded = g_utf8_casefold (name, -1);
      if (g_hash_table_contains (actual, name) || !g_hash_table_add (folded, g_steal_pointer (&casefolded)))
        {
          problem (error, name, _("this name is in the package twice"));
          goto out;
        }
      if (g_hash_table_size (actual) >= MAX_ENTRIES)
        {
          problem (error, name, _("the package has too many files"));
          goto out;
        }
      if (!archive_entry_size_is_set (entry) || (guint64) archive_entry_size (entry) > max_entry_size)
        {
          problem (error, name, _("this file is larger than allowed (%llu bytes at most)"),
                   (unsigned long long) max_entry_size);
          goto out;
        }
      size = (guint64) archive_entry_size (entry);

      /* One folder holds everything. */
      if (root_folder == NULL)
        {
          const char *slash = strchr (name, '/');
          root_folder = slash ? g_strndup (name, (gsize) (slash - name)) : g_strdup ("");
        }
      if (*root_folder == '\0' || !g_str_has_prefix (name, root_folder) || name[strlen (root_folder)] != '/')
        {
          problem (error, name, _("this file is outside the package folder"));
          goto out;
        }
      relative = g_strdup (name + strlen (root_folder) + 1);

      if (g_str_equal (relative, SOHOA_PACKAGE_METS) || g_str_equal (relative, SOHOA_PACKAGE_SIGNATURE))
        {
          if (size > MAX_IN_MEMORY)
            {
              problem (error, name, _("this file is larger than allowed (%llu bytes at most)"),
                       (unsigned long long) MAX_IN_MEMORY);
              goto out;
            }
          kept = g_byte_array_sized_new ((guint) size);
        }

      copy = _sohoa_package_entry_new (name, (gint64) size);
      archive_write_header (writer, copy);
      archive_entry_free (copy);

      if (tmp_dir && (out_fd = create_output (tmp_dir, name, error)) < 0)
        {
          if (kept)
            g_byte_array_unref (kept);
          goto out;
        }

      gnutls_hash_init (&hash, GNUTLS_DIG_SHA256);
      while ((n = archive_read_data (reader, buffer, SOHOA_PACKAGE_BLOCK)) > 0)
        {
          read_bytes += (guint64) n;
          if (read_bytes > size)
            break;
          gnutls_hash (hash, buffer, (size_t) n);
          archive_write_data (writer, buffer, (size_t) n);
          if (kept)
            g_byte_array_append (kept, buffer, (guint) n);
          if (out_fd >= 0 && !write_all (out_fd, buffer, (gsize) n))
            {
              int saved_errno = errno;
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           "%s: %s", name, g_strerror (saved_errno));
              n = -2;
              break;
            }
          info->n_bytes += (guint64) n;
          sohoa_job_report (job, (guint) (archive_filter_bytes (reader, -1) >> 20),
                            (guint) MAX (cmp.file_size >> 20, 1), _("Checking the package"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              n = -2;
              break;
            }
        }
      gnutls_hash_deinit (hash, digest);
      archive_write_finish_entry (writer);
      if (out_fd >= 0)
        close (out_fd);
      if (n < 0 || read_bytes != size)
        {
          if (kept)
            g_byte_array_unref (kept);
          if (n == -2)
            goto out;
          problem (error, name, _("the data of this file is damaged (%s)"),
                   n < 0 ? archive_error_string (reader) : _("wrong length"));
          goto out;
        }

      if (kept && g_str_equal (relative, SOHOA_PACKAGE_METS))
        mets = g_byte_array_free_to_bytes (kept);
      else if (kept)
        signature = g_byte_array_free_to_bytes (kept);
      else
        {
          item = g_new0 (Digest, 1);
          item->sha256 = hex_digest (digest, sizeof digest);
          item->size = size;
          g_hash_table_insert (actual, g_steal_pointer (&relative), item);
          if (g_str_has_prefix (name + strlen (root_folder) + 1, "representations/rep1/data/"))
            has_data = TRUE;
        }
      info->n_files++;
    }
  if (rc != ARCHIVE_EOF)
    {
      problem (error, basename, _("the ZIP structure is damaged (%s)"), archive_error_string (reader));
      goto out;
    }
  directory_at = (guint64) archive_filter_bytes (writer, 0);
  archive_write_close (writer);

  /* The layout. */
  if (mets == NULL)
    {
      problem (error, SOHOA_PACKAGE_METS, _("the package has no METS.xml in its folder"));
      goto out;
    }
  if (!(listed = parse_mets (mets, &objid, error)))
    goto out;
  {
    g_autofree char *expected_root = g_strdelimit (g_strdup (objid), ":", '_');

    if (!g_str_equal (expected_root, root_folder))
      {
        problem (error, root_folder, _("the package folder is not named after the OBJID %s"), objid);
        goto out;
      }
  }
  if (!has_data || !g_hash_table_contains (actual, "metadata/descriptive/EAD.xml"))
    {
      problem (error, root_folder, _("the package lacks representations/rep1/data or metadata/descriptive/EAD.xml"));
      goto out;
    }

  /* Every file listed is there, whole; nothing else is. */
  g_hash_table_iter_init (&iter, listed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Digest *want = value;
      Digest *have = g_hash_table_lookup (actual, key);
      g_autofree char *full = g_strdup_printf ("%s/%s", root_folder, (const char *) key);

      if (have == NULL)
        {
          problem (error, full, _("listed in METS.xml but missing from the package"));
          goto out;
        }
      if (have->size != want->size || !g_str_equal (have->sha256, want->sha256))
        {
          problem (error, full, _("the content does not match its size and SHA-256 in METS.xml"));
          goto out;
        }
    }
  g_hash_table_iter_init (&iter, actual);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (listed, key))
      {
        g_autofree char *full = g_strdup_printf ("%s/%s", root_folder, (const char *) key);
        problem (error, full, _("this file is not listed in METS.xml"));
        goto out;
      }

  /* The signature over METS.xml, and whose it is. */
  if (signature == NULL)
    {
      problem (error, SOHOA_PACKAGE_SIGNATURE, _("the package is not signed"));
      goto out;
    }
  if (ca_file == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Give the certificate authorities to trust (--ca FILE) to check the signature."));
      goto out;
    }
  if (!sohoa_signature_verify_detached (signature, mets, ca_file, &info->signer, error))
    {
      g_prefix_error (error, "%s/%s: ", root_folder, SOHOA_PACKAGE_SIGNATURE);
      goto out;
    }

  /* Last, the bytes around the files: headers, directory, anything added. */
  if (cmp.differs || cmp.offset != cmp.file_size)
    {
      guint64 at = cmp.differs ? cmp.differs_at : cmp.offset;
      const char *where = entry_at (starts, at);

      if (!cmp.differs)
        problem (error, basename, _("there is data after the end of the package"));
      else if (at >= directory_at || where == NULL)
        problem (error, basename, _("the ZIP directory has been altered (byte %llu)"), (unsigned long long) at);
      else
        problem (error, where, _("the ZIP header of this file has been altered (byte %llu)"), (unsigned long long) at);
      goto out;
    }

  if (tmp_dir)
    {
      if (g_rename (tmp_dir, dest_dir) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("The folder “%s” could not be created: %s"), dest_dir, g_strerror (saved_errno));
          goto out;
        }
      g_clear_pointer (&tmp_dir, g_free);
    }

  {
    guint8 digest[32];

    gnutls_hash_output (cmp.hash, digest);
    info->sha256 = hex_digest (digest, sizeof digest);
  }
  info->objid = g_steal_pointer (&objid);
  info->root = g_steal_pointer (&root_folder);
  ok = TRUE;

out:
  /* Freeing a writer that was not closed (a refused package) closes it,
   * which writes the rest of its ZIP through compare_write_cb(): before
   * cmp's file and buffer go, not at the end of the scope, after cmp. */
  g_clear_pointer (&writer, _sohoa_archive_writer_free);
  if (tmp_dir)
    _sohoa_remove_tree (tmp_dir);
  close (cmp.fd);
  g_free (cmp.buffer);
  if (cmp.hash)
    gnutls_hash_deinit (cmp.hash, NULL);
  return ok ? g_steal_pointer (&info) : NULL;
}

typedef struct
{
  char    *path;
  char    *ca_file;
  char    *dest_dir;
  guint64  max_entry_size;
} VerifyData;

static void
verify_data_free (gpointer data)
{
  VerifyData *verify = data;

  g_free (verify->path);
  g_free (verify->ca_file);
  g_free (verify->dest_dir);
  g_free (verify);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *verify = task_data;
  SohoaJob *job = g_object_get_data (G_OBJECT (task), "sohoa-job");
  GError *error = NULL;
  SohoaPackageInfo *info;

  info = sohoa_package_verify (verify->path, verify->ca_file, verify->dest_dir, verify->max_entry_size, job, &error);
  if (info)
    g_task_return_pointer (task, info, (GDestroyNotify) sohoa_package_info_free);
  else
    g_task_return_error (task, error);
}

void
sohoa_package_verify_async (const char          *path,
                            const char          *ca_file,
                            const char          *dest_dir,
                            guint64              max_entry_size,
                            SohoaJob            *job,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *verify;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, job ? sohoa_job_get_cancellable (job) : NULL, callback, user_data);
  g_task_set_source_tag (task, sohoa_package_verify_async);
  verify = g_new0 (VerifyData, 1);
  verify->path = g_strdup (path);
  verify->ca_file = g_strdup (ca_file);
  verify->dest_dir = g_strdup (dest_dir);
  verify->max_entry_size = max_entry_size;
  g_task_set_task_data (task, verify, verify_data_free);
  if (job)
    g_object_set_data_full (G_OBJECT (task), "sohoa-job", g_object_ref (job), g_object_unref);
  g_task_run_in_thread (task, verify_thread);
}

SohoaPackageInfo *
sohoa_package_verify_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
