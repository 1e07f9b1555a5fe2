/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <glib.h>
#include <json-glib/json-glib.h>

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

/* records.csv and records.json, the package's records for spreadsheets and
 * programs (tests/fuzz/fuzz-writers.c feeds them any text).  Every key and
 * value is written as _sohoa_package_clean_text() returns it. */
#define SOHOA_PACKAGE_CSV_BOM "\xEF\xBB\xBF"

char *_sohoa_package_clean_text      (const char         *text);
/* One RFC 4180 row ending in CRLF; a NULL cell is empty. */
void  _sohoa_package_append_csv_row  (GString            *out,
                                      const char * const *cells,
                                      guint               n_cells);
/* An object of @keys, each {"value": …, "state": …} from @values and
 * @states (key → text, both nullable; a missing one is null). */
void  _sohoa_package_add_json_fields (JsonBuilder        *builder,
                                      GPtrArray          *keys,
                                      GHashTable         *values,
                                      GHashTable         *states);

G_END_DECLS
