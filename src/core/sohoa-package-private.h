/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <glib.h>

G_BEGIN_DECLS

/* What the builder writes and the verifier rewrites to compare, byte for
 * byte: both must make the ZIP the same way. */
#define SOHOA_PACKAGE_METS      "METS.xml"
#define SOHOA_PACKAGE_SIGNATURE "METS.xml.p7s"
#define SOHOA_PACKAGE_BLOCK     (1024 * 1024)

typedef struct archive SohoaArchiveWriter;
typedef struct archive SohoaArchiveReader;

static inline void
_sohoa_archive_writer_free (SohoaArchiveWriter *archive)
{
  archive_write_free (archive);
}

static inline void
_sohoa_archive_reader_free (SohoaArchiveReader *archive)
{
  archive_read_free (archive);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaArchiveWriter, _sohoa_archive_writer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaArchiveReader, _sohoa_archive_reader_free)

SohoaArchiveWriter   *_sohoa_package_zip_new   (void);
struct archive_entry *_sohoa_package_entry_new (const char *name,
                                                gint64      size);

G_END_DECLS
