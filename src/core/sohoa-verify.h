/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-job.h"

G_BEGIN_DECLS

/* What a verified package holds. */
typedef struct
{
  char    *objid;
  char    *root;       /* the package's folder */
  char    *signer;     /* the signer's distinguished name */
  char    *sha256;     /* of the package file, as it was checked */
  guint    n_files;
  guint64  n_bytes;    /* of the files, unpacked */
} SohoaPackageInfo;

void sohoa_package_info_free (SohoaPackageInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaPackageInfo, sohoa_package_info_free)

/* The default limit on one file of a package being imported. */
#define SOHOA_PACKAGE_MAX_ENTRY_SIZE (G_GUINT64_CONSTANT (8) << 30)

/* Checks a package as the city and a receiving supervisor do: the layout,
 * the SHA-256 and size in METS.xml of every file and that there is no
 * other file, the signature of METS.xml and its certificate chain up to
 * @ca_file, and that the ZIP is exactly as Sohoa writes it — so a changed
 * byte anywhere, also outside the files, is found.  Names that could
 * escape a folder (absolute, "..", links, duplicates) and files larger
 * than @max_entry_size are refused before anything is read.
 *
 * With @dest_dir, the files are also unpacked there: into a temporary
 * folder beside it, renamed to @dest_dir only when everything checked out.
 * Errors name the file of the package that is wrong. */
SohoaPackageInfo *sohoa_package_verify        (const char          *path,
                                               const char          *ca_file,
                                               const char          *dest_dir,
                                               guint64              max_entry_size,
                                               SohoaJob            *job,
                                               GError             **error);
void              sohoa_package_verify_async  (const char          *path,
                                               const char          *ca_file,
                                               const char          *dest_dir,
                                               guint64              max_entry_size,
                                               SohoaJob            *job,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
SohoaPackageInfo *sohoa_package_verify_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
