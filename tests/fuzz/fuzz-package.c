/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A package (ZIP) as `sohoa-cli verify` and `import-package` check it:
 * libarchive's reading, the entry names (absolute, "..", links,
 * duplicates), the size limit against bombs, METS.xml, the checksums, the
 * signature against package-ca.pem and the byte-for-byte comparison, then
 * the same with the files unpacked into a fresh folder, removed after.
 *
 * Before that, the CRC-32 of every stored entry is set to match its bytes
 * (in the central directory and the data descriptor or local header), so
 * that a mutated METS.xml reaches the METS parser instead of stopping at
 * libarchive's CRC check.  That check is tests/package-flip.py's. */
#include "sohoa-core-private.h"
#include "sohoa-fuzz.h"
#include "sohoa-verify.h"

#include <glib/gstdio.h>
#include <string.h>

/* Enough for the seeds, small enough that a bomb is refused quickly. */
#define FUZZ_MAX_ENTRY_SIZE (1024 * 1024)

static guint32 crc_table[256];

static void
crc_init (void)
{
  for (guint32 n = 0; n < 256; n++)
    {
      guint32 c = n;

      for (int k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320U ^ (c >> 1) : c >> 1;
      crc_table[n] = c;
    }
}

static guint32
zip_crc32 (const guint8 *data,
       gsize         size)
{
  guint32 c = 0xffffffffU;

  for (gsize i = 0; i < size; i++)
    c = crc_table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffU;
}

static guint32
le16 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8;
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static void
put_le32 (guint8  *p,
          guint32  value)
{
  for (int i = 0; i < 4; i++)
    p[i] = (guint8) (value >> (8 * i));
}

static void
fix_crcs (guint8 *zip,
          gsize   size)
{
  for (gsize cd = 0; cd + 46 <= size; cd++)
    {
      gsize local, data, csize, flags;
      guint32 crc;

      if (memcmp (zip + cd, "PK\1\2", 4) != 0 || le16 (zip + cd + 10) != 0)
        continue;
      csize = le32 (zip + cd + 20);
      local = le32 (zip + cd + 42);
      if (local > size || size - local < 30 || memcmp (zip + local, "PK\3\4", 4) != 0)
        continue;
      flags = le16 (zip + local + 6);
      data = local + 30 + le16 (zip + local + 26) + le16 (zip + local + 28);
      if (data > size || size - data < csize)
        continue;
      crc = zip_crc32 (zip + data, csize);
      put_le32 (zip + cd + 16, crc);
      if (!(flags & 8))
        put_le32 (zip + local + 14, crc);
      else if (size - data - csize >= 8 && memcmp (zip + data + csize, "PK\7\10", 4) == 0)
        put_le32 (zip + data + csize + 4, crc);
      else if (size - data - csize >= 4)
        put_le32 (zip + data + csize, crc);
    }
}

/* What is left in @dir but the package: after a refusal, nothing. */
static guint
count_left (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;
  const char *name;

  g_assert (listing != NULL);
  while ((name = g_dir_read_name (listing)))
    if (!g_str_equal (name, "package.zip"))
      n++;
  return n;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static char *ca_file;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) import_error = NULL;
  g_autoptr(SohoaPackageInfo) info = NULL;
  g_autoptr(SohoaPackageInfo) imported = NULL;
  g_autofree guint8 *zip = g_memdup2 (data, size);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dest = NULL;

  sohoa_fuzz_init ();
  if (ca_file == NULL)
    {
      crc_init ();
      ca_file = g_build_filename (SOHOA_FUZZ_SRCDIR, "package-ca.pem", NULL);
    }
  fix_crcs (zip, size);

  if (!(dir = g_dir_make_tmp ("sohoa-fuzz-package-XXXXXX", &error)))
    g_error ("fuzz-package: %s", error->message);
  path = g_build_filename (dir, "package.zip", NULL);
  dest = g_build_filename (dir, "unpacked", NULL);
  if (!g_file_set_contents (path, (const char *) zip, (gssize) size, &error))
    g_error ("fuzz-package: %s", error->message);

  info = sohoa_package_verify (path, ca_file, NULL, FUZZ_MAX_ENTRY_SIZE, NULL, &error);
  g_assert ((info == NULL) == (error != NULL));
  g_assert_cmpuint (count_left (dir), ==, 0);
  if (info)
    g_assert (info->objid && info->root && info->signer && info->n_files > 0);

  imported = sohoa_package_verify (path, ca_file, dest, FUZZ_MAX_ENTRY_SIZE, NULL, &import_error);
  g_assert ((imported == NULL) == (import_error != NULL));
  /* What verifies unpacks, or fails for a reason of the disk; what does not
   * verify leaves nothing behind. */
  if (imported)
    {
      g_autofree char *mets = g_build_filename (dest, imported->root, "METS.xml", NULL);

      g_assert (info != NULL);
      g_assert_cmpstr (imported->objid, ==, info->objid);
      g_assert (g_file_test (mets, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpuint (count_left (dir), ==, 1);
    }
  else
    {
      g_assert (info == NULL || import_error->domain == G_IO_ERROR);
      g_assert_cmpuint (count_left (dir), ==, 0);
    }

  /* To see how far each input of a corpus gets. */
  if (g_getenv ("SOHOA_FUZZ_VERBOSE"))
    g_printerr ("verify: %s; import: %s\n", error ? error->message : "valid",
                import_error ? import_error->message : "unpacked");

  _sohoa_remove_tree (dir);
  g_assert (!g_file_test (dir, G_FILE_TEST_EXISTS));
  return 0;
}
